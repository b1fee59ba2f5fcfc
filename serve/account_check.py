"""Whether a staff token still speaks for its account, and with which role.

A token carries the account's token epoch; disabling, deleting, a new password
or a new role bump the epoch, so every token issued before stops working, and
the role is taken from the account, never from the (12-hour) token. Each REST
call and each socket connect asks here. Answers are cached in the replica for
KEFU_ACCOUNT_CACHE_S: the replica's own account writes forget the entry at once,
so a change made through this replica counts from the next call, and one made
through another replica within that many seconds.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Callable

from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.store import agents
from serve.auth import Principal

# Accounts whose standing one replica remembers; past it the least recent is
# read again on its next call (a center has far fewer staff than this).
MAX_CACHED_ACCOUNTS = 10_000


@dataclass(frozen=True)
class Standing:
    center_id: str
    role: str
    token_epoch: int
    may_sign_in: bool


class AccountCheck:
    def __init__(self, db: async_sessionmaker, ttl_s: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.db, self.ttl_s, self.clock = db, ttl_s, clock
        self._cache: OrderedDict[str, tuple[float, Standing | None]] = OrderedDict()

    async def principal(self, who: Principal) -> Principal | None:
        """`who` with the account's current role; None if the token no longer counts.
        Visitor tokens name no account and pass as they are."""
        if not who.is_staff:
            return who
        standing = await self._standing(who.id)
        if (standing is None or not standing.may_sign_in or standing.token_epoch != who.epoch
                or standing.center_id != who.center_id):
            return None
        return who if who.role == standing.role else replace(who, role=standing.role)

    def forget(self, agent_id: str) -> None:
        self._cache.pop(agent_id, None)

    async def _standing(self, agent_id: str) -> Standing | None:
        now = self.clock()
        cached = self._cache.get(agent_id)
        if cached is not None and now - cached[0] < self.ttl_s:
            return cached[1]
        record = await agents.get_agent(self.db, agent_id)
        standing = None if record is None else Standing(
            record.center_id, record.role, record.token_epoch, record.may_sign_in)
        self._cache[agent_id] = (now, standing)
        self._cache.move_to_end(agent_id)
        while len(self._cache) > MAX_CACHED_ACCOUNTS:
            self._cache.popitem(last=False)
        return standing
