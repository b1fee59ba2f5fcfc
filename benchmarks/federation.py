"""Scenario: linked centers (级联). A visitor on `hq` chats with an agent of its child
`branch` through hq's edge, the link (gRPC, mutual TLS) and branch's edge; beside
them, in the same run and through the same client code, visitors on hq chat with hq's
own agents: what forwarding costs is the difference (benchmarks/lib/linked_pair.py
starts the two centers, each its own process and Ray).

In order: the link layer alone (two `Links` endpoints in processes of their own,
frames pumped through one stream: benchmarks/lib/link_pump.py); chat requests,
forwarded and local in turn (request -> the visitor's first queued/assigned frame,
and -> assigned); messages at a person's pace, both kinds at once (one way, each
direction: the visitor's and the agent's answer); each kind as fast as its path
takes it, back to back (closed loop, the next message once the agent has the last);
link resets under traffic (resume: the cut until a message sent each way right
after it arrived); the partner killed with SIGKILL (hq shows the link down; a new
request is served by hq's own agent) and started again. Lost, doubled and reordered
messages are counted last, over the whole run, from both centers' stored
transcripts (benchmarks/lib/transcripts.py).
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.lib.crossing_chats import FORWARDED, LOCAL, Chats, Desk, Visitor, closed_loop, ping_pong, transcript
from benchmarks.lib.fragment import common_args
from benchmarks.lib.kefu_client import Rest, create_visitors
from benchmarks.lib.link_faults import kill_partner, link_resets
from benchmarks.lib.linked_pair import BUSINESS, LOCAL_GROUP, PUMP_PORT, LinkedPair, admin, linked_pair, wait_link
from benchmarks.lib.transcripts import Tally, check
from benchmarks.lib.federation_figures import write_results
from federation.local_centers import PROJECT, make_certificates

FULL = {"pump_frames": 1_000_000, "pump_runs": 3, "offers": 10, "latency_chats": 5, "latency_s": 60.0,
        "think_s": (0.2, 0.4), "throughput_chats": 100, "throughput_s": 20.0, "resets": 5, "reset_gap_s": 3.0,
        "failover_budget_s": 20.0, "failover_requests": 80, "agents": 5, "cap": 50}
QUICK = {"pump_frames": 200_000, "pump_runs": 1, "offers": 4, "latency_chats": 3, "latency_s": 10.0,
         "think_s": (0.2, 0.4), "throughput_chats": 30, "throughput_s": 5.0, "resets": 2, "reset_gap_s": 2.0,
         "failover_budget_s": 20.0, "failover_requests": 80, "agents": 3, "cap": 50}
ASSIGN_TIMEOUT_S = 30.0
REQUEST_BATCH = 10  # chat requests at once while setting up (a burst would time offers out)
MAX_FALLBACKS = 20
PUMP_TIMEOUT_S = 180.0


def pump(certs: Path, frames: int) -> dict:
    """One run of the link layer alone: the receiver's count of frames and seconds."""
    started: list[subprocess.Popen] = []

    def role(name: str) -> subprocess.Popen:
        started.append(subprocess.Popen([sys.executable, "-m", "benchmarks.lib.link_pump", name, str(certs),
                                         str(PUMP_PORT), str(frames)], cwd=PROJECT, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True))
        return started[-1]

    try:
        receiver = role("receiver")
        if receiver.stdout.readline().strip() != "listening":
            raise RuntimeError("the link pump's receiver did not start")
        sender = role("sender")
        out, _ = receiver.communicate(timeout=PUMP_TIMEOUT_S)
        sender.wait(PUMP_TIMEOUT_S)
        return json.loads(out.strip().splitlines()[-1])
    finally:
        for process in started:
            if process.poll() is None:
                process.kill()
                process.wait()


def link_layer(plan: dict) -> list[dict]:
    """Before the centers start, so that they take none of the two cores."""
    with tempfile.TemporaryDirectory(prefix="kefu-bench-pump-") as folder:
        certs = make_certificates(Path(folder), ["hq", "branch"])
        return [pump(certs, plan["pump_frames"]) for _ in range(plan["pump_runs"])]


