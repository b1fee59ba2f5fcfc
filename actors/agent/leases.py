"""Socket leases: an agent is connected while one of its workspace sockets holds a lease.

A gateway renews its socket's lease with every heartbeat (`Attach`) and gives it
back on close (`Detach`). A socket whose gateway died never says goodbye, so a
lease that is not renewed in time lapses on its own: presence follows what is
really open, within one lease. A workspace expected back (a page reload, or an
entity rebuilt after its shard restarted, which has not yet heard the
heartbeats) holds the `EXPECTED` lease meanwhile: never for longer than a lease.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The lease of a workspace that is expected back but has no socket (yet).
EXPECTED = "(expected)"


@dataclass
class SocketLeases:
    lease_s: float
    # socket id -> when its lease lapses (the entity's clock)
    expiries: dict[str, float] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.expiries)

    def sockets(self) -> list[str]:
        return [sid for sid in self.expiries if sid != EXPECTED]

    def renew(self, socket_id: str, now: float) -> None:
        """A socket's heartbeat: a real socket is here, so nobody is merely expected."""
        self.expiries.pop(EXPECTED, None)
        self.expiries[socket_id] = now + self.lease_s

    def expect(self, now: float, for_s: float) -> None:
        """Hold the agent connected for `for_s` (at most a lease) with no socket open."""
        self.expiries[EXPECTED] = now + min(for_s, self.lease_s)

    def drop(self, socket_id: str) -> None:
        self.expiries.pop(socket_id, None)

    def expire(self, now: float) -> list[str]:
        """Drop the leases lapsed by `now`; returns their socket ids."""
        lapsed = [sid for sid, at in self.expiries.items() if at <= now]
        for sid in lapsed:
            del self.expiries[sid]
        return lapsed

    def next_expiry(self) -> float | None:
        return min(self.expiries.values(), default=None)
