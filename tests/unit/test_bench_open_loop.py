"""The open-loop stepper's pure parts: a step's verdict, the capacity of a ladder,
the schedules, and the CPU reading's arithmetic (benchmarks/lib/open_loop.py,
benchmarks/lib/stepper_run.py, benchmarks/lib/center_cpu.py)."""

from __future__ import annotations

import statistics

import pytest

from benchmarks.lib.center_cpu import CpuSample, ms_per_message, spent
from benchmarks.lib.open_loop import (Step, capacity, describe, even_schedule, ladder,
                                      poisson_schedule, step_summary, step_verdict)
from benchmarks.lib.stepper_run import ladder_end, step_windows


def held(rate: float, ms: float = 5.0, n: int = 100) -> Step:
    return Step(rate, n, [ms] * n)


def test_a_step_holds_at_the_bound_and_breaks_past_it() -> None:
    # 99 fast and one slow message out of 100: p99 interpolates between them.
    at_bound = Step(100, 100, [1.0] * 98 + [100.0, 100.0])
    assert step_verdict(at_bound) == "held"
    past = Step(100, 100, [1.0] * 97 + [150.0] * 3)
    assert step_verdict(past) == "p99"


def test_a_lost_or_missing_message_breaks_a_step_whatever_its_latency() -> None:
    assert step_verdict(Step(100, 100, [1.0] * 100, lost=1)) == "lost"
    assert step_verdict(Step(100, 100, [1.0] * 99)) == "short"
    assert step_verdict(Step(100, 0, [])) == "empty"
    assert step_verdict(Step(100, 10, [])) == "empty"


def test_capacity_is_the_last_held_step_before_the_first_broken_one() -> None:
    steps = [held(50), held(70), Step(98, 100, [500.0] * 100), held(137)]
    # 137 held again after 98 broke: it does not count.
    assert capacity(steps) == 70
    assert capacity([held(50), held(70)]) == 70
    assert capacity([Step(50, 100, [1.0] * 99)]) is None
    assert capacity([]) is None


def test_step_summary_carries_the_verdicts() -> None:
    lines = step_summary([held(50), Step(70, 10, [1.0] * 10, lost=2)])
    assert [line["verdict"] for line in lines] == ["held", "lost"]
    assert lines[0]["p99_ms"] == pytest.approx(5.0)
    assert lines[1]["lost"] == 2


def test_the_note_says_when_the_capacity_is_only_a_bound() -> None:
    whole = step_summary([held(50), held(70)])
    assert "at least 70/s" in describe(whole, [50, 70])
    assert "at least" not in describe(whole, [50, 70, 98])
    broke_first = step_summary([Step(50, 100, [300.0] * 100)])
    assert "below 50/s" in describe(broke_first, [50, 70])
    assert describe(step_summary([held(50), Step(70, 100, [300.0] * 100)])).endswith("70/s p99 300 ms p99")


def test_ladder_rises_geometrically_and_stops_at_the_top() -> None:
    assert ladder(50, 2, 400) == [50, 100, 200, 400]
    rates = ladder(50, 1.4, 8000)
    assert rates[:4] == [50, 70, 98, 137]
    assert rates[-1] <= 8000 and rates[-1] * 1.4 > 8000
    with pytest.raises(ValueError):
        ladder(50, 1.0, 100)


def test_even_schedule_spaces_sends_over_the_window() -> None:
    moments = even_schedule(4, 10.0, 11.0)
    assert moments == pytest.approx([10.0, 10.25, 10.5, 10.75])
    assert len(even_schedule(1000, 0.0, 2.0)) == 2000
    assert even_schedule(0, 0.0, 1.0) == []


def test_poisson_schedule_has_the_rate_and_is_reproducible() -> None:
    moments = poisson_schedule(5000, 100.0, 1000.0, seed=3)
    assert moments == poisson_schedule(5000, 100.0, 1000.0, seed=3)
    assert moments != poisson_schedule(5000, 100.0, 1000.0, seed=4)
    assert all(later > earlier for earlier, later in zip(moments, moments[1:]))
    gaps = [b - a for a, b in zip([1000.0, *moments], moments)]
    # Exponential gaps: mean and standard deviation both 1/rate.
    assert statistics.mean(gaps) == pytest.approx(0.01, rel=0.05)
    assert statistics.stdev(gaps) == pytest.approx(0.01, rel=0.1)


def test_step_windows_leave_a_gap_between_steps() -> None:
    windows = step_windows([50, 70], 100.0, step_s=5.0, gap_s=2.0)
    assert windows == [(50, 100.0, 105.0), (70, 107.0, 112.0)]
    assert ladder_end([50, 70], 100.0, 5.0, 2.0) == 114.0


def test_cpu_spent_counts_new_processes_from_zero_and_a_reused_pid_afresh() -> None:
    before = CpuSample({1: ("raylet", 1.0, 10.0), 2: ("ray::IDLE", 2.0, 5.0),
                        3: ("gcs_server", 3.0, 1.0)})
    # pid 2 renamed itself after its task (same process: same start time); pid 3 is
    # another process under a reused pid; pid 4 started in between.
    after = CpuSample({1: ("raylet", 1.0, 10.5), 2: ("ray::Shard", 2.0, 7.0),
                       4: ("haproxy", 9.0, 0.25), 3: ("python", 8.0, 0.5)})
    used = spent(before, after)
    assert used.total_s == pytest.approx(0.5 + 2.0 + 0.25 + 0.5)
    assert used.ray_daemons_s == pytest.approx(0.5)
    total, without = ms_per_message(used, 1000)
    assert total == pytest.approx(3.25)
    assert without == pytest.approx(2.75)
    assert ms_per_message(used, 0) == (None, None)


def test_relay_cpu_is_read_over_the_highest_held_step_with_the_fixed_rate_beside_it() -> None:
    from benchmarks.lib.center_cpu import CpuSpent
    from benchmarks.lib.relay_figures import add_cpu

    plan = {"cpu_rate": 200, "phase_s": 10.0, "step_s": 5.0, "idle_s": 5.0, "step_rates": [50, 70]}
    cpu = {"idle": CpuSpent(0.5, 0.0, 18), "rate200": CpuSpent(4.0, 0.1, 18),
           "step1": CpuSpent(1.4, 0.05, 18)}
    latencies = {"rate200": [1.0] * 2000, "step1": [1.0] * 350}
    metrics: dict = {}
    notes: list[str] = []
    add_cpu(plan, cpu, "step1", latencies, metrics, notes)
    assert metrics["relay_cpu_ms_per_message"]["value"] == pytest.approx(1400 / 350)
    assert metrics["relay_cpu_ms_per_message_at_200_per_s"]["value"] == pytest.approx(2.0)
    # Idle: 0.1 CPU s a second, so 0.5 s of the step's 1.4 s.
    assert metrics["relay_cpu_ms_per_message_above_idle"]["value"] == pytest.approx(900 / 350)
    assert any("70 msg/s" in note for note in notes)
    # No step held: the fixed-rate phase is the reading.
    metrics.clear()
    add_cpu(plan, cpu, None, latencies, metrics, notes)
    assert metrics["relay_cpu_ms_per_message"]["value"] == pytest.approx(2.0)
