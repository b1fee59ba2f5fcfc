"""Scenario: input preview. Hundreds of assigned visitors type at once; how long
until a keystroke shows on the agent's screen as `typing.preview`?

The center coalesces previews (at most ~10 a second per conversation), so not
every keystroke has a preview of its own. What a person sees is the first
preview that contains the keystroke: each keystroke appends one character, so
keystroke k is visible once a preview of length >= k arrived. That time, from
the keystroke, is the latency measured.
"""

from __future__ import annotations

import asyncio
import bisect
import random
import time
from typing import Callable

from benchmarks.lib.fragment import common_args, metric, write_fragment
from benchmarks.lib.kefu_client import Socket, open_agents
from benchmarks.lib.procs import raise_fd_limit, run_workers
from benchmarks.lib.scenario import ROLE_WORKER, cast_for, center_for, sleep_until, started
from benchmarks.lib.stats import summarize

FULL = {"visitors": 500, "agents": 50, "typing_s": 30.0, "keystroke_s": 0.3, "visitor_procs": 2,
        "assign_budget_s": 20.0}  # typing starts then; 500 assignments take ~2 s here
QUICK = {"visitors": 50, "agents": 5, "typing_s": 4.0, "keystroke_s": 0.3, "visitor_procs": 1,
         "assign_budget_s": 6.0}
GRACE_S = 3.0


async def agent_worker(config: dict, progress: Callable[[int], None]) -> dict:
    raise_fd_limit()
    previews: dict[str, list[tuple[float, int]]] = {}

    def on_frame(agent: str, frame: dict) -> None:
        if frame.get("type") == "typing.preview":
            previews.setdefault(frame["conversation_id"], []).append((time.time(), len(frame["text"])))
            progress(1)

    sockets = await open_agents(config["url"], config["accounts"], on_frame)
    base = await started(config)
    await sleep_until(base + config["assign_budget_s"] + config["typing_s"] + GRACE_S)
    await asyncio.gather(*(socket.close() for socket in sockets))
    return {"previews": previews}


async def visitor_worker(config: dict, progress: Callable[[int], None]) -> dict:
    raise_fd_limit()
    loop = asyncio.get_running_loop()
    rng = random.Random(config["worker"])
    entries = []
    semaphore = asyncio.Semaphore(50)

    async def connect(token: str) -> None:
        assigned = loop.create_future()

        def on_frame(frame: dict) -> None:
            if frame.get("type") == "assigned" and not assigned.done():
                assigned.set_result(frame["conversation_id"])

        async with semaphore:
            entries.append((await Socket.open(config["url"], "/ws/visitor", token, on_frame), assigned))

    await asyncio.gather(*(connect(token) for token in config["tokens"]))
    base = await started(config)
    for socket, _ in entries:
        await socket.send({"type": "chat.request", "skill_group": config["group"]})
    conversations = await asyncio.wait_for(asyncio.gather(*(a for _, a in entries)),
                                           config["assign_budget_s"])
    start = base + config["assign_budget_s"]
    end = start + config["typing_s"]
    keystrokes: dict[str, list[float]] = {}

    async def type_along(socket: Socket, cid: str) -> None:
        # Keystrokes at random-ish intervals around the mean, as people type.
        times = keystrokes.setdefault(cid, [])
        await sleep_until(start + rng.uniform(0, config["keystroke_s"]))
        while time.time() < end:
            times.append(time.time())
            await socket.send({"type": "typing", "conversation_id": cid, "text": "x" * len(times)})
            await asyncio.sleep(rng.uniform(0.5, 1.5) * config["keystroke_s"])

    await asyncio.gather(*(type_along(socket, cid) for (socket, _), cid in zip(entries, conversations)))
    await asyncio.sleep(GRACE_S)
    for (socket, _), cid in zip(entries, conversations):
        await socket.send({"type": "chat.end", "conversation_id": cid})
    await asyncio.sleep(1)
    await asyncio.gather(*(socket.close() for socket, _ in entries))
    return {"keystrokes": keystrokes}


def keystroke_latencies(keystrokes: dict[str, list[float]],
                        previews: dict[str, list[tuple[float, int]]]) -> tuple[list[float], int]:
    """For every keystroke, ms until the first preview showing it; and how many never showed."""
    latencies, unseen = [], 0
    for cid, times in keystrokes.items():
        shown = sorted(previews.get(cid, []))
        # The longest text shown so far, at each preview's arrival.
        arrivals, longest, best = [], [], 0
        for at, length in shown:
            best = max(best, length)
            arrivals.append(at)
            longest.append(best)
        for k, typed_at in enumerate(times, start=1):
            index = bisect.bisect_left(longest, k)
            if index == len(longest):
                unseen += 1
            else:
                latencies.append((arrivals[index] - typed_at) * 1000)
    return latencies, unseen


def main() -> None:
    args = common_args(__doc__).parse_args()
    plan = QUICK if args.quick else FULL
    with center_for(args) as center:
        cast = cast_for(center, "preview", plan["agents"], plan["visitors"])
        tokens = cast.tokens
        common = {"url": center.url, "group": cast.group, "module": "benchmarks.preview", **plan}
        configs = [{**common, "role": "agent", "accounts": cast.accounts}]
        configs += [{**common, "role": "visitor", "worker": i, "tokens": tokens[i::plan["visitor_procs"]]}
                    for i in range(plan["visitor_procs"])]
        results = run_workers(ROLE_WORKER, configs, desc="preview")
    previews = results[0]["previews"]
    keystrokes = {cid: times for r in results[1:] for cid, times in r["keystrokes"].items()}
    latencies, unseen = keystroke_latencies(keystrokes, previews)
    summary = summarize(latencies)
    typed = sum(len(t) for t in keystrokes.values())
    shown = sum(len(p) for p in previews.values())
    metrics = {
        "preview_p50_ms": metric(summary["p50"], "ms"),
        "preview_p95_ms": metric(summary["p95"], "ms", goal="<= 200"),
        "preview_p99_ms": metric(summary["p99"], "ms"),
        "preview_keystrokes_never_shown": metric(unseen, "keystrokes", goal="== 0"),
        "preview_frames_per_keystroke": metric(round(shown / typed, 3) if typed else None, "ratio"),
    }
    notes = [f"preview: {plan['visitors']} visitors typing one key every ~{plan['keystroke_s']} s for "
             f"{plan['typing_s']:.0f} s ({typed} keystrokes, {shown} previews delivered)."]
    write_fragment(args.out, metrics, {"cdf:typing preview": latencies}, notes)


if __name__ == "__main__":
    main()
