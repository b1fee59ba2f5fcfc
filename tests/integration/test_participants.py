"""Version 1.1 through real websockets: transfer, collaborators, supervisors, internal messages.

The story: a visitor chats with an agent; the agent writes an internal note the visitor never
sees; a colleague is invited in and leaves again; the conversation is transferred to another
agent, who sees the whole history, and to a skill group, where it waits at the head of the line;
a supervisor monitors, whispers, barges in and takes over. Caps hold throughout: only the target
agent's entity grants a slot, and the previous owner's slot is freed.
"""

from __future__ import annotations

import asyncio

import pytest

from actors.store import event_log
from actors.store.database import create_engine, sessionmaker
from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, Socket, staff_member, unique


@pytest.fixture
async def admin(center) -> Api:
    return await Api(center.url).login("admin", ADMIN_PASSWORD)


async def staff(center, admin: Api, groups: dict[str, int], cap: int, role: str = "agent",
                online: bool = True) -> tuple[str, Socket]:
    return await staff_member(admin, groups, cap, role=role, online=online)


async def served_visitor(center, group: str, agent: Socket) -> tuple[str, str, Socket]:
    """A new visitor assigned to `agent` (the only one free in `group`): (visitor id, conversation id, socket)."""
    visitor_id, token = await Api(center.url).new_visitor("Vera")
    socket = await Socket.open(center.url, "visitor", token)
    await socket.next("welcome")
    await socket.send({"type": "chat.request", "skill_group": group})
    assigned = await socket.next("assigned")
    await agent.next("assigned", conversation_id=assigned["conversation_id"])
    return visitor_id, assigned["conversation_id"], socket


async def history(center, token: str, cid: str) -> list[dict]:
    return (await Api(center.url, token).call("GET", f"/api/v1/conversations/{cid}/messages"))["messages"]


async def logged(center, cid: str) -> list[str]:
    engine = create_engine(center.settings.database_url, pool_size=1)
    try:
        rows = await event_log.query(sessionmaker(engine), center.settings.center_id,
                                     conversation_id=cid)
    finally:
        await engine.dispose()
    return [row.type for row in rows]


async def test_internal_notes_never_reach_the_visitor(center, admin):
    group = (await admin.create_group(unique("g")))["name"]
    _, agent = await staff(center, admin, {group: 1}, cap=1)
    visitor_id, cid, visitor = await served_visitor(center, group, agent)
    await visitor.message(cid, "my order is late")
    await agent.next("message", timeout=10)
    note = await agent_send(agent, cid, "customer is VIP, be quick", visibility="internal")
    public = await agent.message(cid, "let me check that for you")
    # The visitor's socket got the public reply after the note: had the note been sent, it came first.
    reply = await visitor.next("message")
    assert reply["message"]["seq"] == public["seq"] and reply["message"]["body"] == "let me check that for you"
    bodies = [f["message"]["body"] for f in visitor.all("message")]
    assert "customer is VIP, be quick" not in bodies
    # Not in a resume from the start either.
    await visitor.send({"type": "resume", "conversation_id": cid, "after_seq": 0})
    resumed = await visitor.next("resumed", conversation_id=cid)
    assert resumed["last_seq"] == public["seq"]
    assert note["seq"] not in [f["message"]["seq"] for f in visitor.all("message")]
    # Staff see it, marked internal.
    staff_history = await history(center, admin.token, cid)
    assert {"seq": note["seq"], "visibility": "internal"}.items() <= staff_history[note["seq"] - 1].items()
    await visitor.close()
    await agent.close()


async def agent_send(agent: Socket, cid: str, body: str, visibility: str = "public") -> dict:
    cmid = unique("m")
    await agent.send({"type": "message", "conversation_id": cid, "client_msg_id": cmid, "body": body,
                      "visibility": visibility})
    return await agent.next("ack", client_msg_id=cmid)