async def staff(rest: Rest, prefix: str, groups: list[str], count: int, cap: int) -> list[dict]:
    accounts = [{"username": f"{prefix}{i}", "password": f"pw-{prefix}-{i}"} for i in range(count)]
    for account in accounts:
        reply = await rest.call("POST", "/api/v1/admin/agents", {
            **account, "display_name": account["username"], "max_concurrent": cap,
            "skill_groups": [{"name": group, "level": 1} for group in groups]})
        account["agent_id"] = reply["agent_id"]
    return accounts


async def visitors(chats: Chats, url: str, kind: str, count: int, name: str) -> list[Visitor]:
    tokens = await create_visitors(url, count, prefix=name)
    return [await Visitor(chats, kind, f"{name}-{i}").open(url, token) for i, token in enumerate(tokens)]


async def open_chats(chats: Chats, url: str, kind: str, count: int, name: str) -> tuple[list[Visitor], int]:
    """`count` conversations of `kind`, assigned, asked for REQUEST_BATCH at a time; and how
    many forwarded ones fell back to hq's own agent instead (their offer declined or not
    answered in time: the product's fallback), which are ended and replaced."""
    group = BUSINESS if kind == FORWARDED else LOCAL_GROUP
    chosen: list[Visitor] = []
    fallbacks = tries = 0
    while len(chosen) < count and tries < count + MAX_FALLBACKS:
        batch = await visitors(chats, url, kind, min(REQUEST_BATCH, count - len(chosen)), f"{name}-{tries}")
        tries += len(batch)
        for visitor in batch:
            await visitor.request(group)
        await asyncio.wait_for(asyncio.gather(*(v.assigned for v in batch)), ASSIGN_TIMEOUT_S)
        for visitor in batch:
            if kind == FORWARDED and not visitor.served_from("branch"):
                fallbacks += 1
                await visitor.end()
            else:
                chosen.append(visitor)
    if len(chosen) < count:
        raise RuntimeError(f"only {len(chosen)} of {count} {kind} conversations ({fallbacks} fell back)")
    return chosen, fallbacks


async def offers(chats: Chats, url: str, count: int) -> dict[str, list]:
    """Chat requests one at a time, forwarded and local in turn: (first answer, assigned)
    in ms from the request, per kind; and how many forwarded ones hq served itself."""
    chats.phase = "offers"
    out: dict[str, list] = {FORWARDED: [], LOCAL: [], "fallbacks": []}
    pairs = [(FORWARDED, BUSINESS), (LOCAL, LOCAL_GROUP)]
    asked = []
    for i in range(count):
        for kind, group in pairs if i % 2 == 0 else reversed(pairs):
            visitor = (await visitors(chats, url, kind, 1, f"offer-{kind}-{i}"))[0]
            await visitor.request(group)
            answered = await asyncio.wait_for(asyncio.shield(visitor.answered), ASSIGN_TIMEOUT_S)
            at, _ = await asyncio.wait_for(asyncio.shield(visitor.assigned), ASSIGN_TIMEOUT_S)
            out[kind].append(((answered - visitor.requested_at) * 1000, (at - visitor.requested_at) * 1000))
            if kind == FORWARDED and not visitor.served_from("branch"):
                out["fallbacks"].append(visitor.agent_id)
            asked.append(visitor)
            await asyncio.sleep(0.1)
    for visitor in asked:  # their agents' slots back
        await visitor.end()
    await asyncio.sleep(1)
    await asyncio.gather(*(v.close() for v in asked))
    return out


