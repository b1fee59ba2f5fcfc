"""Scenario: relay visitor -> agent through the center, at rising load and sustained.

Many conversations are opened and assigned first (2,000 in the full run). Then
the visitors send as fast as the center takes them, one message in flight per
conversation (the sustained throughput); after a pause for that backlog to
drain, at a fixed aggregate rate per phase, rising (open loop: a slow center
shows up as latency, not as a slower client). A rate beyond what the center
takes backs up, so the rising phases come last. Each message carries its
send time; the agent side takes the latency when the `message` frame arrives.
Lost = acknowledged to the visitor but never delivered to the agent.
"""

from __future__ import annotations

import asyncio
import time
from typing import Callable

from benchmarks.lib.fragment import common_args, metric, write_fragment
from benchmarks.lib.kefu_client import Socket, Waiter, open_agents
from benchmarks.lib.procs import raise_fd_limit, run_workers
from benchmarks.lib.scenario import ROLE_WORKER, cast_for, center_for, sleep_until, started
from benchmarks.lib.stats import summarize

FULL = {"conversations": 2000, "agents": 100, "visitor_procs": 2, "agent_procs": 2,
        "rates": [20, 100, 200, 400], "phase_s": 10.0, "sustained_s": 20.0, "drain_s": 15.0,
        "assign_budget_s": 30.0}
QUICK = {"conversations": 100, "agents": 10, "visitor_procs": 1, "agent_procs": 1,
         "rates": [20, 200], "phase_s": 3.0, "sustained_s": 4.0, "drain_s": 2.0,
         "assign_budget_s": 4.0}
GRACE_S = 5.0  # after the last send, for the last messages to arrive
# assign_budget_s: the phases start that long after the requests, in every worker
# alike (a fixed schedule, no coordination); 2,000 assignments take ~5 s here.
SUSTAINED = "sustained"


def schedule(config: dict, base: float) -> list[tuple[str, float, float]]:
    """(phase, start, end) in wall-clock time, the same in every worker: the
    sustained phase first, then one per rate."""
    at = base + config["assign_budget_s"]
    phases = [(SUSTAINED, at, at + config["sustained_s"])]
    at += config["sustained_s"] + config["drain_s"]
    for rate in config["rates"]:
        phases.append((f"rate{rate}", at, at + config["phase_s"]))
        at += config["phase_s"]
    return phases


# -- agents -------------------------------------------------------------------------


async def agent_worker(config: dict, progress: Callable[[int], None]) -> dict:
    raise_fd_limit()
    latencies: dict[str, list[float]] = {}
    received: set[str] = set()
    assigned: dict[str, int] = {}

    def on_frame(agent: str, frame: dict) -> None:
        kind = frame.get("type")
        if kind == "message":
            message = frame["message"]
            if message["sender"]["kind"] != "visitor" or message["client_msg_id"] in received:
                return
            sent_at, phase = message["body"].split("|", 2)[:2]
            received.add(message["client_msg_id"])
            latencies.setdefault(phase, []).append((time.time() - float(sent_at)) * 1000)
            progress(1)
        elif kind == "assigned":
            assigned[agent] = assigned.get(agent, 0) + 1

    sockets = await open_agents(config["url"], config["accounts"], on_frame)
    base = await started(config)
    await sleep_until(schedule(config, base)[-1][2] + GRACE_S)
    await asyncio.gather(*(socket.close() for socket in sockets))
    return {"latencies": latencies, "received": sorted(received), "assigned": assigned}


# -- visitors ------------------------------------------------------------------------


class Visitor:
    def __init__(self, index: str) -> None:
        self.index = index
        self.socket: Socket | None = None
        self.conversation_id: str | None = None
        self.assigned = asyncio.get_running_loop().create_future()
        self.acks = Waiter()
        self.sent = 0

    def on_frame(self, frame: dict) -> None:
        kind = frame.get("type")
        if kind == "assigned" and not self.assigned.done():
            self.conversation_id = frame["conversation_id"]
            self.assigned.set_result(time.time())
        elif kind == "ack":
            self.acks.resolve(frame["client_msg_id"], frame["seq"])
        elif kind in ("offline", "error") and not self.assigned.done():
            self.assigned.set_exception(RuntimeError(f"chat.request failed: {frame}"))

    async def send(self, phase: str, acked: list[str], progress: Callable[[int], None]) -> None:
        self.sent += 1
        client_msg_id = f"{self.index}-{self.sent}"
        ack = self.acks.expect(client_msg_id)
        await self.socket.send({"type": "message", "conversation_id": self.conversation_id,
                                "client_msg_id": client_msg_id,
                                "body": f"{time.time():.6f}|{phase}|hello from the relay benchmark"})
        await ack
        acked.append(client_msg_id)


