"""Scenario: memory of the whole center holding many open conversations.

1,000 agents stay connected and online; 10,000 visitors each open a socket,
get assigned and leave the socket (the conversation stays open, as when a
visitor closes the tab and may come back). Then the resident memory of every
process of the center (driver, GCS, raylet, shards, hub, Serve controller,
HAProxy, gateway replicas) is summed, next to the same figure for the idle
center measured before the load.
"""

from __future__ import annotations

import asyncio
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable

from benchmarks.lib.fragment import common_args, metric, write_fragment
from benchmarks.lib.kefu_client import Socket, open_agents
from benchmarks.lib.local_center import resident_memory_mb
from benchmarks.lib.procs import raise_fd_limit, run_workers
from benchmarks.lib.scenario import ROLE_WORKER, cast_for, center_for, started

FULL = {"conversations": 10_000, "agents": 1_000, "visitor_procs": 2, "budget_s": 900.0}
QUICK = {"conversations": 100, "agents": 10, "visitor_procs": 1, "budget_s": 120.0}
GOAL_MB = 3 * 1024


async def agent_worker(config: dict, progress: Callable[[int], None]) -> dict:
    raise_fd_limit()
    held: dict[str, list[str]] = {}

    def on_frame(agent: str, frame: dict) -> None:
        if frame.get("type") == "assigned":
            held.setdefault(agent, []).append(frame["conversation_id"])

    accounts = config["accounts"]
    sockets = await open_agents(config["url"], accounts, on_frame, connections=20)
    base = await started(config)
    # All assigned (or out of time): tell the parent to measure, and hold
    # everything until it has (it removes the hold file it made).
    while sum(len(c) for c in held.values()) < config["conversations"] and \
            time.time() < base + config["budget_s"]:
        await asyncio.sleep(0.5)
    Path(config["loaded_flag"]).touch()
    hold = Path(config["hold_flag"])
    while hold.exists():
        await asyncio.sleep(0.5)
    by_name = {a["username"]: s for a, s in zip(accounts, sockets)}
    for agent, cids in held.items():
        for cid in cids:
            await by_name[agent].send({"type": "chat.end", "conversation_id": cid})
    await asyncio.sleep(2)
    await asyncio.gather(*(socket.close() for socket in sockets))
    return {"held": sum(len(c) for c in held.values()),
            "max_per_agent": max((len(c) for c in held.values()), default=0)}


async def visitor_worker(config: dict, progress: Callable[[int], None]) -> dict:
    raise_fd_limit()
    # Visitors of this process between connecting and closing at once: enough to
    # keep the gateway busy (the ramp is bound by its CPU, 60-150 a second here).
    semaphore = asyncio.Semaphore(200)
    loop = asyncio.get_running_loop()
    await started(config)
    failures: list[str] = []

    async def one(token: str) -> None:
        async with semaphore:
            answer = loop.create_future()

            def on_frame(frame: dict) -> None:
                if frame.get("type") in ("assigned", "queued", "offline", "error") and not answer.done():
                    answer.set_result(frame)

            socket = await Socket.open(config["url"], "/ws/visitor", token, on_frame)
            await socket.send({"type": "chat.request", "skill_group": config["group"]})
            frame = await asyncio.wait_for(answer, 120)
            if frame["type"] != "assigned":
                failures.append(frame["type"])
            await socket.close()
            progress(1)

    await asyncio.gather(*(one(token) for token in config["tokens"]))
    return {"failures": failures}


def main() -> None:
    args = common_args(__doc__).parse_args()
    plan = QUICK if args.quick else FULL
    with center_for(args) as center:
        if center.processes is None:
            # A remote cluster's processes are not ours to read: say so, measure nothing.
            write_fragment(args.out, {}, {}, ["memory: not measured (the center's processes are "
                                              "not on this machine; run it on the head node)"])
            return
        idle = resident_memory_mb(center.processes())
        # Visitors are signed up beforehand: signing up, connecting and asking one
        # after another is not what this scenario measures.
        cast = cast_for(center, "memory", plan["agents"], plan["conversations"], connections=20)
        cap, tokens = cast.cap, cast.tokens
        hold = Path(tempfile.mkstemp(prefix="kefu-bench-hold-")[1])
        loaded_flag = hold.with_suffix(".loaded")
        common = {"url": center.url, "group": cast.group, "module": "benchmarks.memory",
                  "hold_flag": str(hold), "loaded_flag": str(loaded_flag), **plan}
        configs = [{**common, "role": "agent", "accounts": cast.accounts}]
        configs += [{**common, "role": "visitor", "tokens": tokens[i::plan["visitor_procs"]]}
                    for i in range(plan["visitor_procs"])]
        loaded: dict = {}

        def measure_when_loaded() -> None:
            # Sample the center's memory once the agent worker says all are assigned
            # (a few samples, keeping the peak), then release the agents.
            while not loaded_flag.exists() and hold.exists():
                time.sleep(0.5)
            time.sleep(5)  # let buffers settle after the last assignment
            samples = [resident_memory_mb(center.processes()) for _ in range(3)]
            loaded.update(max(samples, key=lambda s: s["rss_mb"]))
            loaded["processes"] = len(center.processes())
            hold.unlink(missing_ok=True)
            loaded_flag.unlink(missing_ok=True)

        sampler = threading.Thread(target=measure_when_loaded, daemon=True)
        sampler.start()
        try:
            results = run_workers(ROLE_WORKER, configs, desc="memory",
                                  total=len(tokens))
        finally:
            hold.unlink(missing_ok=True)
        sampler.join()
    held = results[0]["held"]
    failures = [f for r in results[1:] for f in r["failures"]]
    label = f"{plan['conversations'] // 1000}k"
    metrics = {
        "memory_rss_mb_10k_conversations": metric(round(loaded["rss_mb"], 1), "MB",
                                                  baseline=round(idle["rss_mb"], 1),
                                                  goal=f"<= {GOAL_MB}"),
        "memory_pss_mb_10k_conversations": metric(round(loaded["pss_mb"], 1), "MB",
                                                  baseline=round(idle["pss_mb"], 1)),
        "memory_open_conversations": metric(held, "conversations", goal=f"== {plan['conversations']}"),
        "memory_agents": metric(plan["agents"], "agents"),
        "memory_max_per_agent": metric(results[0]["max_per_agent"], "conversations", goal=f"<= {cap}"),
    }
    notes = [f"memory: {label} scale: {held} open conversations on {plan['agents']} connected agents; "
             f"{loaded['processes']} center processes; baseline = the idle center before the load; "
             f"{len(failures)} requests answered first with something else than `assigned` "
             f"({sorted(set(failures))}; `queued` ones are assigned later, as the open count shows)."]
    write_fragment(args.out, metrics, {}, notes)


if __name__ == "__main__":
    main()
