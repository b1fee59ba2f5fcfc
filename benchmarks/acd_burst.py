"""Scenario: an ACD burst. Many visitors ask for an agent at the same instant
(1,000 against 200 agents with cap 5 in the full run: exactly enough slots).

Checked from the outside only: every agent counts the `assigned` frames it gets
(over cap = more than its cap), and every conversation's assignments are
collected across agents (double = the same conversation given to two agents).
Assignment latency is from sending `chat.request` to the visitor's `assigned`.

Then the sustained phase: a fresh skill group with as many agents and slots,
and `sustained_requests` chats arriving as a Poisson process at half the rate
the burst was served at (benchmarks.lib.open_loop.poisson_schedule), each
visitor process its share of the rate; latency runs from the scheduled arrival
to `assigned` (`acd_sustained_assign_p99_ms`): what a visitor waits when the
center is busy but not flooded.
"""

from __future__ import annotations

import asyncio
import time
from typing import Callable

from benchmarks.lib.fragment import common_args, metric, write_fragment
from benchmarks.lib.kefu_client import Socket, open_agents
from benchmarks.lib.open_loop import poisson_schedule
from benchmarks.lib.procs import raise_fd_limit, run_workers
from benchmarks.lib.scenario import ROLE_WORKER, cast_for, center_for, sleep_until, started
from benchmarks.lib.stats import summarize

FULL = {"requests": 1000, "agents": 200, "cap": 5, "visitor_procs": 2, "budget_s": 60.0,
        "sustained_requests": 2000}
QUICK = {"requests": 100, "agents": 20, "cap": 5, "visitor_procs": 1, "budget_s": 30.0,
         "sustained_requests": 300}
SUSTAINED_SHARE_OF_BURST = 0.5
LEAD_S = 1.0  # from the start barrier to the sustained phase's clock
SEED = 13  # the Poisson arrivals are the same from run to run
SETTLE_S = 2.0  # after the last assignment, for a late extra one to show up


async def agent_worker(config: dict, progress: Callable[[int], None]) -> dict:
    raise_fd_limit()
    assignments: dict[str, list[str]] = {}

    def on_frame(agent: str, frame: dict) -> None:
        if frame.get("type") == "assigned":
            assignments.setdefault(agent, []).append(frame["conversation_id"])

    sockets = await open_agents(config["url"], config["accounts"], on_frame)
    base = await started(config)
    # Every request assigned (or out of time), then a while longer for a late
    # extra assignment, which would be over cap or double, to show up.
    while sum(len(c) for c in assignments.values()) < config["requests"] and \
            time.time() < base + config["budget_s"]:
        await asyncio.sleep(0.1)
    await asyncio.sleep(SETTLE_S)
    await asyncio.gather(*(socket.close() for socket in sockets))
    return {"assignments": assignments}


async def connected_visitors(config: dict, progress: Callable[[int], None]) -> tuple[list, list[asyncio.Future]]:
    """Every visitor of `config["tokens"]` connected (50 at a time), each with the future of
    the first answer to its chat request (`assigned`, `offline` or `error`, and when)."""
    raise_fd_limit()
    loop = asyncio.get_running_loop()
    answers: list[asyncio.Future] = []
    sockets = []
    semaphore = asyncio.Semaphore(50)

    async def connect(token: str) -> None:
        answer = loop.create_future()

        def on_frame(frame: dict) -> None:
            if frame.get("type") in ("assigned", "offline", "error") and not answer.done():
                answer.set_result((time.time(), frame))
                progress(1)

        async with semaphore:
            sockets.append(await Socket.open(config["url"], "/ws/visitor", token, on_frame))
        answers.append(answer)

    await asyncio.gather(*(connect(token) for token in config["tokens"]))
    return sockets, answers


async def end_and_close(sockets: list, results: list[dict]) -> None:
    """The visitors end the conversations they got, then leave."""
    for socket, result in zip(sockets, results):
        if result.get("conversation_id"):
            await socket.send({"type": "chat.end", "conversation_id": result["conversation_id"]})
    await asyncio.sleep(1)
    await asyncio.gather(*(socket.close() for socket in sockets))


