"""The live monitor through a real center (SQLite and in-cluster bus; PostgreSQL and
Redis): one conversation waits, is picked, answered, ended and rated, and the pushed
`monitor` frames show each figure move; alerts rise and clear; a restarted monitor
reseeds the same figures from the event log; agents are refused."""

from __future__ import annotations

import asyncio

import pytest
import ray

from actors.monitor.actor import monitor_handle
from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, Socket, staff_member, unique

TARGETS = {"wait_alert_s": 1, "no_answer_alert_s": 1, "answer_within_s": 3600,
           "first_response_within_s": 3600}


@pytest.fixture(params=["center", "pg_center"])
def any_center(request):
    if request.param == "pg_center":
        pytest.importorskip("asyncpg")
    return request.getfixturevalue(request.param)


def group_of(frame: dict, group: str) -> dict | None:
    return next((g for g in frame["skill_groups"] if g["skill_group"] == group), None)


def agent_of(frame: dict, agent_id: str) -> dict | None:
    return next((a for a in frame["agents"] if a["agent_id"] == agent_id), None)


def alert_kinds(frame: dict, cid: str) -> set[str]:
    return {a["kind"] for a in frame["alerts"] if a["conversation_id"] == cid}


async def monitor_frame(socket: Socket, shows, timeout: float = 10.0) -> dict:
    """The next pushed monitor frame for which `shows(frame)` holds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        frame = await socket.next("monitor", timeout=max(0.1, deadline - asyncio.get_running_loop().time()))
        if shows(frame):
            return frame


def figures_of(frame: dict, group: str, agent_id: str) -> tuple:
    """What must survive a restart (not the clock-driven parts)."""
    g, a = dict(group_of(frame, group)), dict(agent_of(frame, agent_id))
    g.pop("longest_wait_now_s")
    return g, a, frame["totals"]["conversations"], frame["heatmap"], frame["trend"]


async def test_the_monitor_follows_one_conversation_and_reseeds_after_a_restart(any_center):
    admin = await Api(any_center.url).login("admin", ADMIN_PASSWORD)
    await admin.call("PATCH", "/api/v1/admin/center", {"monitor": TARGETS})
    assert (await admin.call("GET", "/api/v1/admin/center"))["monitor"]["wait_alert_s"] == 1
    words = await admin.call("PUT", "/api/v1/admin/sensitive-words", {"words": [" 退款 ", "Refund", "refund"]})
    assert words == {"words": ["退款", "Refund"]}
    group = (await admin.create_group(unique("g")))["name"]
    agent_id, agent = await staff_member(admin, {group: 1}, max_concurrent=1, online=False)
    await agent.send({"type": "status", "status": "away"})
    await agent.next("status", status="away")
    _, supervisor = await staff_member(admin, {}, max_concurrent=1, role="supervisor", online=False)
    await supervisor.send({"type": "monitor.watch"})
    first = await supervisor.next("monitor")
    assert agent_of(first, agent_id)["state"] == "away" and group_of(first, group) is None
    ratings_before = first["totals"]["ratings"]

    # Waits: counted, waiting now, and past the 1 s threshold an alert.
    visitor_id, token = await Api(any_center.url).new_visitor("Vera")
    visitor = await Socket.open(any_center.url, "visitor", token)
    await visitor.next("welcome")
    await visitor.send({"type": "chat.request", "skill_group": group})
    cid = (await visitor.next("queued"))["conversation_id"]
    waiting = await monitor_frame(supervisor, lambda f: (group_of(f, group) or {}).get("waiting_now") == 1)
    assert group_of(waiting, group)["conversations"] == 1
    await monitor_frame(supervisor, lambda f: "long_wait" in alert_kinds(f, cid))

    # Picked: served, no longer waiting, the alert clears; online at cap 1 is busy.
    await agent.send({"type": "pick", "conversation_id": cid})
    await agent.next("assigned", conversation_id=cid)
    await agent.send({"type": "status", "status": "online"})
    served = await monitor_frame(supervisor, lambda f: group_of(f, group)["visitors_served"] == 1
                                 and agent_of(f, agent_id)["state"] == "busy")
    assert group_of(served, group)["waiting_now"] == 0 and "long_wait" not in alert_kinds(served, cid)
    assert group_of(served, group)["wait_avg_s"] >= 1 and agent_of(served, agent_id)["load"] == 1

    # The visitor writes a sensitive word, and goes unanswered; the answer clears that.
    await visitor.message(cid, "我要退款")
    flagged = await monitor_frame(supervisor, lambda f: {"sensitive_word", "no_answer"} <= alert_kinds(f, cid))
    assert [a["word"] for a in flagged["alerts"] if a["kind"] == "sensitive_word"
            and a["conversation_id"] == cid] == ["退款"]
    await agent.message(cid, "好的，马上处理")
    answered = await monitor_frame(supervisor, lambda f: "no_answer" not in alert_kinds(f, cid)
                                   and agent_of(f, agent_id)["messages"] == 1)
    assert group_of(answered, group)["first_response_avg_s"] is not None

    # Ended and rated: handle time, load back to 0, every alert of it gone.
    await agent.send({"type": "chat.end", "conversation_id": cid})
    await visitor.next("ended")
    await visitor.send({"type": "rating", "conversation_id": cid, "score": 4})
    await visitor.next("rated")
    ended = await monitor_frame(supervisor, lambda f: agent_of(f, agent_id)["state"] == "online"
                                and f["totals"]["ratings"] > ratings_before)
    assert group_of(ended, group)["handle_avg_s"] is not None and alert_kinds(ended, cid) == set()
    assert agent_of(ended, agent_id)["load"] == 0 and group_of(ended, group)["service_level"] == 1.0

    # The REST snapshot says the same; a restarted monitor reseeds it from the event log.
    before = await admin.call("GET", "/api/v1/monitor")
    assert figures_of(before, group, agent_id) == figures_of(ended, group, agent_id)
    ray.kill(monitor_handle(any_center.settings), no_restart=False)
    reseeded = await monitor_frame(supervisor, lambda f: f["epoch"] != before["epoch"], timeout=30)
    assert figures_of(reseeded, group, agent_id) == figures_of(before, group, agent_id)
    after = await admin.call("GET", "/api/v1/monitor")
    assert after["epoch"] == reseeded["epoch"]
    assert figures_of(after, group, agent_id) == figures_of(before, group, agent_id)

    # Agents are refused, by REST and on the socket.
    agent_api = Api(any_center.url, agent.token)
    assert (await agent_api.call("GET", "/api/v1/monitor", expect=403))["error"]["code"] == "forbidden"
    await agent_api.call("PUT", "/api/v1/admin/sensitive-words", {"words": []}, expect=403)
    await agent.send({"type": "monitor.watch"})
    assert (await agent.next("error"))["code"] == "forbidden"
    await supervisor.send({"type": "monitor.unwatch"})
    for socket in (visitor, agent, supervisor):
        await socket.close()
