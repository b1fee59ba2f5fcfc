"""Issue 9 through real sockets: the visitor's rating, the agent's typing indicator and a
left message with how to reach the visitor."""

from __future__ import annotations

import uuid

import pytest

from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, Socket, online_agent_in_new_group
from tests.integration.test_participants import logged

CLOSED = {"timezone": "UTC", "weekly": {}}  # no day has a window: always closed


@pytest.fixture
async def admin(center) -> Api:
    return await Api(center.url).login("admin", ADMIN_PASSWORD)


async def visitor_in(center, group: str, name: str = "Vera") -> tuple[str, str, Socket, dict]:
    """A new visitor who asked `group` for a chat: (visitor id, token, socket, the answer)."""
    visitor_id, token = await Api(center.url).new_visitor(name)
    socket = await Socket.open(center.url, "visitor", token)
    await socket.next("welcome")
    await socket.send({"type": "chat.request", "skill_group": group})
    answer = await socket.next(None)
    return visitor_id, token, socket, answer


async def test_a_rating_is_taken_once_from_the_visitor_and_shown_to_staff(center, admin):
    group, agent_id, agent = await online_agent_in_new_group(admin, level=1, max_concurrent=2)
    visitor_id, _, visitor, assigned = await visitor_in(center, group)
    cid = assigned["conversation_id"]
    await agent.next("assigned", conversation_id=cid)
    _, _, stranger, other = await visitor_in(center, group, "Eve")

    await stranger.send({"type": "rating", "conversation_id": cid, "score": 1})
    assert (await stranger.next("error"))["code"] == "forbidden"
    for bad in ({"score": 6}, {"score": 0}, {"score": "5"}, {"score": 4, "comment": "x" * 501}):
        await visitor.send({"type": "rating", "conversation_id": cid, **bad})
        assert (await visitor.next("error"))["code"] == "invalid_frame", bad

    await visitor.send({"type": "rating", "conversation_id": cid, "score": 5, "comment": "快又好 <b>thanks</b>"})
    rated = {"type": "rated", "conversation_id": cid, "score": 5, "comment": "快又好 <b>thanks</b>"}
    assert await visitor.next("rated") == rated
    assert await agent.next("rated") == rated
    await visitor.send({"type": "rating", "conversation_id": cid, "score": 1})
    assert (await visitor.next("error"))["code"] == "already_rated"

    row = await admin.call("GET", f"/api/v1/conversations/{cid}")
    assert row["rating"]["score"] == 5 and row["rating"]["comment"] == "快又好 <b>thanks</b>"
    assert "ConversationRated" in await logged(center, cid)
    events = await admin.call("GET", f"/api/v1/events?type=ConversationRated&conversation_id={cid}")
    assert [(e["agent_id"], e["visitor_id"], e["data"]["score"]) for e in events["events"]] == [
        (agent_id, visitor_id, 5)]
    # Only one rated reached the visitor: the bus's copy of their own answer is not sent again.
    await visitor.send({"type": "ping"})
    await visitor.next("pong")
    assert len(visitor.all("rated")) == 1

    # After the end too; once.
    other_cid = other["conversation_id"]
    assert agent.all("assigned", conversation_id=other_cid)
    await stranger.send({"type": "chat.end", "conversation_id": other_cid})
    await stranger.next("ended")
    await stranger.send({"type": "rating", "conversation_id": other_cid, "score": 2})
    assert (await stranger.next("rated"))["score"] == 2
    assert (await agent.next("rated", conversation_id=other_cid))["score"] == 2
    await stranger.send({"type": "rating", "conversation_id": other_cid, "score": 3})
    assert (await stranger.next("error"))["code"] == "already_rated"
    await stranger.send({"type": "rating", "conversation_id": "c_nosuchconversation", "score": 3})
    assert (await stranger.next("error"))["code"] == "not_found"
    for socket in (visitor, stranger, agent):
        await socket.close()