async def visitor_worker(config: dict, progress: Callable[[int], None]) -> dict:
    sockets, answers = await connected_visitors(config, progress)
    await started(config)
    sent_at = []
    for socket in sockets:
        sent_at.append(time.time())
        await socket.send({"type": "chat.request", "skill_group": config["group"]})
    done, _ = await asyncio.wait(answers, timeout=config["budget_s"])
    results = []
    for sent, answer in zip(sent_at, answers):
        if answer.done():
            at, frame = answer.result()
            results.append({"sent": sent, "at": at, "type": frame["type"],
                            "conversation_id": frame.get("conversation_id"),
                            "agent": (frame.get("agent") or {}).get("id")})
        else:
            results.append({"sent": sent, "at": None, "type": "none"})
    # Leave the conversations open until the agents stopped counting, then end them.
    await asyncio.sleep(SETTLE_S)
    await end_and_close(sockets, results)
    return {"results": results}


async def steady_visitor_worker(config: dict, progress: Callable[[int], None]) -> dict:
    """Poisson arrivals at this process's share of config["rate"]; every visitor
    connects first (arriving is the chat.request, not the page load)."""
    sockets, answers = await connected_visitors(config, progress)
    base = await started(config)
    arrivals = poisson_schedule(len(sockets), config["rate"] * config["share"], base + LEAD_S,
                                SEED + config["worker"])
    for socket, moment in zip(sockets, arrivals):
        await sleep_until(moment)
        await socket.send({"type": "chat.request", "skill_group": config["group"]})
    await asyncio.wait(answers, timeout=config["budget_s"])
    results = []
    for moment, answer in zip(arrivals, answers):
        at, frame = answer.result() if answer.done() else (None, {"type": "none"})
        results.append({"sent": moment, "at": at, "type": frame["type"],
                        "conversation_id": frame.get("conversation_id")})
    await asyncio.sleep(SETTLE_S)
    await end_and_close(sockets, results)
    return {"results": results}


def main() -> None:
    args = common_args(__doc__).parse_args()
    plan = QUICK if args.quick else FULL
    with center_for(args) as center:
        cast = cast_for(center, "burst", plan["agents"], plan["requests"], cap=plan["cap"])
        tokens = cast.tokens
        common = {"url": center.url, "group": cast.group, "module": "benchmarks.acd_burst", **plan}
        configs = [{**common, "role": "agent", "accounts": cast.accounts}]
        configs += [{**common, "role": "visitor", "tokens": tokens[i::plan["visitor_procs"]]}
                    for i in range(plan["visitor_procs"])]
        results = run_workers(ROLE_WORKER, configs, desc="acd burst",
                              total=plan["requests"])
        burst_rate = served_rate([r for result in results[1:] for r in result["results"]])
        steady = run_sustained(center, plan, burst_rate * SUSTAINED_SHARE_OF_BURST) if burst_rate else None
    write_results(args.out, plan, results, steady)


