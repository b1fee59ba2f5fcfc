"""A socket's frame budget: a burst, then the steady rate, never more."""

from __future__ import annotations

from config.settings import FrameRate
from serve.frame_rate import FrameBudget


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_then_the_steady_rate():
    clock = Clock()
    budget = FrameBudget(FrameRate(per_s=20.0, burst=40), clock)
    assert sum(budget.take() for _ in range(100)) == 40  # the burst, all at once
    assert budget.retry_after_s() == 0.05
    clock.now += 0.5
    assert sum(budget.take() for _ in range(100)) == 10  # half a second at 20 a second
    clock.now += 3600
    assert sum(budget.take() for _ in range(100)) == 40  # idle time refills the burst only


def test_a_steady_sender_under_the_rate_is_never_refused():
    clock = Clock()
    budget = FrameBudget(FrameRate(per_s=20.0, burst=40), clock)
    for _ in range(2000):  # ten a second, for 200 seconds
        clock.now += 0.1
        assert budget.take()
