"""The profile staff read of a visitor carries what the other parts stored: the
contact left with a left message and the rating of each conversation."""

from __future__ import annotations

import uuid

from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, Socket, online_agent_in_new_group


async def test_the_profile_shows_each_conversations_rating(center):
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    group, agent_id, agent = await online_agent_in_new_group(admin, 1, 2)
    visitor_id, token = await Api(center.url).new_visitor("Rater")
    visitor = await Socket.open(center.url, "visitor", token)
    await visitor.next("welcome")
    await visitor.send({"type": "chat.request", "skill_group": group})
    cid = (await visitor.next("assigned"))["conversation_id"]
    await visitor.send({"type": "chat.end", "conversation_id": cid})
    await visitor.next("ended")
    await visitor.send({"type": "rating", "conversation_id": cid, "score": 4, "comment": "快 <b>fast</b>"})
    await visitor.next("rated")
    profile = await admin.call("GET", f"/api/v1/visitors/{visitor_id}/profile")
    served = {c["conversation_id"]: c for c in profile["conversations"]}[cid]
    assert served["rating"] == {"score": 4, "comment": "快 <b>fast</b>"}
    assert served["agent"]["id"] == agent_id and profile["contact"] is None
    for socket in (visitor, agent):
        await socket.close()


async def test_the_profile_shows_the_contact_left_with_a_message(center):
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    closed = (await admin.create_group(f"closed{uuid.uuid4().hex[:6]}"))["name"]
    await admin.call("PUT", f"/api/v1/admin/skill-groups/{closed}/work-hours",
                     {"timezone": "UTC", "weekly": {}})
    visitor_id, token = await Api(center.url).new_visitor("Leaver")
    visitor = await Socket.open(center.url, "visitor", token)
    await visitor.next("welcome")
    await visitor.send({"type": "chat.request", "skill_group": closed})
    offline = await visitor.next("offline")
    await visitor.send({"type": "leave_message", "conversation_id": offline["conversation_id"],
                        "client_msg_id": "lm-1", "contact": "138 0000 0000", "body": "call me"})
    await visitor.next("ack", client_msg_id="lm-1")
    profile = await admin.call("GET", f"/api/v1/visitors/{visitor_id}/profile")
    assert profile["contact"] == "138 0000 0000"
    await visitor.close()