async def test_the_visitors_history_call_leaves_out_internal_messages(center, admin):
    group = (await admin.create_group(unique("g")))["name"]
    _, agent = await staff(center, admin, {group: 1}, cap=1)
    visitor_id, token = await Api(center.url).new_visitor("Hana")
    visitor = await Socket.open(center.url, "visitor", token)
    await visitor.send({"type": "chat.request", "skill_group": group})
    cid = (await visitor.next("assigned"))["conversation_id"]
    await visitor.message(cid, "hello")
    note = await agent_send(agent, cid, "internal only", visibility="internal")
    public = await agent_send(agent, cid, "hi Hana")
    seen = await history(center, token, cid)
    assert [m["seq"] for m in seen] == [1, public["seq"]] and note["seq"] == 2
    assert all(m.get("visibility", "public") == "public" for m in seen)
    # A visitor cannot write internal messages.
    await visitor.send({"type": "message", "conversation_id": cid, "client_msg_id": "x1",
                        "body": "sneaky", "visibility": "internal"})
    assert (await visitor.next("error"))["code"] == "forbidden"
    await visitor.close()
    await agent.close()


async def test_transfer_to_an_agent_hands_over_the_history_and_frees_the_slot(center, admin):
    group = (await admin.create_group(unique("g")))["name"]
    other = (await admin.create_group(unique("g")))["name"]
    first_id, first = await staff(center, admin, {group: 1}, cap=1)
    second_id, second = await staff(center, admin, {other: 1}, cap=1)
    _, cid, visitor = await served_visitor(center, group, first)
    await visitor.message(cid, "I need a refund")
    await first.message(cid, "one moment")
    await first.send({"type": "transfer", "conversation_id": cid, "to": {"agent_id": second_id},
                      "note": "refunds are Mei's"})
    assert (await first.next("done", conversation_id=cid))["request"] == "transfer"
    moved = await visitor.next("transferred", conversation_id=cid)
    assert moved["from"] == {"agent_id": first_id} and moved["to"]["agent_id"] == second_id
    assert "note" not in moved  # the note is for staff
    assigned = await second.next("assigned", conversation_id=cid)
    assert assigned["transferred_from"] == {"agent_id": first_id} and assigned["last_seq"] == 2
    handed = [await second.next("message") for _ in range(2)]
    assert [m["message"]["body"] for m in handed] == ["I need a refund", "one moment"]
    # The new owner writes; the old one may not any more.
    await second.message(cid, "refund issued")
    assert (await visitor.next("message"))["message"]["body"] == "refund issued"
    await first.send({"type": "message", "conversation_id": cid, "client_msg_id": "late",
                      "body": "still here?"})
    assert (await first.next("error"))["code"] == "forbidden"
    # The first agent's only slot is free again: the next visitor of the group is theirs.
    _, next_cid, next_visitor = await served_visitor(center, group, first)
    assert next_cid != cid
    assert "ConversationTransferred" in await logged(center, cid)
    for socket in (visitor, next_visitor, first, second):
        await socket.close()


async def test_transfer_to_a_full_agent_is_refused_and_nothing_moves(center, admin):
    group = (await admin.create_group(unique("g")))["name"]
    busy_group = (await admin.create_group(unique("g")))["name"]
    first_id, first = await staff(center, admin, {group: 1}, cap=1)
    busy_id, busy = await staff(center, admin, {busy_group: 1}, cap=1)
    _, busy_cid, busy_visitor = await served_visitor(center, busy_group, busy)
    _, cid, visitor = await served_visitor(center, group, first)
    await first.send({"type": "transfer", "conversation_id": cid, "to": {"agent_id": busy_id}})
    assert (await first.next("error"))["code"] == "at_capacity"
    await first.message(cid, "still mine")
    assert (await visitor.next("message"))["message"]["body"] == "still mine"
    # An agent who does not own it cannot transfer it either.
    await busy.send({"type": "transfer", "conversation_id": cid, "to": {"agent_id": busy_id}})
    assert (await busy.next("error"))["code"] == "forbidden"
    for socket in (visitor, busy_visitor, first, busy):
        await socket.close()


