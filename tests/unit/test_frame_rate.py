"""A socket's frame budget: a burst, then the steady rate, never more."""

from __future__ import annotations

from config.settings import FrameRate
from serve.frame_rate import FrameBudget, FrameBudgets


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


def test_a_principals_sockets_share_one_budget_and_the_registry_is_bounded():
    now = [0.0]
    budgets = FrameBudgets(FrameRate(per_s=1.0, burst=2), FrameRate(per_s=5.0, burst=10), max_keys=2,
                           clock=lambda: now[0])
    first_socket, second_socket = budgets.of("visitor", "v1"), budgets.of("visitor", "v1")
    assert first_socket is second_socket  # opening a second socket buys no more frames
    assert first_socket.take() and second_socket.take() and not first_socket.take()
    assert budgets.of("staff", "v1") is not first_socket and budgets.of("staff", "v1").rate.burst == 10
    budgets.of("visitor", "v2")  # a third principal: the least recently used is forgotten
    assert budgets.of("visitor", "v1").take()  # v1 starts again with a full burst
