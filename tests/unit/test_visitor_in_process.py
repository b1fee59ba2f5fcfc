"""A visitor's open conversations are bounded by the center (default: one), through
the shard's in-process host: a chat request at the limit answers with the open
conversation as it stands, and nothing new is stored."""

from __future__ import annotations

import asyncio

from actors.center.protocol import Reload, center_ref
from actors.conversation.protocol import End, Open, Opened, conversation_ref
from actors.lifecycle import ConversationStatus
from actors.participants import PartyKind
from actors.routing.types import ChatRequest, VisitorProfile
from actors.store import accounts, centers
from actors.store import conversations as store
from actors.visitor.protocol import RequestChat, conversation_id_near, visitor_ref
from tests.unit.in_process import DEFAULT_GROUP, InProcessCenter


async def new_visitor(center: InProcessCenter) -> str:
    return (await accounts.create_visitor(center.db, center.center_id, "Ann", "web", None)).id


async def ask_for_chat(center: InProcessCenter, visitor_id: str, group: str | None = None) -> Opened:
    conversation_id = conversation_id_near(visitor_id, center.host.services.directory.shard_count)
    return await center.ask(visitor_ref(visitor_id), RequestChat(conversation_id, Open(
        center.center_id, VisitorProfile(visitor_id), "Ann", ChatRequest(group))))


async def test_thirty_requests_at_once_open_one_conversation(center):
    visitor = await new_visitor(center)
    answers = await asyncio.gather(*(ask_for_chat(center, visitor) for _ in range(30)))
    await center.settle()
    opened = {a.info.conversation_id for a in answers}
    assert len(opened) == 1
    assert sum(not a.already_open for a in answers) == 1
    assert all(a.position == 1 and a.info.status is ConversationStatus.QUEUED for a in answers)
    rows = await store.conversations_of_visitor(center.db, visitor)
    assert [r.id for r in rows] == list(opened)
    # No entity left behind for the 29 ids proposed and never used.
    assert sum(ref.kind == "conversation" for ref in center.host.entities) == 1


async def test_at_the_limit_the_answer_is_the_open_conversation_as_it_stands(center):
    visitor = await new_visitor(center)
    first = await ask_for_chat(center, visitor)
    agent = await center.online_agent({DEFAULT_GROUP: 1})  # takes it from the queue
    again = await ask_for_chat(center, visitor)
    assert again.already_open and again.info.conversation_id == first.info.conversation_id
    assert again.info.agent_id == agent and again.info.agent_name == "Agent"

    await center.ask(conversation_ref(first.info.conversation_id), End(PartyKind.VISITOR, visitor))
    fresh = await ask_for_chat(center, visitor)  # the one open has ended: a new one
    assert not fresh.already_open and fresh.info.conversation_id != first.info.conversation_id


async def test_a_left_message_is_open_too_and_answers_offline(center):
    group = await center.add_group("closed", work_hours={"timezone": "UTC", "weekly": {}})
    visitor = await new_visitor(center)
    left = await ask_for_chat(center, visitor, group)
    assert left.offline_reason == "outside_work_hours"
    again = await ask_for_chat(center, visitor)
    assert again.already_open and again.offline_reason == "outside_work_hours"
    assert again.info.conversation_id == left.info.conversation_id


async def test_the_limit_is_a_center_setting_read_at_once(center):
    visitor = await new_visitor(center)
    first = await ask_for_chat(center, visitor)
    await centers.set_center_settings(center.db, center.center_id,
                                       {"max_open_conversations_per_visitor": 2})
    await center.ask(center_ref(center.center_id), Reload())
    second = await ask_for_chat(center, visitor)
    third = await ask_for_chat(center, visitor)
    assert not second.already_open and second.info.conversation_id != first.info.conversation_id
    assert third.already_open and third.info.conversation_id == second.info.conversation_id  # the newest
    assert len(await store.conversations_of_visitor(center.db, visitor, open_only=True)) == 2


async def test_an_unusable_limit_in_the_database_falls_back_to_the_default(center):
    await centers.set_center_settings(center.db, center.center_id,
                                       {"max_open_conversations_per_visitor": "lots"})
    await center.ask(center_ref(center.center_id), Reload())
    visitor = await new_visitor(center)
    first = await ask_for_chat(center, visitor)
    again = await ask_for_chat(center, visitor)
    assert again.already_open and again.info.conversation_id == first.info.conversation_id


async def test_the_limit_holds_after_the_shard_restarts(center):
    visitor = await new_visitor(center)
    first = await ask_for_chat(center, visitor)
    await center.crash_and_restart()
    again = await ask_for_chat(center, visitor)
    assert again.already_open and again.info.conversation_id == first.info.conversation_id
    assert again.position == 1


async def test_a_visitor_with_nothing_open_leaves_no_entity_behind(center):
    visitor = await new_visitor(center)
    refused = await ask_for_chat(center, visitor, "no-such-group")
    assert refused.code == "unknown_skill_group"
    assert visitor_ref(visitor) not in center.host.entities
    await ask_for_chat(center, visitor)
    assert visitor_ref(visitor) in center.host.entities  # it holds the open one now


def test_a_new_conversation_is_placed_on_its_visitors_shard():
    from actors.conversation.protocol import conversation_ref as ref
    from actors.placement import shard_of

    for shards in (1, 2, 3, 8):
        for n in range(20):
            visitor = f"v_{n:020d}"
            cid = conversation_id_near(visitor, shards)
            assert shard_of(ref(cid), shards) == shard_of(visitor_ref(visitor), shards)