async def test_transfer_to_a_group_waits_at_the_head_of_its_line(center, admin):
    group = (await admin.create_group(unique("g")))["name"]
    target = (await admin.create_group(unique("g")))["name"]
    _, first = await staff(center, admin, {group: 1}, cap=1)
    target_agent_id, target_agent = await staff(center, admin, {target: 1}, cap=1)
    _, busy_cid, busy_visitor = await served_visitor(center, target, target_agent)
    # Someone already waits in the target group.
    _, early_token = await Api(center.url).new_visitor("Early")
    early = await Socket.open(center.url, "visitor", early_token)
    await early.send({"type": "chat.request", "skill_group": target})
    early_cid = (await early.next("queued"))["conversation_id"]
    _, cid, visitor = await served_visitor(center, group, first)
    await visitor.message(cid, "please pass me on")
    await first.send({"type": "transfer", "conversation_id": cid, "to": {"skill_group": target}})
    await first.next("done", conversation_id=cid)
    assert (await visitor.next("transferred"))["to"] == {"skill_group": target}
    assert (await visitor.next("queued", conversation_id=cid))["position"] == 1
    # The target agent frees their slot: the transferred conversation goes first.
    await target_agent.send({"type": "chat.end", "conversation_id": busy_cid})
    assigned = await target_agent.next("assigned")
    assert assigned["conversation_id"] == cid and assigned["last_seq"] == 1
    assert (await target_agent.next("message"))["message"]["body"] == "please pass me on"
    assert (await visitor.next("assigned"))["agent"]["id"] == target_agent_id
    assert early.all("assigned") == [] and early_cid != cid
    for socket in (visitor, busy_visitor, early, first, target_agent):
        await socket.close()


async def test_an_invited_colleague_joins_writes_and_leaves(center, admin):
    group = (await admin.create_group(unique("g")))["name"]
    owner_id, owner = await staff(center, admin, {group: 1}, cap=1)
    colleague_id, colleague = await staff(center, admin, {}, cap=1, online=False)
    _, cid, visitor = await served_visitor(center, group, owner)
    await visitor.message(cid, "a tricky question")
    await owner.send({"type": "participant.invite", "conversation_id": cid, "agent_id": colleague_id})
    await owner.next("done", conversation_id=cid)
    joined = await colleague.next("participant.joined", conversation_id=cid)
    assert joined["participant"] == {"kind": "agent", "id": colleague_id, "role": "collaborator"}
    assert (await colleague.next("message"))["message"]["body"] == "a tricky question"
    assert (await visitor.next("participant.joined"))["participant"]["role"] == "collaborator"
    await colleague.message(cid, "I can answer that")
    assert (await visitor.next("message"))["message"]["sender"]["id"] == colleague_id
    # A collaborator may not end the owner's conversation.
    await colleague.send({"type": "chat.end", "conversation_id": cid})
    assert (await colleague.next("error"))["code"] == "forbidden"
    await colleague.send({"type": "participant.leave", "conversation_id": cid})
    await colleague.next("done", conversation_id=cid)
    assert (await owner.next("participant.left", conversation_id=cid))["participant"]["id"] == colleague_id
    await colleague.send({"type": "message", "conversation_id": cid, "client_msg_id": "gone",
                          "body": "one more thing"})
    assert (await colleague.next("error"))["code"] == "forbidden"
    types = await logged(center, cid)
    assert types.count("ParticipantJoined") == 1 and types.count("ParticipantLeft") == 1
    for socket in (visitor, owner, colleague):
        await socket.close()