async def visitor_worker(config: dict, progress: Callable[[int], None]) -> dict:
    raise_fd_limit()
    visitors = [Visitor(f"w{config['worker']}v{i}") for i in range(len(config["tokens"]))]
    semaphore = asyncio.Semaphore(50)

    async def connect(visitor: Visitor, token: str) -> None:
        async with semaphore:
            visitor.socket = await Socket.open(config["url"], "/ws/visitor", token, visitor.on_frame)

    await asyncio.gather(*(connect(v, t) for v, t in zip(visitors, config["tokens"])))
    base = await started(config)
    for visitor in visitors:
        await visitor.socket.send({"type": "chat.request", "skill_group": config["group"]})
    assigned_at = await asyncio.wait_for(asyncio.gather(*(v.assigned for v in visitors)),
                                         config["assign_budget_s"])
    acked: dict[str, list[str]] = {}
    pending: set[asyncio.Task] = set()
    (phase, start, end), *rated = schedule(config, base)
    await sleep_until(start)
    acked[phase] = []

    async def closed_loop(visitor: Visitor) -> None:
        while time.time() < end:
            await visitor.send(phase, acked[phase], progress)

    await asyncio.gather(*(closed_loop(v) for v in visitors))
    for (phase, start, end), rate in zip(rated, config["rates"]):
        # Open loop at this worker's share of the rate, conversations in turn.
        await sleep_until(start)
        acked[phase] = []
        interval = 1.0 / (rate * config["share"])
        n = 0
        while (moment := start + n * interval) < end:
            await sleep_until(moment)
            task = asyncio.ensure_future(visitors[n % len(visitors)].send(phase, acked[phase], progress))
            pending.add(task)
            task.add_done_callback(pending.discard)
            n += 1
    if pending:
        await asyncio.wait(pending, timeout=GRACE_S)
    for visitor in visitors:
        await visitor.socket.send({"type": "chat.end", "conversation_id": visitor.conversation_id})
    await asyncio.sleep(1)
    await asyncio.gather(*(v.socket.close() for v in visitors))
    return {"acked": acked, "assign_ms": [(t - base) * 1000 for t in assigned_at]}


# -- the run -------------------------------------------------------------------------


def split(items: list, parts: int) -> list[list]:
    return [items[i::parts] for i in range(parts)]


def main() -> None:
    args = common_args(__doc__).parse_args()
    plan = QUICK if args.quick else FULL
    with center_for(args) as center:
        cast = cast_for(center, "relay", plan["agents"], plan["conversations"])
        accounts, tokens = cast.accounts, cast.tokens
        common = {"url": center.url, "group": cast.group, "module": "benchmarks.relay", **plan}
        configs = [{**common, "role": "agent", "accounts": part}
                   for part in split(accounts, plan["agent_procs"])]
        configs += [{**common, "role": "visitor", "worker": i, "tokens": part,
                     "share": len(part) / len(tokens)}
                    for i, part in enumerate(split(tokens, plan["visitor_procs"]))]
        results = run_workers(ROLE_WORKER, configs, desc="relay")
    write_results(args.out, plan, results)


def write_results(out, plan: dict, results: list[dict]) -> None:
    agents = [r for r in results if "received" in r]
    visitors = [r for r in results if "acked" in r]
    received = set().union(*(r["received"] for r in agents))
    latencies: dict[str, list[float]] = {}
    for result in agents:
        for phase, samples in result["latencies"].items():
            latencies.setdefault(phase, []).extend(samples)
    acked: dict[str, list[str]] = {}
    for result in visitors:
        for phase, ids in result["acked"].items():
            acked.setdefault(phase, []).extend(ids)
    lost = sum(1 for ids in acked.values() for cid in ids if cid not in received)

    metrics, series, notes = {}, {}, []
    loads = []
    for rate in plan["rates"]:
        phase = f"rate{rate}"
        summary = summarize(latencies.get(phase, []))
        delivered = len(latencies.get(phase, [])) / plan["phase_s"]
        loads.append([rate, delivered])
        for p in ("p50", "p95", "p99"):
            metrics[f"relay_{p}_ms_at_{rate}_per_s"] = metric(summary[p], "ms")
        series[f"cdf:relay @ {rate} msg/s"] = latencies.get(phase, [])
    lowest = summarize(latencies.get(f"rate{plan['rates'][0]}", []))
    metrics["relay_p50_ms"] = metric(lowest["p50"], "ms", goal="<= 1.5x floor (relay_p50_vs_floor)")
    metrics["relay_p95_ms"] = metric(lowest["p95"], "ms")
    metrics["relay_p99_ms"] = metric(lowest["p99"], "ms", goal="<= 3x floor (relay_p99_vs_floor)")
    sustained = latencies.get(SUSTAINED, [])
    throughput = len(sustained) / plan["sustained_s"]
    metrics["relay_throughput_msgs_per_s"] = metric(round(throughput, 1), "msg/s", goal=">= 1000")
    metrics["relay_open_conversations"] = metric(plan["conversations"], "conversations")
    metrics["relay_sustained_p50_ms"] = metric(summarize(sustained)["p50"], "ms")
    metrics["relay_sustained_p99_ms"] = metric(summarize(sustained)["p99"], "ms")
    metrics["relay_lost_messages"] = metric(lost, "messages", goal="== 0")
    assign_ms = [ms for r in visitors for ms in r["assign_ms"]]
    metrics["relay_setup_assign_p99_ms"] = metric(summarize(assign_ms)["p99"], "ms")
    series["cdf:relay sustained"] = sustained
    series["throughput:relay delivered, by offered msg/s"] = loads
    notes.append(f"relay: {plan['conversations']} open conversations on {plan['agents']} agents; "
                 f"{plan['sustained_s']} s closed loop (one message in flight per conversation), "
                 f"then open-loop phases at {plan['rates']} msg/s for {plan['phase_s']} s each.")
    write_fragment(out, metrics, series, notes)


if __name__ == "__main__":
    main()