async def run(pair: LinkedPair, plan: dict) -> dict:
    chats = Chats()
    hq_admin, branch_admin = await admin(pair.hq.url), await admin(pair.branch.url)
    await wait_link(hq_admin, up=True)
    for rest, groups in ((hq_admin, (BUSINESS, LOCAL_GROUP)), (branch_admin, (BUSINESS,))):
        for group in groups:
            await rest.call("POST", "/api/v1/admin/skill-groups", {"name": group})
    hq_agents = await staff(hq_admin, "hq-agent-", [LOCAL_GROUP], plan["agents"], plan["cap"])
    stand_by = await staff(hq_admin, "hq-standby-", [BUSINESS], 1, 100)  # serves the business if branch is gone
    branch_agents = await staff(branch_admin, "branch-agent-", [BUSINESS], plan["agents"], plan["cap"])
    hq_desk = await Desk(chats, forwarded=False).open(pair.hq.url, hq_agents + stand_by)
    branch_desk = await Desk(chats, forwarded=True).open(pair.branch.url, branch_agents)
    results: dict = {"plan": plan}

    print("federation: chat requests", flush=True)
    results["offers"] = await offers(chats, pair.hq.url, plan["offers"])

    print("federation: messages at a person's pace", flush=True)
    chatting, fallbacks = {}, {}
    for kind in (FORWARDED, LOCAL):
        chatting[kind], fallbacks[f"talk-{kind}"] = await open_chats(
            chats, pair.hq.url, kind, plan["latency_chats"], f"talk-{kind}")
    chats.phase, chats.replies = "latency", True
    until = time.time() + plan["latency_s"]
    await asyncio.gather(*(ping_pong(v, until, plan["think_s"]) for group in chatting.values() for v in group))
    chats.replies = False

    print("federation: throughput, local then forwarded", flush=True)
    results["throughput"] = {}
    flooding = {}
    for kind in (LOCAL, FORWARDED):
        flooding[kind], fallbacks[f"flood-{kind}"] = await open_chats(
            chats, pair.hq.url, kind, plan["throughput_chats"], f"flood-{kind}")
        chats.phase = f"throughput-{kind}"
        start = time.time()
        until = start + plan["throughput_s"]
        await asyncio.gather(*(closed_loop(v, until) for v in flooding[kind]))
        delivered = [t for t in chats.delivered[(chats.phase, kind)] if start <= t <= until]
        results["throughput"][kind] = len(delivered) / plan["throughput_s"]
    await asyncio.sleep(2)  # the last ones in flight

    print("federation: link resets", flush=True)
    results["setup_fallbacks"] = fallbacks
    results["resume_s"] = await link_resets(pair, chats, hq_admin, branch_desk, chatting[FORWARDED],
                                            plan["resets"], plan["reset_gap_s"], plan["think_s"])

    print("federation: the partner killed", flush=True)
    requesters = await visitors(chats, pair.hq.url, FORWARDED, plan["failover_requests"], "failover")
    local_agents = {account["agent_id"] for account in stand_by}
    results["kill"] = await kill_partner(pair, chats, hq_admin, requesters, chatting[FORWARDED], local_agents,
                                         plan["failover_budget_s"])

    print("federation: both centers' transcripts", flush=True)
    branch_admin = await admin(pair.branch.url)
    tally, missing = Tally(), {"hq": 0, "branch": 0}
    for visitor in chatting[FORWARDED] + flooding[FORWARDED]:
        cid = visitor.conversation_id
        remote = chats.remote.get(cid)
        sides = {"hq": await transcript(hq_admin, cid),
                 "branch": await transcript(branch_admin, remote) if remote else []}
        tally += check(chats.directions(cid), list(sides.values()))
        for side, stored in sides.items():  # which center lacks what was lost
            missing[side] += check(chats.directions(cid), [stored]).lost
    results["tally"] = {**tally.__dict__, "missing_on": missing}
    results["latencies"] = {"|".join(key): samples for key, samples in chats.latencies.items()}
    for closing in (hq_desk, branch_desk):
        await closing.close()
    for rest in (hq_admin, branch_admin):
        await rest.close()
    return results


def main() -> None:
    parser = common_args(__doc__)
    args = parser.parse_args()
    plan = QUICK if args.quick else FULL
    if args.url:
        print("federation: starts linked centers of its own; --url is not used", file=sys.stderr)
    started = time.time()
    print(f"federation: the link layer alone ({plan['pump_runs']} x {plan['pump_frames']:,} frames)", flush=True)
    pumped = link_layer(plan)
    print("federation: starting hq and branch", flush=True)
    with linked_pair() as pair:
        results = asyncio.run(run(pair, plan))
    results["pump"] = pumped
    results["wall_s"] = time.time() - started
    write_results(args.out, results)


if __name__ == "__main__":
    main()
