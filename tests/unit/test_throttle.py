"""The throttles' arithmetic on an injected clock: rates, lockouts, bounded keys."""

from __future__ import annotations

from serve.throttle import MAX_LOCKOUT_S, Lockout, RateLimit, retry_after_header


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_rate_allows_its_burst_then_says_when_to_retry():
    clock = Clock()
    rate = RateLimit(per_minute=6, max_keys=100, clock=clock)
    assert [rate.take("1.2.3.4") for _ in range(6)] == [0.0] * 6
    wait = rate.take("1.2.3.4")
    assert 9.9 < wait <= 10.0  # one token every 10 s
    assert rate.take("5.6.7.8") == 0.0  # another address has its own bucket
    clock.now += wait
    assert rate.take("1.2.3.4") == 0.0
    assert rate.take("1.2.3.4") > 0


def test_a_zero_rate_allows_everything():
    rate = RateLimit(per_minute=0, max_keys=10)
    assert all(rate.take("k") == 0.0 for _ in range(1000))


def test_a_rate_tracks_at_most_max_keys():
    rate = RateLimit(per_minute=1, max_keys=100, clock=Clock())
    for i in range(1000):
        rate.take(f"10.0.{i // 256}.{i % 256}")
    assert len(rate.buckets) == 100


def test_failures_lock_the_key_growing_with_each_failure_after_the_lock():
    clock = Clock()
    lockout = Lockout(max_failures=3, lockout_s=60, max_keys=100, clock=clock)
    assert [lockout.failed("lily") for _ in range(2)] == [0.0, 0.0]
    assert lockout.retry_after("lily") == 0.0
    assert lockout.failed("lily") == 60.0
    assert lockout.retry_after("lily") == 60.0
    clock.now += 60
    assert lockout.retry_after("lily") == 0.0
    assert lockout.failed("lily") == 120.0  # the next failure doubles the lock
    clock.now += 120
    assert lockout.failed("lily") == 240.0
    assert lockout.retry_after("chen") == 0.0


def test_a_success_clears_the_failures():
    clock = Clock()
    lockout = Lockout(max_failures=3, lockout_s=60, max_keys=100, clock=clock)
    lockout.failed("lily")
    lockout.failed("lily")
    lockout.succeeded("lily")
    assert lockout.failed("lily") == 0.0 and lockout.failed("lily") == 0.0


def test_old_failures_are_forgotten_and_locks_have_a_ceiling():
    clock = Clock()
    lockout = Lockout(max_failures=2, lockout_s=600, max_keys=100, clock=clock)
    lockout.failed("a")
    clock.now += 3600
    assert lockout.failed("a") == 0.0  # the first one was forgotten
    for _ in range(20):
        clock.now += lockout.retry_after("a")
        lockout.failed("a")
    assert lockout.retry_after("a") == MAX_LOCKOUT_S


def test_retry_after_is_whole_seconds_rounded_up():
    assert retry_after_header(0.2) == "1"
    assert retry_after_header(9.01) == "10"