async def test_a_supervisor_monitors_whispers_barges_and_takes_over(center, admin):
    group = (await admin.create_group(unique("g")))["name"]
    owner_id, owner = await staff(center, admin, {group: 1}, cap=1)
    boss_id, boss = await staff(center, admin, {}, cap=2, role="supervisor", online=False)
    _, cid, visitor = await served_visitor(center, group, owner)
    await visitor.message(cid, "hello?")
    assert (await owner.next("message"))["message"]["body"] == "hello?"
    # An agent is not a supervisor.
    await owner.send({"type": "supervise", "conversation_id": cid, "mode": "monitor"})
    assert (await owner.next("error"))["code"] == "forbidden"
    await boss.send({"type": "supervise", "conversation_id": cid, "mode": "monitor"})
    # The reply, the joining and the history: in no promised order.
    joined = await boss.each("done", "participant.joined", "message")
    assert joined["done"]["conversation_id"] == cid
    assert joined["participant.joined"]["participant"]["mode"] == "monitor"
    assert joined["message"]["message"]["body"] == "hello?"
    await visitor.send({"type": "typing", "conversation_id": cid, "text": "are you th"})
    assert (await boss.next("typing.preview", conversation_id=cid))["text"] == "are you th"
    # Monitoring: no public message.
    await boss.send({"type": "message", "conversation_id": cid, "client_msg_id": "b1", "body": "hi"})
    assert (await boss.next("error"))["code"] == "forbidden"
    await boss.send({"type": "supervise", "conversation_id": cid, "mode": "whisper"})
    await boss.next("done", conversation_id=cid)
    whisper = await agent_send(boss, cid, "offer the coupon", visibility="internal")
    assert (await owner.next("message", timeout=10))["message"]["seq"] == whisper["seq"]
    await boss.send({"type": "supervise", "conversation_id": cid, "mode": "barge"})
    await boss.next("done", conversation_id=cid)
    barged = await agent_send(boss, cid, "I am the team lead, happy to help")
    assert (await visitor.next("message"))["message"]["seq"] == barged["seq"]
    # The visitor never heard of the supervisor joining, nor of the whisper.
    assert visitor.all("participant.joined") == []
    assert whisper["seq"] not in [f["message"]["seq"] for f in visitor.all("message")]
    await boss.send({"type": "takeover", "conversation_id": cid})
    await boss.next("done", conversation_id=cid)
    assert (await owner.next("transferred", conversation_id=cid))["to"]["agent_id"] == boss_id
    # The previous owner's slot is free: the group's next visitor is theirs.
    _, next_cid, next_visitor = await served_visitor(center, group, owner)
    await boss.send({"type": "chat.end", "conversation_id": cid})
    assert (await visitor.next("ended", conversation_id=cid))["by"] == "agent"
    for socket in (visitor, next_visitor, owner, boss):
        await socket.close()


async def test_a_center_can_have_collaborators_take_a_slot(center, admin):
    group = (await admin.create_group(unique("g")))["name"]
    owner_id, owner = await staff(center, admin, {group: 1}, cap=1)
    # Online, in no group: only a transfer or an invitation brings them a conversation.
    colleague_id, colleague = await staff(center, admin, {}, cap=1)
    _, cid, visitor = await served_visitor(center, group, owner)
    settings = await admin.call("PATCH", "/api/v1/admin/center",
                                {"limits": {"collaborators_take_slot": True}})
    try:
        assert settings["limits"]["collaborators_take_slot"] is True
        await owner.send({"type": "participant.invite", "conversation_id": cid, "agent_id": colleague_id})
        await owner.next("done", conversation_id=cid)
        joined = await colleague.next("participant.joined", conversation_id=cid)
        assert joined["participant"]["holds_slot"] is True
        # The colleague's only slot is taken: a transfer to them is refused until they leave.
        _, second_owner = await staff(center, admin, {group: 1}, cap=1)
        _, second_cid, second_visitor = await served_visitor(center, group, second_owner)
        transfer = {"type": "transfer", "conversation_id": second_cid, "to": {"agent_id": colleague_id}}
        await second_owner.send(transfer)
        assert (await second_owner.next("error"))["code"] == "at_capacity"
        await colleague.send({"type": "participant.leave", "conversation_id": cid})
        await colleague.next("done", conversation_id=cid)
        # The slot comes back by a tell that may still be on its way: ask again until it has.
        for _ in range(25):
            await second_owner.send(transfer)
            answer = await second_owner.next(None)
            while answer["type"] not in ("done", "error"):
                answer = await second_owner.next(None)
            if answer["type"] == "done":
                break
            assert answer["code"] == "at_capacity"
            await asyncio.sleep(0.2)
        assert answer["type"] == "done"
        assert (await colleague.next("assigned", conversation_id=second_cid))["transferred_from"]
    finally:
        await admin.call("PATCH", "/api/v1/admin/center", {"limits": {"collaborators_take_slot": False}})
    for socket in (visitor, second_visitor, owner, second_owner, colleague):
        await socket.close()
