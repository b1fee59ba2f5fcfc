"""The whole path through PROTOCOL.md's edges, on the embedded-default center."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, Socket, staff_member, unique


@pytest.fixture
async def admin(center) -> Api:
    return await Api(center.url).login("admin", ADMIN_PASSWORD)


async def online_agent(center, admin: Api, groups: dict[str, int], cap: int) -> tuple[str, Socket]:
    return await staff_member(admin, groups, cap)


async def visitor(center, name: str = "", **extra) -> tuple[str, str, Socket]:
    visitor_id, token = await Api(center.url).new_visitor(name, **extra)
    socket = await Socket.open(center.url, "visitor", token)
    await socket.next("welcome")
    return visitor_id, token, socket


async def test_health_and_openapi(center):
    api = Api(center.url)
    assert await api.call("GET", "/healthz") == {"status": "ok"}
    spec = await api.call("GET", "/openapi.json")
    for path in ("/api/v1/auth/login", "/api/v1/admin/skill-groups", "/api/v1/admin/agents",
                 "/api/v1/visitors", "/api/v1/admin/visitors/{visitor_id}",
                 "/api/v1/conversations/{conversation_id}/messages"):
        assert path in spec["paths"], path


async def test_login_roles_and_wrong_password(center, admin):
    bad = await Api(center.url).call("POST", "/api/v1/auth/login",
                                     {"username": "admin", "password": "nope"}, expect=401)
    assert bad["error"]["code"] == "invalid_credentials"
    answer = await Api(center.url).call("POST", "/api/v1/auth/login",
                                        {"username": "admin", "password": ADMIN_PASSWORD})
    assert answer["role"] == "admin" and answer["agent_id"] and answer["token"]
    group = await admin.create_group(unique("g"))
    assert set(group) >= {"id", "name"}
    username = unique("ag")
    await admin.create_agent(username, {group["name"]: 2}, 2)
    agent = await Api(center.url).login(username, "secret-pw")
    # An agent is not an admin.
    denied = await agent.call("POST", "/api/v1/admin/skill-groups", {"name": unique("g")}, expect=403)
    assert denied["error"]["code"] == "forbidden"
    dup = await admin.call("POST", "/api/v1/admin/agents", {
        "username": username, "password": "secret-pw", "display_name": "x", "max_concurrent": 1,
        "skill_groups": []}, expect=409)
    assert dup["error"]["code"] == "already_exists"


async def test_caps_hold_and_queue_positions_count_down(center, admin):
    group = (await admin.create_group(unique("g")))["name"]
    _, agent = await online_agent(center, admin, {group: 1}, cap=2)
    visitors = [await visitor(center, f"v{i}") for i in range(5)]
    replies = []
    for _, _, socket in visitors:
        await socket.send({"type": "chat.request", "skill_group": group})
        replies.append(await socket.next(None))
    assert [r["type"] for r in replies] == ["assigned", "assigned", "queued", "queued", "queued"]
    assert [r["position"] for r in replies[2:]] == [1, 2, 3]
    assigned = [await agent.next("assigned") for _ in range(2)]
    assert {a["conversation_id"] for a in assigned} == {r["conversation_id"] for r in replies[:2]}
    # The cap holds: the group's list, sent after the queue matched, has three waiting
    # while the agent holds two (an agent over its cap would leave fewer waiting).
    waiting = await agent.next("waiting", skill_group=group, count=3)
    assert [e["conversation_id"] for e in waiting["entries"]] == [r["conversation_id"] for r in replies[2:]]
    assert len(agent.all("assigned")) == 2

    # Ending one conversation frees a slot: the head is served, the others move up.
    await agent.send({"type": "chat.end", "conversation_id": replies[0]["conversation_id"]})
    await visitors[0][2].next("ended", conversation_id=replies[0]["conversation_id"])
    third = visitors[2][2]
    assert (await third.next(None))["type"] == "assigned"
    assert (await visitors[3][2].next("queued"))["position"] == 1
    assert (await visitors[4][2].next("queued"))["position"] == 2
    assert (await agent.next("assigned"))["conversation_id"] == replies[2]["conversation_id"]


async def test_vip_jumps_the_queue(center, admin):
    group = (await admin.create_group(unique("g")))["name"]
    _, agent = await online_agent(center, admin, {group: 1}, cap=1)
    _, _, first = await visitor(center)
    await first.send({"type": "chat.request", "skill_group": group})
    assert (await first.next(None))["type"] == "assigned"
    waiting = []
    for _ in range(2):
        _, _, socket = await visitor(center)
        await socket.send({"type": "chat.request", "skill_group": group})
        assert (await socket.next("queued"))["position"] == len(waiting) + 1
        waiting.append(socket)
    vip_id, _, vip = await visitor(center, "vip")
    # Level 6: served first in the group asked for (the demo's rules send 7-9 to `vip`).
    staff_level = await admin.call("PATCH", f"/api/v1/admin/visitors/{vip_id}", {"level": 6})
    assert staff_level["level"] == 6
    # A level the browser claims is ignored; only the staff-set one counts.
    await vip.send({"type": "chat.request", "skill_group": group, "priority": 0, "level": 0})
    assert (await vip.next("queued"))["position"] == 1
    assert (await waiting[0].next("queued"))["position"] == 2
    assert (await waiting[1].next("queued"))["position"] == 3


async def test_chat_both_ways_with_acks_seqs_and_preview(center, admin):
    group = (await admin.create_group(unique("g")))["name"]
    agent_id, agent = await online_agent(center, admin, {group: 1}, cap=3)
    guest_id, _, guest = await visitor(center, "Guest")
    await guest.send({"type": "chat.request", "skill_group": group})
    assigned = await guest.next("assigned")
    cid = assigned["conversation_id"]
    assert assigned["agent"]["id"] == agent_id
    await agent.next("assigned", conversation_id=cid)

    ack1 = await guest.message(cid, "hello")
    assert ack1["seq"] == 1
    got = await agent.next("message")
    assert got["message"]["body"] == "hello" and got["message"]["seq"] == 1
    assert got["message"]["sender"] == {"kind": "visitor", "id": guest_id}
    ack2 = await agent.message(cid, "hi, how can I help?")
    assert ack2["seq"] == 2
    back = await guest.next("message")
    assert back["message"]["seq"] == 2 and back["message"]["sender"] == {"kind": "agent", "id": agent_id}

    # A resent client_msg_id gets the same seq and is stored once.
    again = await guest.message(cid, "hello", client_msg_id=ack1["client_msg_id"])
    assert again["seq"] == 1

    for text in ("I", "I wa", "I want a refund"):
        await guest.send({"type": "typing", "conversation_id": cid, "text": text})
    preview = await agent.next("typing.preview", conversation_id=cid, text="I want a refund")
    assert preview["text"] == "I want a refund"

    history = await Api(center.url, (await Api(center.url).login("admin", ADMIN_PASSWORD)).token).call(
        "GET", f"/api/v1/conversations/{cid}/messages?after_seq=0")
    assert [m["seq"] for m in history["messages"]] == [1, 2]
    assert all("typing" not in m["body"] for m in history["messages"])


async def test_reconnect_and_resume_loses_nothing_and_doubles_nothing(center, admin):
    group = (await admin.create_group(unique("g")))["name"]
    _, agent = await online_agent(center, admin, {group: 1}, cap=1)
    _, token, guest = await visitor(center)
    await guest.send({"type": "chat.request", "skill_group": group})
    cid = (await guest.next("assigned"))["conversation_id"]
    await agent.next("assigned")
    await guest.message(cid, "one")
    await guest.close()
    for i in range(5):  # the agent writes while the visitor is away
        await agent.message(cid, f"reply {i}")
    guest = await Socket.open(center.url, "visitor", token)
    welcome = await guest.next("welcome")
    assert cid in [c["conversation_id"] for c in welcome["conversations"]]
    await guest.send({"type": "resume", "conversation_id": cid, "after_seq": 1})
    await guest.next("resumed", conversation_id=cid)
    await agent.message(cid, "live")
    live = await guest.next("message")
    while live["message"]["body"] != "live":
        live = await guest.next("message")
    seqs = [f["message"]["seq"] for f in guest.all("message")]
    assert seqs == [2, 3, 4, 5, 6, 7]


async def test_another_visitors_conversation_is_forbidden(center, admin):
    group = (await admin.create_group(unique("g")))["name"]
    _, agent = await online_agent(center, admin, {group: 1}, cap=1)
    _, _, owner = await visitor(center)
    await owner.send({"type": "chat.request", "skill_group": group})
    cid = (await owner.next("assigned"))["conversation_id"]
    await owner.message(cid, "private")
    _, intruder_token, intruder = await visitor(center)
    answer = await Api(center.url, intruder_token).call(
        "GET", f"/api/v1/conversations/{cid}/messages", expect=403)
    assert answer["error"]["code"] == "forbidden"
    await intruder.send({"type": "message", "conversation_id": cid, "client_msg_id": "x", "body": "hi"})
    assert (await intruder.next("error"))["code"] == "forbidden"
    await intruder.send({"type": "resume", "conversation_id": cid, "after_seq": 0})
    assert (await intruder.next("error"))["code"] == "forbidden"
    await intruder.send({"type": "chat.end", "conversation_id": cid})
    assert (await intruder.next("error"))["code"] == "forbidden"
    # And an agent of the center who is not serving it cannot write into it either.
    _, other_agent = await online_agent(center, admin, {group: 1}, cap=1)
    await other_agent.send({"type": "message", "conversation_id": cid, "client_msg_id": "y", "body": "x"})
    assert (await other_agent.next("error"))["code"] == "forbidden"
    assert not intruder.all("message")


async def test_signed_identity_is_the_same_customer_and_bad_signature_is_refused(center):
    secret = center.settings.identity_secret
    def sign(external_id, name, level):
        return hmac.new(secret.encode(), f"{external_id}|{name}|{level}".encode(),
                        hashlib.sha256).hexdigest()
    api = Api(center.url)
    ext = unique("cust")
    first = await api.call("POST", "/api/v1/visitors", {"identity": {
        "external_id": ext, "name": "Ann", "level": 3, "signature": sign(ext, "Ann", 3)}})
    second = await api.call("POST", "/api/v1/visitors", {"identity": {
        "external_id": ext, "name": "Ann", "level": 3, "signature": sign(ext, "Ann", 3)}})
    assert first["visitor_id"] == second["visitor_id"]
    forged = await api.call("POST", "/api/v1/visitors", {"identity": {
        "external_id": ext, "name": "Ann", "level": 9, "signature": sign(ext, "Ann", 3)}}, expect=403)
    assert forged["error"]["code"] == "bad_signature"


async def test_pick_takes_a_waiting_conversation(center, admin):
    group = (await admin.create_group(unique("g")))["name"]
    picker_id, picker = await online_agent(center, admin, {group: 1}, cap=1)
    await picker.send({"type": "status", "status": "away"})
    await picker.next("status", status="away")
    _, _, guest = await visitor(center)
    await guest.send({"type": "chat.request", "skill_group": group})
    cid = (await guest.next("queued"))["conversation_id"]
    # The list is published coalesced: one from before the visitor came may be first.
    waiting = await picker.next("waiting", skill_group=group, count=1)
    assert waiting["count"] == 1 and waiting["entries"][0]["conversation_id"] == cid
    await picker.send({"type": "pick", "conversation_id": cid})
    assert (await picker.next("assigned"))["conversation_id"] == cid
    assert (await guest.next("assigned"))["agent"]["id"] == picker_id
    # Nothing left to pick, and the cap still holds for picks.
    await picker.send({"type": "pick", "conversation_id": cid})
    assert (await picker.next("error"))["code"] == "not_waiting"
