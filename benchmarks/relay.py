"""Scenario: relay visitor -> agent through the center, at rising load and sustained.

Many conversations are opened and assigned first (2,000 in the full run). Then
the visitors send as fast as the center takes them, one message in flight per
conversation (the sustained throughput); after a pause for that backlog to
drain, at a fixed aggregate rate per phase, rising (open loop: a slow center
shows up as latency, not as a slower client). A rate beyond what the center
takes backs up, so the rising phases come last. Each message carries its
send time; the agent side takes the latency when the `message` frame arrives.
Lost = acknowledged to the visitor but never delivered to the agent.

Open-loop latencies run from the moment a message was scheduled, not sent, so
a client that falls behind cannot hide the wait (no coordinated omission). Last
comes the open-loop rate stepper (benchmarks.lib.open_loop): the rate rises
step by step until a step's p99 passes 100 ms or a message is lost or late;
`relay_capacity_msgs_per_s_at_p99_100ms` is the highest rate that held (the
Serve echo's, from echo_serve at the same connection count and ladder, makes
`relay_capacity_vs_serve_echo` in benchmarks.run). Over the highest step that
held (else the phase at `cpu_rate`), the CPU time of every center process is
read (benchmarks.lib.center_cpu): `relay_cpu_ms_per_message`.
"""

from __future__ import annotations

import asyncio
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable

from benchmarks.lib.fragment import common_args, metric, write_fragment
from benchmarks.lib import center_cpu
from benchmarks.lib.kefu_client import Socket, Waiter, open_agents
from benchmarks.lib.open_loop import Step, even_schedule, ladder, step_verdict
from benchmarks.lib.relay_figures import add_cpu, add_stepper, step_phase
from benchmarks.lib.procs import raise_fd_limit, run_workers
from benchmarks.lib.scenario import ROLE_WORKER, cast_for, center_for, sleep_until, started
from benchmarks.lib.stats import summarize
from benchmarks.lib.stepper_run import flag_stop, paced, step_windows, stop_flagged

FULL = {"conversations": 2000, "agents": 100, "visitor_procs": 2, "agent_procs": 2,
        "rates": [20, 100, 200, 400], "phase_s": 10.0, "sustained_s": 20.0, "drain_s": 15.0,
        "assign_budget_s": 90.0, "cpu_rate": 200, "idle_s": 5.0,
        "step_rates": ladder(50, 1.4, 16000), "step_s": 5.0, "step_gap_s": 2.0}
QUICK = {"conversations": 100, "agents": 10, "visitor_procs": 1, "agent_procs": 1,
         "rates": [20, 200], "phase_s": 3.0, "sustained_s": 4.0, "drain_s": 2.0,
         "assign_budget_s": 4.0, "cpu_rate": 200, "idle_s": 2.0,
         "step_rates": ladder(50, 1.4, 16000), "step_s": 2.0, "step_gap_s": 1.0}
GRACE_S = 5.0  # after the last send, for the last messages to arrive
# assign_budget_s: the phases start that long after the requests, in every worker
# alike (a fixed schedule, no coordination). 2,000 sockets opened at once cost the
# gateway ~5 ms of CPU each before it reads their first frame (the arrival recorded,
# open conversations, unseen replies and invitations looked up): their requests were
# all assigned 12-17 s after they were sent on 2026-12-08, and not within 30 s in
# that night's full run, where four load processes shared the two cores.
SUSTAINED = "sustained"


def schedule(config: dict, base: float) -> list[tuple[str, float, float]]:
    """(phase, start, end) in wall-clock time, the same in every worker: the
    sustained phase first, then one per rate (the stepper's come after)."""
    at = base + config["assign_budget_s"]
    phases = [(SUSTAINED, at, at + config["sustained_s"])]
    at += config["sustained_s"] + config["drain_s"]
    for rate in config["rates"]:
        phases.append((f"rate{rate}", at, at + config["phase_s"]))
        at += config["phase_s"]
    return phases


def steps(config: dict, base: float) -> list[tuple[float, float, float]]:
    """(rate, start, end) of the stepper's steps: after the rate phases and a
    drain for the backlog the highest of them may have left."""
    first = schedule(config, base)[-1][2] + config["drain_s"]
    return step_windows(config["step_rates"], first, config["step_s"], config["step_gap_s"])


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
    for index, (rate, _start, end) in enumerate(steps(config, base)):
        # Judge this process's share of the step once its last messages had time.
        await sleep_until(end + config["step_gap_s"] * 0.8)
        own = Step(rate, len(latencies.get(step_phase(index), [])),
                   latencies.get(step_phase(index), []))
        if step_verdict(own) == "p99":
            flag_stop(config["stop_flag"])
        if stop_flagged(config["stop_flag"]):
            break
    # Twice the visitors' wait for their acks: a message acked late must still
    # find its agent here, or it would count as lost.
    await asyncio.sleep(2 * GRACE_S)
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

    async def send(self, phase: str, acked: list[str], progress: Callable[[int], None],
                   scheduled: float | None = None) -> None:
        """Send one message; its latency runs from `scheduled` (open loop) or now."""
        self.sent += 1
        client_msg_id = f"{self.index}-{self.sent}"
        ack = self.acks.expect(client_msg_id)
        moment = time.time() if scheduled is None else scheduled
        await self.socket.send({"type": "message", "conversation_id": self.conversation_id,
                                "client_msg_id": client_msg_id,
                                "body": f"{moment:.6f}|{phase}|hello from the relay benchmark"})
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
    if config.get("base_file"):
        # For the parent's CPU reading, which follows the same schedule.
        Path(config["base_file"]).write_text(repr(base))
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
        await paced(even_schedule(rate * config["share"], start, end),
                    open_loop_send(visitors, phase, acked, pending, progress))
    sent = await step_ladder(config, base, visitors, acked, pending, progress)
    if pending:
        await asyncio.wait(pending, timeout=GRACE_S)
    for visitor in visitors:
        await visitor.socket.send({"type": "chat.end", "conversation_id": visitor.conversation_id})
    await asyncio.sleep(1)
    await asyncio.gather(*(v.socket.close() for v in visitors))
    return {"acked": acked, "sent": sent, "assign_ms": [(t - base) * 1000 for t in assigned_at]}