async def test_the_agent_typing_reaches_only_their_visitor_at_most_every_two_seconds(center, admin):
    group, _, agent = await online_agent_in_new_group(admin, level=1, max_concurrent=2)
    _, _, visitor, first = await visitor_in(center, group, "Ann")
    _, _, bystander, second = await visitor_in(center, group, "Bob")
    cid, other_cid = first["conversation_id"], second["conversation_id"]
    await agent.next("assigned", conversation_id=cid)
    await agent.next("assigned", conversation_id=other_cid)
    welcome = agent.all("welcome")[0]

    for _ in range(3):
        await agent.send({"type": "typing", "conversation_id": cid})
    indicator = await visitor.next("typing.indicator")
    assert indicator == {"type": "typing.indicator", "conversation_id": cid,
                         "sender": {"kind": "agent", "id": welcome["agent_id"],
                                    "display_name": indicator["sender"]["display_name"]}}
    assert indicator["sender"]["display_name"]
    # The message the agent sends next passes the conversation after the typing frames:
    # whatever they caused has reached the visitor by then.
    await agent.message(cid, "here is the answer")
    await visitor.next("message")
    assert len(visitor.all("typing.indicator")) == 1
    await agent.message(other_cid, "and yours")
    await bystander.next("message")
    assert bystander.all("typing.indicator") == []
    # Staff never hear of it; a visitor's own typing is still the preview agents get.
    assert agent.all("typing.indicator") == []
    await visitor.send({"type": "typing", "conversation_id": cid, "text": "thank"})
    assert (await agent.next("typing.preview"))["text"] == "thank"

    # Another agent of the center, not in the conversation, makes nothing happen.
    _, _, outsider = await online_agent_in_new_group(admin, level=1, max_concurrent=1)
    await outsider.send({"type": "typing", "conversation_id": cid})
    await outsider.send({"type": "typing", "conversation_id": "c_nosuchconversation"})
    await outsider.send({"type": "ping"})
    await outsider.next("pong")
    for socket in (visitor, bystander, agent, outsider):
        await socket.close()


async def test_a_left_message_keeps_how_to_reach_the_visitor(center, admin):
    group, _, agent = await online_agent_in_new_group(admin, level=1, max_concurrent=1)
    await admin.call("PUT", f"/api/v1/admin/skill-groups/{group}/work-hours", CLOSED)
    visitor_id, token, visitor, offline = await visitor_in(center, group, "")
    assert offline["type"] == "offline"
    cid = offline["conversation_id"]
    cmid = uuid.uuid4().hex
    left = {"type": "leave_message", "conversation_id": cid, "client_msg_id": cmid,
            "name": "王小明", "contact": "+86 138 0000 0000", "body": "请明天上午回电话"}
    await visitor.send(left)
    ack = await visitor.next("ack", client_msg_id=cmid)
    await visitor.send(left)  # a resend is the same message
    assert (await visitor.next("ack", client_msg_id=cmid))["seq"] == ack["seq"]

    row = await admin.call("GET", f"/api/v1/conversations/{cid}")
    assert row["status"] == "ended"  # over for the visitor; in the pool of left messages
    assert row["left_contact"] == {"name": "王小明", "contact": "+86 138 0000 0000"}
    listed = await admin.call("GET", "/api/v1/conversations?status=ended&limit=200")
    assert any(c["conversation_id"] == cid and c["left_contact"]["contact"] == "+86 138 0000 0000"
               for c in listed["conversations"])
    profile = await admin.call("GET", f"/api/v1/admin/visitors/{visitor_id}")
    assert (profile["name"], profile["contact"]) == ("王小明", "+86 138 0000 0000")
    history = await Api(center.url, token).call("GET", f"/api/v1/conversations/{cid}/messages")
    assert [m["body"] for m in history["messages"]] == ["请明天上午回电话"]

    await visitor.send({**left, "contact": ""})
    assert (await visitor.next("error"))["code"] == "invalid_frame"
    _, _, stranger, _ = await visitor_in(center, group, "Eve")
    await stranger.send({**left, "client_msg_id": "x"})
    assert (await stranger.next("error"))["code"] == "forbidden"
    # Not for a conversation that is being served.
    await admin.call("DELETE", f"/api/v1/admin/skill-groups/{group}/work-hours")
    _, _, served, assigned = await visitor_in(center, group, "Sam")
    assert assigned["type"] == "assigned"
    await served.send({**left, "conversation_id": assigned["conversation_id"], "client_msg_id": "y"})
    assert (await served.next("error"))["code"] == "not_offline"
    for socket in (visitor, stranger, served, agent):
        await socket.close()
