"""Scenario: does the ACD behave like the M/M/N queue it is? (Erlang C check)

N agents with cap 1, visitors arriving as a Poisson process, each conversation
held for an exponential time (the agent ends it), run long enough to be stable.
A visitor waited when the center's first answer to `chat.request` was `queued`
rather than `assigned`. The measured share of waiting visitors is compared with
Erlang C's probability of waiting for the same N and the offered load the
agents actually carried, and the mean wait with Erlang C's W_q.

The carried load is not quite the planned one: a slot is taken before the
agent hears `assigned` and freed only after `chat.end` crossed the center, so
each conversation holds its slot a little longer than the handle time the agent
drew. The visitor sees both ends (`assigned`, `ended`), so each conversation's
slot time is measured, the offered load is arrival rate x mean slot time, and
the difference from the drawn handle time is reported as the center's overhead
per conversation (`erlang_c_slot_overhead_ms`). Erlang C at the planned load is
reported beside it (`erlang_c_p_wait_nominal`).
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from typing import Callable

from benchmarks.lib.fragment import common_args, metric, write_fragment
from benchmarks.lib.kefu_client import Socket, open_agents
from benchmarks.lib.procs import raise_fd_limit, run_workers
from benchmarks.lib.scenario import cast_for, center_for, started

# Offered load a = arrival rate x mean handle time, in Erlangs; a < N.
FULL = {"agents": 10, "handle_s": 1.0, "load": 7.0, "duration_s": 300.0, "warmup_share": 0.1}
QUICK = {"agents": 5, "handle_s": 0.5, "load": 3.0, "duration_s": 12.0, "warmup_share": 0.1}
TOLERANCE = 0.03


def erlang_c(agents: int, load: float) -> float:
    """Probability that an arrival waits in an M/M/N queue (Erlang C), load in Erlangs."""
    if load >= agents:
        return 1.0
    term = 1.0
    partial = 1.0  # sum of a^k/k! for k < N
    for k in range(1, agents):
        term *= load / k
        partial += term
    top = term * load / agents * agents / (agents - load)  # a^N/N! * N/(N-a)
    return top / (partial + top)


async def worker(config: dict, progress: Callable[[int], None]) -> dict:
    raise_fd_limit()
    rng = random.Random(config["seed"])
    loop = asyncio.get_running_loop()

    drawn: dict[str, float] = {}

    def agent_frame(agent: str, frame: dict) -> None:
        # Each conversation is held for an exponential time, then the agent ends it.
        if frame.get("type") == "assigned":
            hold = rng.expovariate(1 / config["handle_s"])
            cid = frame["conversation_id"]
            drawn[cid] = hold
            loop.call_later(hold, lambda: asyncio.ensure_future(
                sockets[agent].send({"type": "chat.end", "conversation_id": cid})))

    accounts = config["accounts"]
    opened = await open_agents(config["url"], accounts, agent_frame)
    sockets = {account["username"]: socket for account, socket in zip(accounts, opened)}
    base = await started(config)
    arrivals: list[dict] = []
    tasks = []
    rate = config["load"] / config["handle_s"]
    tokens = iter(config["tokens"])
    at = base
    while True:
        at += rng.expovariate(rate)
        if at >= base + config["duration_s"]:
            break
        await asyncio.sleep(max(0.0, at - time.time()))
        record = {"at": time.time()}
        arrivals.append(record)
        tasks.append(asyncio.ensure_future(visit(config, next(tokens), record, progress)))
    await asyncio.gather(*tasks)
    await asyncio.gather(*(socket.close() for socket in opened))
    for record in arrivals:
        record["drawn_s"] = drawn.get(record.get("conversation_id"))
    return {"arrivals": arrivals, "base": base}


async def visit(config: dict, token: str, record: dict, progress: Callable[[int], None]) -> None:
    """One visitor: ask, note whether the first answer was `queued`, stay until ended."""
    loop = asyncio.get_running_loop()
    first = loop.create_future()
    assigned = loop.create_future()
    ended = loop.create_future()

    def on_frame(frame: dict) -> None:
        kind = frame.get("type")
        if kind in ("queued", "assigned", "offline", "error") and not first.done():
            first.set_result(kind)
        if kind == "assigned" and not assigned.done():
            record["conversation_id"] = frame["conversation_id"]
            assigned.set_result(time.time())
        if kind in ("ended", "offline") and not ended.done():
            ended.set_result(time.time())

    socket = await Socket.open(config["url"], "/ws/visitor", token, on_frame)
    sent = time.time()
    await socket.send({"type": "chat.request", "skill_group": config["group"]})
    record["first"] = await asyncio.wait_for(first, 120)
    assigned_at = await asyncio.wait_for(assigned, 600)
    record["waited_s"] = assigned_at - sent
    record["slot_s"] = await asyncio.wait_for(ended, 600) - assigned_at
    await socket.close()
    progress(1)


def main() -> None:
    args = common_args(__doc__).parse_args()
    plan = QUICK if args.quick else FULL
    rate = plan["load"] / plan["handle_s"]
    # Enough visitors for the arrivals of the run with a wide margin (Poisson tail).
    expected = rate * plan["duration_s"]
    visitors = int(expected + 6 * math.sqrt(expected) + 20)
    with center_for(args) as center:
        cast = cast_for(center, "erlang", plan["agents"], visitors, cap=1)
        config = {"url": center.url, "group": cast.group, "accounts": cast.accounts, "tokens": cast.tokens,
                  "seed": 20261125, **plan}
        [result] = run_workers("benchmarks.erlang_c:worker", [config], desc="erlang c",
                               total=int(expected))
    write_results(args.out, plan, result)


def write_results(out, plan: dict, result: dict) -> None:
    warmup_end = result["base"] + plan["duration_s"] * plan["warmup_share"]
    counted = [a for a in result["arrivals"] if a["at"] >= warmup_end]
    waited = sum(1 for a in counted if a["first"] == "queued")
    measured = waited / len(counted)
    # The load the agents carried: measured arrival rate x measured slot time.
    rate = len(counted) / (plan["duration_s"] * (1 - plan["warmup_share"]))
    slot_s = sum(a["slot_s"] for a in counted) / len(counted)
    load = rate * slot_s
    predicted = erlang_c(plan["agents"], load)
    nominal = erlang_c(plan["agents"], plan["load"])
    overheads = [a["slot_s"] - a["drawn_s"] for a in counted if a.get("drawn_s") is not None]
    mean_wait = sum(a["waited_s"] for a in counted) / len(counted)
    predicted_wait = predicted * slot_s / (plan["agents"] - load) if load < plan["agents"] else None
    metrics = {
        "erlang_c_p_wait_measured": metric(round(measured, 4), "probability",
                                           goal=f"within {TOLERANCE} of erlang_c_p_wait_predicted"),
        "erlang_c_p_wait_predicted": metric(round(predicted, 4), "probability"),
        "erlang_c_p_wait_error": metric(round(abs(measured - predicted), 4), "probability",
                                        goal=f"<= {TOLERANCE}"),
        "erlang_c_p_wait_nominal": metric(round(nominal, 4), "probability"),
        "erlang_c_offered_load_erlangs": metric(round(load, 3), "Erlangs", baseline=plan["load"]),
        "erlang_c_mean_wait_s_measured": metric(round(mean_wait, 4), "s"),
        "erlang_c_arrivals": metric(len(counted), "arrivals"),
    }
    if overheads:
        metrics["erlang_c_slot_overhead_ms"] = metric(
            round(sum(overheads) / len(overheads) * 1000, 1), "ms")
    if predicted_wait is not None:
        metrics["erlang_c_mean_wait_s_predicted"] = metric(round(predicted_wait, 4), "s")
    notes = [f"erlang_c: N={plan['agents']} agents (cap 1), planned load {plan['load']} Erlangs "
             f"(arrival rate {plan['load'] / plan['handle_s']:.1f}/s, mean handle {plan['handle_s']} s), "
             f"{plan['duration_s']:.0f} s, first {plan['warmup_share']:.0%} discarded as warm-up; "
             f"{len(counted)} arrivals counted. Carried load {load:.3f} Erlangs "
             f"({rate:.2f} arrivals/s x {slot_s * 1000:.0f} ms mean slot time); Erlang C at the "
             f"planned load would be {nominal:.4f}."]
    write_fragment(out, metrics, {"cdf:erlang c wait (ms)": [a["waited_s"] * 1000 for a in counted]},
                   notes)


if __name__ == "__main__":
    main()