def open_loop_send(visitors: list[Visitor], phase: str, acked: dict[str, list[str]],
                   pending: set[asyncio.Task], progress: Callable[[int], None]):
    """send(i, moment) for paced(): conversations in turn, never waiting for the ack."""
    acked.setdefault(phase, [])

    async def send(n: int, moment: float) -> None:
        task = asyncio.ensure_future(visitors[n % len(visitors)].send(phase, acked[phase], progress,
                                                                      scheduled=moment))
        pending.add(task)
        task.add_done_callback(pending.discard)

    return send


async def step_ladder(config: dict, base: float, visitors: list[Visitor], acked: dict[str, list[str]],
                      pending: set[asyncio.Task], progress: Callable[[int], None]) -> dict[str, int]:
    """The stepper's steps, until one broke here or in another process (the stop
    flag). Returns the messages sent in each step run."""
    sent: dict[str, int] = {}
    for index, (rate, start, end) in enumerate(steps(config, base)):
        await sleep_until(start)
        if stop_flagged(config["stop_flag"]):
            break
        phase = step_phase(index)
        moments = even_schedule(rate * config["share"], start, end)
        await paced(moments, open_loop_send(visitors, phase, acked, pending, progress))
        sent[phase] = len(moments)
        await sleep_until(end + config["step_gap_s"] * 0.8)
        if len(acked[phase]) < len(moments):
            flag_stop(config["stop_flag"])  # acks still missing: late or lost
    return sent


# -- the run -------------------------------------------------------------------------


def split(items: list, parts: int) -> list[list]:
    return [items[i::parts] for i in range(parts)]


def main() -> None:
    args = common_args(__doc__).parse_args()
    plan = QUICK if args.quick else FULL
    cpu: dict = {}
    with center_for(args) as center, tempfile.TemporaryDirectory(prefix="bench-relay-") as tmp:
        cast = cast_for(center, "relay", plan["agents"], plan["conversations"])
        accounts, tokens = cast.accounts, cast.tokens
        base_file = Path(tmp) / "base"
        common = {"url": center.url, "group": cast.group, "module": "benchmarks.relay",
                  "stop_flag": str(Path(tmp) / "stop"), **plan}
        configs = [{**common, "role": "agent", "accounts": part}
                   for part in split(accounts, plan["agent_procs"])]
        configs += [{**common, "role": "visitor", "worker": i, "tokens": part,
                     "share": len(part) / len(tokens), "base_file": str(base_file) if i == 0 else None}
                    for i, part in enumerate(split(tokens, plan["visitor_procs"]))]
        reader = None
        if center.processes is not None:
            # What the center burns with no socket open: the rest of each figure is the relay's.
            before = center_cpu.sample(center.processes())
            time.sleep(plan["idle_s"])
            cpu["idle"] = center_cpu.spent(before, center_cpu.sample(center.processes()))
            reader = threading.Thread(target=read_cpu, args=(common, base_file, center.processes, cpu),
                                      daemon=True)
            reader.start()
        results = run_workers(ROLE_WORKER, configs, desc="relay")
        if reader is not None:
            reader.join(timeout=5)
    write_results(args.out, plan, results, dict(cpu))


def read_cpu(plan: dict, base_file: Path, processes: Callable, into: dict) -> None:
    """The center's CPU over the phase at plan["cpu_rate"] and over each step of
    the stepper, by phase name (in a thread of the benchmark's own process: no
    load worker's loop is held up by the reading)."""
    deadline = time.time() + 600
    while not base_file.exists():
        if time.time() > deadline:
            return
        time.sleep(0.1)
    time.sleep(0.05)  # the write of one short line
    base = float(base_file.read_text())
    windows = [p for p in schedule(plan, base) if p[0] == f"rate{plan['cpu_rate']}"]
    windows += [(step_phase(i), start, end) for i, (_rate, start, end) in enumerate(steps(plan, base))]
    for phase, start, end in windows:
        if stop_flagged(plan.get("stop_flag")) and phase.startswith("step"):
            return
        time.sleep(max(0.0, start - time.time()))
        before = center_cpu.sample(processes())
        time.sleep(max(0.0, end - time.time()))
        into[phase] = center_cpu.spent(before, center_cpu.sample(processes()))


def write_results(out, plan: dict, results: list[dict],
                  cpu: dict[str, center_cpu.CpuSpent] | None = None) -> None:
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
    held_phase = add_stepper(plan, visitors, latencies, acked, received, metrics, series, notes)
    add_cpu(plan, cpu or {}, held_phase, latencies, metrics, notes)
    series["throughput:relay delivered, by offered msg/s"] = loads
    notes.append(f"relay: {plan['conversations']} open conversations on {plan['agents']} agents; "
                 f"{plan['sustained_s']} s closed loop (one message in flight per conversation), "
                 f"then open-loop phases at {plan['rates']} msg/s for {plan['phase_s']} s each.")
    write_fragment(out, metrics, series, notes)


if __name__ == "__main__":
    main()
