"""Throttles on what anyone can call (DESIGN.md decision 13): rates per key, and a
lockout after repeated failed logins.

Both live in one gateway replica's memory: with several replicas each counts on
its own, so a client spread over N replicas gets up to N times the rate. Both
are bounded in the keys they track (`max_keys`): past it the least recently seen
key is forgotten, which hands that key a fresh allowance. An attacker cycling
through more keys than the bound gains nothing from it a fresh key would not
already give, and the center's memory stays flat.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable, Generic, TypeVar

Clock = Callable[[], float]
State = TypeVar("State")

# A lockout doubles with each failure after the limit, up to this long.
MAX_LOCKOUT_S = 3600.0
# Failures are forgotten after this long without one (OWASP's usual 15 minutes), so
# one failure a minute cannot go on for ever below the limit.
FAILURE_MEMORY_S = 900.0


class _BoundedStates(Generic[State]):
    """Per-key state, the least recently used forgotten past `max_keys`."""

    def __init__(self, max_keys: int) -> None:
        self.max_keys = max_keys
        self._states: OrderedDict[str, State] = OrderedDict()

    def get(self, key: str) -> State | None:
        state = self._states.get(key)
        if state is not None:
            self._states.move_to_end(key)
        return state

    def put(self, key: str, state: State) -> None:
        self._states[key] = state
        self._states.move_to_end(key)
        while len(self._states) > self.max_keys:
            self._states.popitem(last=False)

    def drop(self, key: str) -> None:
        self._states.pop(key, None)

    def __len__(self) -> int:
        return len(self._states)


@dataclass
class _Bucket:
    tokens: float
    at: float


class RateLimit:
    """A token bucket per key: `per_minute` calls in a burst, refilled at
    `per_minute` a minute. `per_minute=0` allows everything."""

    def __init__(self, per_minute: int, max_keys: int, clock: Clock = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.refill_per_s = per_minute / 60.0
        self.clock = clock
        self.buckets: _BoundedStates[_Bucket] = _BoundedStates(max_keys)

    def take(self, key: str) -> float:
        """0.0 if the call may go ahead (and counts it), else seconds until it may."""
        if self.capacity <= 0:
            return 0.0
        now = self.clock()
        bucket = self.buckets.get(key) or _Bucket(self.capacity, now)
        bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.at) * self.refill_per_s)
        bucket.at = now
        self.buckets.put(key, bucket)
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.refill_per_s


@dataclass
class _Failures:
    count: int
    last_at: float
    locked_until: float = 0.0


class Lockout:
    """After `max_failures` failures in a row a key is locked for `lockout_s`; each
    further failure once the lock ends doubles it (up to MAX_LOCKOUT_S). A
    success clears the key, and so does FAILURE_MEMORY_S (or the last lock, if
    longer) without a failure."""

    def __init__(self, max_failures: int, lockout_s: float, max_keys: int,
                 clock: Clock = time.monotonic) -> None:
        self.max_failures = max_failures
        self.lockout_s = lockout_s
        self.clock = clock
        self.failures: _BoundedStates[_Failures] = _BoundedStates(max_keys)

    def retry_after(self, key: str) -> float:
        """Seconds the key stays locked (0.0: not locked)."""
        state = self.failures.get(key)
        return max(0.0, state.locked_until - self.clock()) if state else 0.0

    def failed(self, key: str) -> float:
        """Count a failure; the lock it starts, in seconds (0.0: none yet)."""
        now = self.clock()
        state = self.failures.get(key)
        if state is None or now - state.last_at > self._quiet_spell(state):
            state = _Failures(0, now)
        state.count += 1
        state.last_at = now
        over = state.count - self.max_failures
        if over >= 0:
            state.locked_until = now + min(max(MAX_LOCKOUT_S, self.lockout_s),
                                           self.lockout_s * math.pow(2, over))
        self.failures.put(key, state)
        return max(0.0, state.locked_until - now)

    def succeeded(self, key: str) -> None:
        self.failures.drop(key)

    def _quiet_spell(self, state: _Failures) -> float:
        return max(FAILURE_MEMORY_S, state.locked_until - state.last_at)


def retry_after_header(seconds: float) -> str:
    """Retry-After is whole seconds; round up so a client that waits is let in."""
    return str(max(1, math.ceil(seconds)))
