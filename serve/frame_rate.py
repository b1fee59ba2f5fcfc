"""How fast one visitor or staff member may send frames: a token bucket per token holder.

All the sockets of one principal on a replica share one bucket, so opening more
sockets buys no more frames. A principal starts with `burst` tokens and earns `per_s` a second up to `burst`;
each frame takes one. A frame with no token left is answered with an `error`
frame `rate_limited` and dropped: the socket stays open, and everything the
center accepted before stays accepted. Set per socket kind in config/settings.py
(KEFU_VISITOR_FRAMES_PER_S / _BURST, KEFU_STAFF_FRAMES_PER_S / _BURST).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Callable

from config.settings import FrameRate


class FrameBudget:
    def __init__(self, rate: FrameRate, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self._clock = clock
        self._tokens = float(rate.burst)
        self._at = clock()

    def take(self) -> bool:
        """One frame's worth, if there is one."""
        now = self._clock()
        self._tokens = min(float(self.rate.burst), self._tokens + (now - self._at) * self.rate.per_s)
        self._at = now
        if self._tokens < 1.0:
            return False
        self._tokens -= 1.0
        return True

    def retry_after_s(self) -> float:
        """How long until the next frame would be taken."""
        return max(0.0, (1.0 - self._tokens) / self.rate.per_s)


class FrameBudgets:
    """The replica's buckets, one per principal, the least recently used forgotten past
    `max_keys` (a forgotten principal starts again with a full burst)."""

    def __init__(self, visitor_rate: FrameRate, staff_rate: FrameRate, max_keys: int,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rates = {"visitor": visitor_rate, "staff": staff_rate}
        self.max_keys = max_keys
        self._clock = clock
        self._budgets: OrderedDict[tuple[str, str], FrameBudget] = OrderedDict()

    def of(self, kind: str, principal_id: str) -> FrameBudget:
        key = (kind, principal_id)
        budget = self._budgets.get(key)
        if budget is None:
            budget = self._budgets[key] = FrameBudget(self.rates[kind], self._clock)
            while len(self._budgets) > self.max_keys:
                self._budgets.popitem(last=False)
        else:
            self._budgets.move_to_end(key)
        return budget
