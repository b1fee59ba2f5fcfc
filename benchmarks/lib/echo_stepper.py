"""The open-loop rate stepper against a websocket echo (the floor of the relay's
capacity, `serve_echo_capacity_msgs_per_s_at_p99_100ms`).

Every load process opens its share of the connections; at each step it sends its
share of the rate, conversations in turn, evenly spaced, each frame carrying the
moment it was scheduled; the echo's arrival gives the latency from that moment
(benchmarks.lib.open_loop). Same connection count and same ladder as the relay's
stepper, so the two capacities compare.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.lib.echo_load import LOAD_PROCESSES, open_all
from benchmarks.lib.open_loop import Step, capacity, describe, even_schedule, step_summary, step_verdict
from benchmarks.lib.procs import raise_fd_limit, run_workers, wait_for_start
from benchmarks.lib.stats import percentile
from benchmarks.lib.stepper_run import flag_stop, paced, step_windows, stop_flagged

LEAD_S = 1.0  # from the start barrier to the first step
GRACE_S = 3.0  # after the last step, for late echoes (they count, late)
PAD = "x" * 64


async def echo_stepper_worker(config: dict, progress: Callable[[int], None]) -> dict:
    """Config: url, connections, rates, step_s, gap_s, share, stop_flag."""
    raise_fd_limit()
    sockets = await open_all(config["url"], config["connections"])
    received: dict[int, list[float]] = {}
    sent: dict[int, int] = {}
    lags: dict[int, list[float]] = {}

    async def receive(ws) -> None:
        async for frame in ws:
            moment, index = frame.split("|", 2)[:2]
            received.setdefault(int(index), []).append((time.time() - float(moment)) * 1000)
            progress(1)

    readers = [asyncio.ensure_future(receive(ws)) for ws in sockets]
    try:
        await wait_for_start(config)
        first = time.time() + LEAD_S
        windows = step_windows(config["rates"], first, config["step_s"], config["gap_s"])
        for index, (rate, start, end) in enumerate(windows):
            if stop_flagged(config["stop_flag"]):
                break
            moments = even_schedule(rate * config["share"], start, end)

            async def send(i: int, moment: float, index: int = index) -> None:
                await sockets[i % len(sockets)].send(f"{moment:.6f}|{index}|{PAD}")

            lags[index] = await paced(moments, send)
            sent[index] = len(moments)
            await asyncio.sleep(max(0.0, end + config["gap_s"] * 0.8 - time.time()))
            own = Step(rate, len(moments), list(received.get(index, [])))
            if step_verdict(own) != "held":
                flag_stop(config["stop_flag"])
        await asyncio.sleep(GRACE_S)
    finally:
        for reader in readers:
            reader.cancel()
        await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
    return {"received": {str(k): v for k, v in received.items()},
            "sent": {str(k): v for k, v in sent.items()},
            "lag_p99_ms": {str(k): percentile(v, 99) for k, v in lags.items() if v}}


def merge_steps(rates: list[float], runs: list[dict], latency_key: str = "received",
                sent_key: str = "sent") -> list[Step]:
    """All load processes' figures of each step that every process ran."""
    steps = []
    for index, rate in enumerate(rates):
        key = str(index)
        if not all(key in run[sent_key] for run in runs):
            break
        latencies = [ms for run in runs for ms in run[latency_key].get(key, [])]
        scheduled = sum(run[sent_key][key] for run in runs)
        steps.append(Step(rate, scheduled, latencies))
    return steps


def step_echo(url: str, connections: int, rates: list[float], step_s: float, gap_s: float,
              label: str) -> dict:
    """Run the stepper against `url`; returns capacity (msg/s or None), the steps'
    summary lines and the worst client lag (ms), for the notes."""
    processes = min(LOAD_PROCESSES, connections)
    shares = [connections // processes + (i < connections % processes) for i in range(processes)]
    with tempfile.TemporaryDirectory(prefix="bench-stepper-") as tmp:
        flag = str(Path(tmp) / "stop")
        configs = [{"url": url, "connections": share, "rates": rates, "step_s": step_s,
                    "gap_s": gap_s, "share": share / connections, "stop_flag": flag}
                   for share in shares]
        runs = run_workers("benchmarks.lib.echo_stepper:echo_stepper_worker", configs,
                           desc=f"{label} stepper")
    steps = merge_steps(rates, runs)
    lag = max((ms for run in runs for ms in run["lag_p99_ms"].values()), default=0.0)
    return {"capacity": capacity(steps), "steps": step_summary(steps),
            "note": f"echo_serve: {label} open-loop stepper at {connections} connections: "
                    f"{describe(step_summary(steps), rates)}; worst client send lag p99 {lag:.0f} ms"}
