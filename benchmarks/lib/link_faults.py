"""The federation benchmark's faults: link resets under traffic, and the partner
center killed outright (and started again), each timed from the outside: the sockets
and hq's `GET /api/v1/admin/links`.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

from benchmarks.lib.crossing_chats import VISITOR_SAYS, Chats, Desk, Visitor, ping_pong, transcript
from benchmarks.lib.kefu_client import Rest
from benchmarks.lib.linked_pair import BUSINESS, LinkedPair, admin, wait_link

ARRIVAL_TIMEOUT_S = 30.0
REQUEST_EVERY_S = 0.25  # new chat requests while the partner is dead
TRICKLE_EVERY_S = 0.2  # each forwarded visitor writes on while the partner is dead
CATCH_UP_TIMEOUT_S = 60.0


async def link_resets(pair: LinkedPair, chats: Chats, hq_admin: Rest, branch_desk: Desk,
                      visitors: list[Visitor], count: int, gap_s: float, think_s: tuple[float, float]) -> list[float]:
    """`count` resets with the forwarded conversations chatting on; per reset, the time
    from the cut until a message sent each way right after it has arrived."""
    chats.phase, chats.replies = "reset", True
    stop = asyncio.Event()
    talk = [asyncio.ensure_future(ping_pong(v, float("inf"), think_s, stop)) for v in visitors]
    probe = visitors[0]
    resumed = []
    try:
        for _ in range(count):
            await wait_link(hq_admin, up=True)
            await asyncio.sleep(gap_s)
            cut_at = time.time()
            await pair.cut_link()
            keys = [await probe.say(),
                    await branch_desk.say(probe.conversation_id, chats.remote[probe.conversation_id])]
            arrived = await asyncio.wait_for(asyncio.gather(*(chats.arrival(k) for k in keys)), ARRIVAL_TIMEOUT_S)
            resumed.append(max(arrived) - cut_at)
    finally:
        stop.set()
        await asyncio.gather(*talk, return_exceptions=True)
    return resumed


async def kill_partner(pair: LinkedPair, chats: Chats, hq_admin: Rest, requesters: list[Visitor],
                       visitors: list[Visitor], local_agents: set[str], budget_s: float) -> dict:
    """Branch killed (SIGKILL, its whole session at once) with forwarded conversations
    open and their visitors writing: when hq shows the link down, when a new request for
    the business is first served by hq's own agent; then branch started again, and when
    what the visitors wrote meanwhile is stored there."""
    chats.phase, chats.replies = "kill", False
    stop = asyncio.Event()
    trickle = [asyncio.ensure_future(_write_on(v, stop)) for v in visitors]
    killed_at = time.time()
    await asyncio.to_thread(pair.branch.kill_all_at_once)
    detect = asyncio.ensure_future(wait_link(hq_admin, up=False, timeout_s=budget_s))
    served_locally, waits = None, []
    asked: list[Visitor] = []
    for visitor in requesters:
        if served_locally is not None and time.time() > served_locally + 1.0 or time.time() > killed_at + budget_s:
            break
        await visitor.request(BUSINESS)
        asked.append(visitor)
        await asyncio.sleep(REQUEST_EVERY_S)
        served_locally = _first_local(asked, local_agents) or served_locally
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(asyncio.gather(*(v.assigned for v in asked), return_exceptions=True), 10)
    served_locally = _first_local(asked, local_agents)
    for visitor in asked:
        if visitor.assigned.done() and not visitor.assigned.exception():
            waits.append((visitor.assigned.result()[0] - visitor.requested_at) * 1000)
    detected_at = await detect
    restarted_at = time.time()
    await asyncio.to_thread(pair.start_centers, pair.branch)
    up_at = await wait_link(hq_admin, up=True)
    stop.set()
    await asyncio.gather(*trickle, return_exceptions=True)
    branch_admin = await admin(pair.branch.url)
    caught_up_at = await _caught_up(chats, branch_admin, visitors)
    await branch_admin.close()
    return {"dead_detected_s": detected_at - killed_at,
            "failover_s": None if served_locally is None else served_locally - killed_at,
            "request_waits_ms": waits, "requests": len(asked),
            "served_locally": sum(1 for v in asked if _local(v, local_agents)),
            "restart_s": up_at - restarted_at,
            "catch_up_s": None if caught_up_at is None else caught_up_at - up_at}


async def _write_on(visitor: Visitor, stop: asyncio.Event) -> None:
    while not stop.is_set():
        await visitor.say()
        await asyncio.sleep(TRICKLE_EVERY_S)


def _local(visitor: Visitor, local_agents: set[str]) -> bool:
    return (visitor.assigned.done() and not visitor.assigned.exception()
            and visitor.assigned.result()[1] in local_agents)


def _first_local(asked: list[Visitor], local_agents: set[str]) -> float | None:
    times = [v.assigned.result()[0] for v in asked if _local(v, local_agents)]
    return min(times) if times else None


async def _caught_up(chats: Chats, branch_admin: Rest, visitors: list[Visitor]) -> float | None:
    """When every message the visitors' center acknowledged is stored on branch too."""
    deadline = time.time() + CATCH_UP_TIMEOUT_S
    while time.time() < deadline:
        complete = True
        for visitor in visitors:
            cid = visitor.conversation_id
            stored = set(await transcript(branch_admin, chats.remote[cid]))
            wanted = {body for body, cmid in chats.sent[cid][VISITOR_SAYS] if cmid in chats.acked}
            if not wanted <= stored:
                complete = False
                break
        if complete:
            return time.time()
        await asyncio.sleep(0.2)
    return None

