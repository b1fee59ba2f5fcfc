"""The pool of left messages (留言记录, issue 11 item 7) through the real center: a message
left out of hours waits as `new`, an agent of its group takes it, replies into the
visitor's widget and by email (to a real SMTP server here), and closes it; who sees
what; the log records who did each."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.mail_server import MailServer, free_port
from tests.integration.protocol_client import Api, Socket, staff_member, unique
from tests.integration.test_participants import logged
from tests.integration.test_visitor_feedback import CLOSED, visitor_in


@pytest.fixture
async def admin(center) -> Api:
    return await Api(center.url).login("admin", ADMIN_PASSWORD)


async def agent_api(center, admin: Api, groups: dict[str, int]) -> tuple[str, Api]:
    username = unique("ag")
    agent_id = await admin.create_agent(username, groups, 3, display_name=f"Li {username[-4:]}")
    return agent_id, await Api(center.url).login(username, "secret-pw")


async def left_message(center, admin: Api, group: str, contact: str, body: str) -> tuple[str, str, Socket]:
    """A visitor whose chat request in the closed `group` was answered offline, and who
    left `body`: (conversation id, the visitor's token, their socket)."""
    _, token, visitor, offline = await visitor_in(center, group, "Vera")
    assert offline["type"] == "offline"
    cid, cmid = offline["conversation_id"], uuid.uuid4().hex
    await visitor.send({"type": "leave_message", "conversation_id": cid, "client_msg_id": cmid,
                        "name": "Vera", "contact": contact, "body": body})
    # Over for the visitor (in the pool now): the ack and the end come in either order.
    got = await visitor.each("ack", "ended")
    assert got["ended"]["conversation_id"] == cid and got["ack"]["client_msg_id"] == cmid
    return cid, token, visitor


def ids(page: dict) -> list[str]:
    return [item["conversation_id"] for item in page["items"]]


async def test_an_agent_takes_a_left_message_replies_in_the_widget_and_closes_it(center, admin):
    group = (await admin.create_group(unique("g")))["name"]
    other = (await admin.create_group(unique("g")))["name"]
    await admin.call("PUT", f"/api/v1/admin/skill-groups/{group}/work-hours", CLOSED)
    cid, token, visitor = await left_message(center, admin, group, "+86 138 0000 0000", "请明天回电话")
    li_id, li = await agent_api(center, admin, {group: 1})
    wu_id, wu = await agent_api(center, admin, {group: 1})
    _, stranger = await agent_api(center, admin, {other: 1})

    listed = await admin.call("GET", f"/api/v1/left-messages?skill_group={group}")
    assert ids(listed) == [cid]
    item = listed["items"][0]
    assert (item["state"], item["preview"], item["contact"], item["reason"]) == (
        "new", "请明天回电话", "+86 138 0000 0000", "outside_work_hours")
    assert cid in ids(await li.call("GET", "/api/v1/left-messages?state=new"))
    assert cid not in ids(await stranger.call("GET", "/api/v1/left-messages"))
    await stranger.call("GET", f"/api/v1/left-messages/{cid}", expect=404)

    # Both take it at once: the conversation takes them one after the other, one gets it.
    tries = await asyncio.gather(
        li.call("POST", f"/api/v1/left-messages/{cid}/assign", {"agent_id": li_id}, expect=None),
        wu.call("POST", f"/api/v1/left-messages/{cid}/assign", {"agent_id": wu_id}, expect=None))
    winners = [t for t in tries if "state" in t]
    assert len(winners) == 1 and winners[0]["state"] == "in_progress"
    loser = next(t for t in tries if "error" in t)
    assert loser["error"]["code"] in ("left_message_taken", "not_found")  # refused, or no longer seen
    if winners[0]["assignee_id"] == wu_id:  # the rest of the test has Li hold it
        await admin.call("POST", f"/api/v1/left-messages/{cid}/assign", {"agent_id": li_id})
    assert cid not in ids(await wu.call("GET", "/api/v1/left-messages"))  # now Li's
    await wu.call("POST", f"/api/v1/left-messages/{cid}/reply",
                  {"body": "x", "client_msg_id": "x"}, expect=404)

    reply = {"body": "您好，我们明天上午十点给您回电话。", "client_msg_id": uuid.uuid4().hex}
    replied = await li.call("POST", f"/api/v1/left-messages/{cid}/reply", reply)
    assert (replied["state"], replied["reply_via"]) == ("replied", "widget")
    pushed = await visitor.next("left_message.reply", conversation_id=cid)
    assert pushed["message"]["body"] == reply["body"] and pushed["asked"] == "请明天回电话"
    assert pushed["agent"]["id"] == li_id
    again = await li.call("POST", f"/api/v1/left-messages/{cid}/reply", reply)  # resent: one reply
    assert again["replied_at"] == replied["replied_at"]
    detail = await li.call("GET", f"/api/v1/left-messages/{cid}")
    assert [(m["sender"]["kind"], m["body"]) for m in detail["messages"]] == [
        ("visitor", "请明天回电话"), ("agent", reply["body"])]

    # The next visit shows the reply until the widget says it was seen.
    await visitor.close()
    later = await Socket.open(center.url, "visitor", token)
    await later.next("welcome")
    assert (await later.next("left_message.reply", conversation_id=cid))["message"]["body"] == reply["body"]
    await later.send({"type": "left_message.seen", "conversation_id": cid})
    seen = None
    for _ in range(50):
        seen = (await li.call("GET", f"/api/v1/left-messages/{cid}"))["reply_seen_at"]
        if seen:
            break
        await later.send({"type": "ping"})
        await later.next("pong")
    assert seen is not None
    await later.close()
    quiet = await Socket.open(center.url, "visitor", token)
    await quiet.next("welcome")
    await quiet.send({"type": "ping"})
    await quiet.next("pong")
    assert not [f for f in quiet.frames if f["type"] == "left_message.reply"]

    # The left message no longer holds the visitor's one open conversation.
    await admin.call("DELETE", f"/api/v1/admin/skill-groups/{group}/work-hours")
    await quiet.send({"type": "chat.request", "skill_group": group})
    answer = await quiet.next(None)
    assert answer["type"] in ("queued", "assigned") and answer["conversation_id"] != cid

    closed = await li.call("POST", f"/api/v1/left-messages/{cid}/close")
    assert closed["state"] == "closed" and closed["closed_at"]
    late = await li.call("POST", f"/api/v1/left-messages/{cid}/reply",
                         {"body": "more", "client_msg_id": uuid.uuid4().hex}, expect=409)
    assert late["error"]["code"] == "left_message_closed"
    types = await logged(center, cid)
    handed_on = ["LeftMessageAssigned"] if winners[0]["assignee_id"] == wu_id else []  # Wu won, Li got it
    assert [t for t in types if t.startswith("LeftMessage")] == [
        "LeftMessageSubmitted", "LeftMessageAssigned", *handed_on, "LeftMessageReplied", "LeftMessageClosed"]
    await quiet.close()


async def test_a_supervisor_assigns_and_the_reply_goes_by_email(center, admin):
    group = (await admin.create_group(unique("g")))["name"]
    await admin.call("PUT", f"/api/v1/admin/skill-groups/{group}/work-hours", CLOSED)
    cid, _, visitor = await left_message(center, admin, group, "vera@example.com", "Where is order 42?")
    li_id, li = await agent_api(center, admin, {group: 1})

    no_mail = await li.call("POST", f"/api/v1/left-messages/{cid}/reply",
                            {"body": "Shipped.", "via": "email", "client_msg_id": "m0"}, expect=None)
    assert no_mail["error"]["code"] in ("email_not_configured", "email_failed")

    assigned = await admin.call("POST", f"/api/v1/left-messages/{cid}/assign", {"agent_id": li_id})
    assert assigned["assignee_id"] == li_id
    bad = await admin.call("POST", f"/api/v1/left-messages/{cid}/assign", {"agent_id": "ag_nobody"}, expect=422)
    assert bad["error"]["code"] == "unknown_agent"
    await admin.call("PUT", "/api/v1/admin/email", {"host": "127.0.0.1", "port": 25, "from_address": "nope"},
                     expect=422)

    # A server that is not there: refused, and nothing recorded.
    await admin.call("PUT", "/api/v1/admin/email", {"host": "127.0.0.1", "port": free_port(), "security": "none",
                                                    "from_address": "service@shop.example", "password": "pw"})
    failed = await li.call("POST", f"/api/v1/left-messages/{cid}/reply",
                           {"body": "Shipped.", "via": "email", "client_msg_id": "m1"}, expect=502)
    assert failed["error"]["code"] == "email_failed"
    assert (await li.call("GET", f"/api/v1/left-messages/{cid}"))["state"] == "in_progress"

    with MailServer() as mail:
        view = await admin.call("PUT", "/api/v1/admin/email", {
            "host": "127.0.0.1", "port": mail.port, "security": "none", "from_address": "service@shop.example",
            "from_name": "Tea Shop"})
        assert view["password_set"] is True  # kept from before: the form need not send it again
        assert "password" not in view
        sent = await li.call("POST", f"/api/v1/left-messages/{cid}/reply", {
            "body": "Order 42 left our warehouse today.", "via": "email", "client_msg_id": "m2",
            "subject": "Re: your message"})
        assert (sent["state"], sent["reply_via"]) == ("replied", "email")
        to, message = await mail.next_message()
    assert to == ["vera@example.com"]
    assert message["Subject"] == "Re: your message" and "Tea Shop" in message["From"]
    text = message.get_content()
    assert "Order 42 left our warehouse today." in text and "> Where is order 42?" in text
    detail = await admin.call("GET", f"/api/v1/left-messages/{cid}")
    assert [m["body"] for m in detail["messages"]][-1] == "Order 42 left our warehouse today."

    widget_only = (await admin.create_group(unique("g")))["name"]
    await admin.call("PUT", f"/api/v1/admin/skill-groups/{widget_only}/work-hours", CLOSED)
    phone_cid, _, phone = await left_message(center, admin, widget_only, "+86 139 0000 0000", "call me")
    no_address = await admin.call("POST", f"/api/v1/left-messages/{phone_cid}/reply",
                                  {"body": "ok", "via": "email", "client_msg_id": "m3"}, expect=422)
    assert no_address["error"]["code"] == "no_email_address"
    await admin.call("DELETE", "/api/v1/admin/email", expect=204)
    assert (await admin.call("GET", "/api/v1/admin/email"))["configured"] is False
    for socket in (visitor, phone):
        await socket.close()
