"""Fault points (test only): named steps where a test can hold an entity.

The crash-window tests need a shard to die at one exact point, between an
agent's grant and the conversation's record of it. An entity passes a point with
`await services.fault_points.reach(point, key)`; a test arms (point, key) on the
shards, waits until the point is reached, kills whichever shard it wants, then
releases the hold. Off unless `KEFU_TEST_FAULT_POINTS` is set (config/settings.py):
then `reach` returns at once and arming is refused.

Points: `conversation.granted` (key: the agent id) — a conversation holds a
granted slot and has not yet recorded the assignment.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

# A held entity goes on by itself after this, so a test that forgets to release
# cannot wedge the center.
MAX_HOLD_S = 120.0


class FaultPointsDisabled(RuntimeError):
    pass


@dataclass
class FaultPoints:
    enabled: bool = False
    _armed: dict[tuple[str, str], asyncio.Event] = field(default_factory=dict)
    _reached: set[tuple[str, str]] = field(default_factory=set)

    async def reach(self, point: str, key: str) -> None:
        if not self.enabled:
            return
        release = self._armed.get((point, key))
        if release is None:
            return
        self._reached.add((point, key))
        try:
            await asyncio.wait_for(release.wait(), MAX_HOLD_S)
        except asyncio.TimeoutError:
            pass
        finally:
            self._armed.pop((point, key), None)

    def arm(self, point: str, key: str) -> None:
        """Hold the next entity that reaches `point` with `key` until `release`."""
        self._check()
        self._armed[(point, key)] = asyncio.Event()
        self._reached.discard((point, key))

    def reached(self, point: str, key: str) -> bool:
        self._check()
        return (point, key) in self._reached

    def release(self, point: str, key: str) -> None:
        self._check()
        event = self._armed.pop((point, key), None)
        if event is not None:
            event.set()

    def _check(self) -> None:
        if not self.enabled:
            raise FaultPointsDisabled("fault points are for tests (KEFU_TEST_FAULT_POINTS)")
