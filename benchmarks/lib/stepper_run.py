"""The clock side of the open-loop stepper (benchmarks.lib.open_loop), shared by
the relay scenario and the Serve echo baseline: when each step runs, pacing the
sends of a step, and the stop flag the load processes share.

A step runs for `step_s` from its start; then a gap of `gap_s` lets its last
messages arrive before the next step starts, and is where a load process
judges its own share of the step. A process that saw its share break touches
the stop flag (a file); every process looks for it before each step, so the
ladder stops climbing once any of them saw it break: past that the server only
builds a backlog. The verdict that counts is the parent's, on all processes'
samples together.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

# Yield to the receivers every so many sends when the sender is behind schedule
# (a send that does not block never yields, and the echoes would wait).
_YIELD_EVERY = 32


def step_windows(rates: list[float], first_start: float, step_s: float,
                 gap_s: float) -> list[tuple[float, float, float]]:
    """(rate, start, end) of each step, in wall-clock time."""
    return [(rate, first_start + i * (step_s + gap_s), first_start + i * (step_s + gap_s) + step_s)
            for i, rate in enumerate(rates)]


def ladder_end(rates: list[float], first_start: float, step_s: float, gap_s: float) -> float:
    """When the last step's gap ends."""
    return first_start + len(rates) * (step_s + gap_s)


async def paced(moments: list[float], send: Callable[[int, float], Awaitable[None]]) -> list[float]:
    """Call send(i, moment) at each moment (never early; late when behind, at
    once). Returns how late each send started, in ms (the client's own lag)."""
    lags: list[float] = []
    for index, moment in enumerate(moments):
        delay = moment - time.time()
        if delay > 0:
            await asyncio.sleep(delay)
        elif index % _YIELD_EVERY == 0:
            await asyncio.sleep(0)
        lags.append(max(0.0, time.time() - moment) * 1000)
        await send(index, moment)
    return lags


def stop_flagged(flag: str | None) -> bool:
    return bool(flag) and Path(flag).exists()


def flag_stop(flag: str | None) -> None:
    if flag:
        Path(flag).touch()
