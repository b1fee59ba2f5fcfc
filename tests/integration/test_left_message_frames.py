"""Left messages pushed to the desks that they concern (serve/websocket-frames.md): a new
one to the agents of its skill group (`left_message.new`), an assignment to the agent it
goes to, the agent it leaves and, while it was unassigned, the group's agents
(`left_message.assigned`); never to anyone else, and never to a visitor."""

from __future__ import annotations

import uuid

import pytest

from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, staff_member, unique
from tests.integration.test_visitor_feedback import CLOSED, visitor_in


@pytest.fixture
async def admin(center) -> Api:
    return await Api(center.url).login("admin", ADMIN_PASSWORD)


async def test_new_and_assigned_left_messages_reach_the_desks_concerned(center, admin):
    group = (await admin.create_group(unique("g")))["name"]
    elsewhere = (await admin.create_group(unique("g")))["name"]
    await admin.call("PUT", f"/api/v1/admin/skill-groups/{group}/work-hours", CLOSED)
    member_id, member = await staff_member(admin, {group: 1}, 2, online=False)
    outsider_id, outsider = await staff_member(admin, {elsewhere: 1}, 2, online=False)

    _, _, visitor, offline = await visitor_in(center, group)
    cid, cmid = offline["conversation_id"], uuid.uuid4().hex
    await visitor.send({"type": "leave_message", "conversation_id": cid, "client_msg_id": cmid,
                        "contact": "vera@example.com", "body": "call me"})
    assert await member.next("left_message.new", conversation_id=cid) == {
        "type": "left_message.new", "conversation_id": cid, "skill_group": group}

    # Handed to the outsider: they hear it, and so does the group (no longer theirs to take).
    await admin.call("POST", f"/api/v1/left-messages/{cid}/assign", {"agent_id": outsider_id})
    handed = await outsider.next("left_message.assigned", conversation_id=cid)
    admin_id = (await admin.call("GET", "/api/v1/agents/me"))["agent_id"]
    assert (handed["agent_id"], handed["previous"], handed["by"]) == (outsider_id, None, admin_id)
    assert (await member.next("left_message.assigned", conversation_id=cid))["agent_id"] == outsider_id

    # Handed on to the member: both of them hear it.
    await admin.call("POST", f"/api/v1/left-messages/{cid}/assign", {"agent_id": member_id})
    for socket in (member, outsider):
        moved = await socket.next("left_message.assigned", conversation_id=cid, agent_id=member_id)
        assert moved["previous"] == outsider_id

    # The outsider heard nothing of the submission; the visitor nothing of any of it.
    await outsider.send({"type": "ping"})
    await outsider.next("pong")
    assert not outsider.all("left_message.new")
    await visitor.send({"type": "ping"})
    await visitor.next("pong")
    assert not [f for f in visitor.frames if f["type"].startswith("left_message.")]
    for socket in (member, outsider, visitor):
        await socket.close()
