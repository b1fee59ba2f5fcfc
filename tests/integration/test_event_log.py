"""The durable event log through the edge: what happened to a conversation and an agent,
committed with the change, read back by a supervisor."""

from __future__ import annotations

import pytest

from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, Socket, online_agent_in_new_group


@pytest.fixture
async def admin(center) -> Api:
    return await Api(center.url).login("admin", ADMIN_PASSWORD)


async def test_a_conversations_history_and_an_agents_presence_are_logged(center, admin):
    group, agent_id, agent = await online_agent_in_new_group(admin, level=1, max_concurrent=1)
    _, token = await Api(center.url).new_visitor("Lena")
    visitor = await Socket.open(center.url, "visitor", token)
    await visitor.send({"type": "chat.request", "skill_group": group})
    cid = (await visitor.next("assigned"))["conversation_id"]
    await visitor.send({"type": "chat.end", "conversation_id": cid})
    await visitor.next("ended")

    page = await admin.call("GET", f"/api/v1/events?conversation_id={cid}")
    types = [event["type"] for event in page["events"]]
    # An owner's grant is fenced by the agent's incarnation, not written down first
    # (actors/agent/reservations.py): no SlotReserved.
    assert types == ["ConversationRequested", "QueueLeft", "ConversationAssigned", "ConversationEnded"]
    left, assigned, ended = page["events"][1:]
    assert left["data"]["outcome"] == "assigned" and left["skill_group"] == group
    assert assigned["agent_id"] == agent_id and assigned["data"]["agent"]["id"] == agent_id
    assert ended["data"]["by"] == "visitor"
    ids = [event["id"] for event in page["events"]]
    assert ids == sorted(ids) and page["next_after_id"] is None

    presence = await admin.call("GET", f"/api/v1/events?agent_id={agent_id}&type=AgentStatusChanged")
    assert presence["events"][0]["data"]["status"] == "online"
    assert presence["events"][0]["data"]["previous"] == "offline"

    # Paging by position in the log.
    paged, after = [], 0
    while after is not None:
        page = await admin.call("GET", f"/api/v1/events?conversation_id={cid}&limit=2&after_id={after}")
        assert len(page["events"]) <= 2
        paged += [e["id"] for e in page["events"]]
        after = page["next_after_id"]
    assert paged == ids
    await visitor.close()
    await agent.close()


async def test_the_log_is_for_staff_who_oversee(center, admin):
    group, agent_id, agent = await online_agent_in_new_group(admin, level=1, max_concurrent=1)
    username = (await admin.call("GET", f"/api/v1/admin/agents/{agent_id}"))["username"]
    as_agent = await Api(center.url).login(username, "secret-pw")
    refused = await as_agent.call("GET", "/api/v1/events", expect=403)
    assert refused["error"]["code"] == "forbidden"
    bad = await admin.call("GET", "/api/v1/events?type=NoSuchEvent", expect=422)
    assert "NoSuchEvent" in bad["error"]["message"]
    await agent.close()
