"""The steady phase of a profiling run (benchmarks/profile_relay.py): sends on an
even schedule for warmup + window (+ a tail) while the profiler runs over the
window in a thread, and a flag says when the window is open, so the driver
counts only what it delivered within it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from benchmarks.lib.open_loop import even_schedule
from benchmarks.lib.stepper_run import paced

TAIL_S = 2.0  # sending goes on past the window, so its last moments are under load too


async def steady_phase(rate: float, warmup_s: float, window_s: float, counting: dict,
                       on_window: Callable[[], None],
                       send: Callable[[int, float], Awaitable[None]]) -> None:
    """`send` at `rate` from a second from now; `counting["open"]` is True while
    `on_window()` runs (from warmup_s into the phase, for as long as it takes)."""
    start = time.time() + 1
    end = start + warmup_s + window_s + TAIL_S

    async def window() -> None:
        await asyncio.sleep(max(0.0, start + warmup_s - time.time()))
        counting["open"] = True
        await asyncio.to_thread(on_window)
        counting["open"] = False

    watcher = asyncio.ensure_future(window())
    await paced(even_schedule(rate, start, end), send)
    await watcher