def run_sustained(center, plan: dict, rate: float) -> dict:
    """The Poisson phase on a cast of its own (the burst's slots play no part)."""
    count = plan["sustained_requests"]
    # Slots for every chat of the phase (none is ended during it).
    cap = max(plan["cap"], -(-count // plan["agents"]))
    cast = cast_for(center, "steady", plan["agents"], count, cap=cap)
    procs = plan["visitor_procs"]
    common = {"url": center.url, "group": cast.group, "module": "benchmarks.acd_burst", **plan,
              "requests": count, "rate": rate,
              # Room for the arrivals themselves (count / rate) on top of the burst's budget.
              "budget_s": plan["budget_s"] + count / rate}
    configs = [{**common, "role": "agent", "accounts": cast.accounts}]
    configs += [{**common, "role": "steady_visitor", "worker": i, "tokens": cast.tokens[i::procs],
                 "share": len(cast.tokens[i::procs]) / count} for i in range(procs)]
    results = run_workers(ROLE_WORKER, configs, desc="acd sustained", total=count)
    return {"rate": rate, "cap": cap, "results": [r for result in results[1:] for r in result["results"]]}


def served_rate(answers: list[dict]) -> float:
    """Assignments a second from the first request to the last assignment."""
    assigned = [a for a in answers if a["type"] == "assigned"]
    if not assigned:
        return 0.0
    span = max(a["at"] for a in assigned) - min(a["sent"] for a in answers)
    return len(assigned) / span if span > 0 else 0.0


def write_results(out, plan: dict, results: list[dict], steady: dict | None = None) -> None:
    assignments = results[0]["assignments"]
    answers = [r for result in results[1:] for r in result["results"]]
    over_cap = sum(max(0, len(cids) - plan["cap"]) for cids in assignments.values())
    agents_of: dict[str, set[str]] = {}
    for agent, cids in assignments.items():
        for cid in cids:
            agents_of.setdefault(cid, set()).add(agent)
    double = sum(1 for agents in agents_of.values() if len(agents) > 1)
    assigned = [a for a in answers if a["type"] == "assigned"]
    latency_ms = [(a["at"] - a["sent"]) * 1000 for a in assigned]
    first_sent = min(a["sent"] for a in answers)
    span = max(a["at"] for a in assigned) - first_sent if assigned else float("nan")
    rate = len(assigned) / span if assigned else 0.0
    summary = summarize(latency_ms)
    metrics = {
        "acd_requests": metric(plan["requests"], "requests"),
        "acd_assigned": metric(len(assigned), "conversations", goal=f"== {plan['requests']}"),
        "acd_over_cap": metric(over_cap, "assignments", goal="== 0"),
        "acd_double_assigned": metric(double, "conversations", goal="== 0"),
        "acd_assign_p50_ms": metric(summary["p50"], "ms"),
        "acd_assign_p99_ms": metric(summary["p99"], "ms", goal="<= 50"),
        "acd_assignments_per_s": metric(round(rate, 1), "assignments/s", goal=">= 500"),
    }
    notes = [f"acd_burst: {plan['requests']} chat.request frames sent at once against "
             f"{plan['agents']} agents with cap {plan['cap']}; {len(assigned)} assigned in {span:.2f} s; "
             f"agents saw {sum(len(c) for c in assignments.values())} assignments."]
    series = {"cdf:acd assignment": latency_ms}
    if steady is None:
        notes.append("acd_burst: sustained phase not run (the burst assigned nothing)")
    else:
        steady_assigned = [a for a in steady["results"] if a["type"] == "assigned"]
        steady_ms = [(a["at"] - a["sent"]) * 1000 for a in steady_assigned]
        steady_summary = summarize(steady_ms)
        metrics["acd_sustained_assign_p50_ms"] = metric(steady_summary["p50"], "ms")
        metrics["acd_sustained_assign_p99_ms"] = metric(steady_summary["p99"], "ms", goal="<= 50")
        metrics["acd_sustained_assigned"] = metric(len(steady_assigned), "conversations",
                                                   goal=f"== {plan['sustained_requests']}")
        metrics["acd_sustained_rate_per_s"] = metric(round(steady["rate"], 1), "arrivals/s")
        series["cdf:acd sustained assignment"] = steady_ms
        tenth = max(1, len(steady_ms) // 10)
        in_order = [(a["at"] - a["sent"]) * 1000 for a in sorted(steady_assigned, key=lambda a: a["sent"])]
        notes.append(f"acd_burst: sustained p50 of the first tenth of arrivals "
                     f"{summarize(in_order[:tenth])['p50']:.0f} ms, of the last tenth "
                     f"{summarize(in_order[-tenth:])['p50']:.0f} ms (a rise = a queue building up)")
        notes.append(f"acd_burst: sustained phase: {plan['sustained_requests']} chats arriving as a "
                     f"Poisson process at {steady['rate']:.0f}/s (half the burst's {rate:.0f}/s) on a "
                     f"fresh group of {plan['agents']} agents x cap {steady['cap']}; latency from the "
                     f"scheduled arrival; {len(steady_assigned)} assigned.")
    write_fragment(out, metrics, series, notes)


if __name__ == "__main__":
    main()
