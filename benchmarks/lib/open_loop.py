"""The open-loop rate stepper: capacity as the highest offered rate whose p99 a
user would accept, with no coordinated omission.

Messages go out on a schedule fixed in advance (evenly spaced or Poisson), never
waiting for an earlier answer, and each one's latency runs from the moment it
was *scheduled* to be sent: a load generator that falls behind, or a server that
stalls it, adds to the latency instead of hiding it by sending later. The rate
rises step by step; a step holds when its p99 is within the bound and every
message sent in it came back; the capacity is the highest rate of the unbroken
run of held steps from the bottom (a step that holds after one broke does not
count: it ran on a backlog the broken one left, or on luck).

Everything here is pure (no sockets, no clock) so it can be unit-tested.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from benchmarks.lib.stats import percentile

P99_BOUND_MS = 100.0


@dataclass(frozen=True)
class Step:
    """One step's figures: the rate offered and what came of the messages
    scheduled in it (delivered ones with their latency from the schedule)."""

    rate: float
    scheduled: int
    latencies_ms: list[float]
    lost: int = 0  # acknowledged, or sent, but never delivered by the end

    @property
    def delivered(self) -> int:
        return len(self.latencies_ms)

    @property
    def p99_ms(self) -> float | None:
        return percentile(self.latencies_ms, 99) if self.latencies_ms else None


def step_verdict(step: Step, p99_bound_ms: float = P99_BOUND_MS) -> str:
    """"held", or why the step broke: "p99" (over the bound), "lost" (a message
    never arrived), "short" (fewer delivered than scheduled: timeouts), "empty"."""
    if step.scheduled == 0 or not step.latencies_ms:
        return "empty"
    if step.lost:
        return "lost"
    if step.delivered < step.scheduled:
        return "short"
    assert step.p99_ms is not None
    return "held" if step.p99_ms <= p99_bound_ms else "p99"


def capacity(steps: list[Step], p99_bound_ms: float = P99_BOUND_MS) -> float | None:
    """The highest rate of the held steps before the first broken one, in the
    order given (rising); None when the lowest step already broke."""
    best: float | None = None
    for step in steps:
        if step_verdict(step, p99_bound_ms) != "held":
            break
        best = step.rate
    return best


def ladder(start: float, factor: float, top: float) -> list[float]:
    """Rates from `start`, each `factor` times the one before, up to `top`
    (included when reached exactly), rounded to whole messages per second."""
    if start <= 0 or factor <= 1 or top < start:
        raise ValueError(f"no ladder from {start} by {factor} to {top}")
    rates: list[float] = []
    rate = start
    while rate <= top * (1 + 1e-9):
        rates.append(float(round(rate)))
        rate *= factor
    return rates


def even_schedule(rate: float, start: float, end: float) -> list[float]:
    """Send moments at `rate` per second over [start, end), evenly spaced."""
    if rate <= 0:
        return []
    interval = 1.0 / rate
    count = max(0, math.ceil((end - start) * rate - 1e-9))
    return [start + i * interval for i in range(count)]


def poisson_schedule(count: int, rate: float, start: float, seed: int) -> list[float]:
    """`count` arrival moments of a Poisson process of `rate` per second from
    `start` (exponential gaps; the first arrival one gap after `start`)."""
    if rate <= 0:
        raise ValueError(f"a Poisson rate must be positive, not {rate}")
    generator = random.Random(seed)
    moments: list[float] = []
    at = start
    for _ in range(count):
        at += generator.expovariate(rate)
        moments.append(at)
    return moments


def step_summary(steps: list[Step], p99_bound_ms: float = P99_BOUND_MS) -> list[dict]:
    """One line a step, for the notes and the series: rate, p50, p99, verdict."""
    lines = []
    for step in steps:
        p50 = percentile(step.latencies_ms, 50) if step.latencies_ms else None
        lines.append({"rate": step.rate, "scheduled": step.scheduled, "delivered": step.delivered,
                      "lost": step.lost, "p50_ms": p50, "p99_ms": step.p99_ms,
                      "verdict": step_verdict(step, p99_bound_ms)})
    return lines


def describe(lines: list[dict], rates: list[float] | None = None) -> str:
    """`rate: p99 verdict` for each step, for a note; with the whole ladder given,
    says when every step of it held (the capacity is then only a lower bound)."""
    parts = []
    for line in lines:
        p99 = "-" if line["p99_ms"] is None else f"{line['p99_ms']:.0f} ms"
        parts.append(f"{line['rate']:.0f}/s p99 {p99} {line['verdict']}")
    text = "; ".join(parts)
    if rates and len(lines) == len(rates) and all(line["verdict"] == "held" for line in lines):
        text += f" (the whole ladder held: the capacity is at least {rates[-1]:.0f}/s)"
    elif lines and lines[0]["verdict"] != "held":
        text += f" (the lowest step broke: the capacity is below {lines[0]['rate']:.0f}/s)"
    return text
