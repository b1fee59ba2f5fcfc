"""The conversation entity through the shard's in-process host: who may end it, and
what a command naming a conversation that does not exist leaves behind (nothing)."""

from __future__ import annotations

import pytest

from actors.conversation.protocol import (ConversationEnded, End, GetInfo, Offer, Overflow, Post,
                                          Transfer, Typing, conversation_ref)
from actors.lifecycle import ConversationStatus
from actors.participants import PartyKind
from actors.routing.waiting_line import WaitingEntry
from actors.runtime.replies import Rejected
from tests.unit.in_process import DEFAULT_GROUP


@pytest.mark.parametrize("kind,who,overseer", [
    (PartyKind.BOT, "bot-1", False),
    (PartyKind.SUPERVISOR, "someone", False),  # a kind the edge never sends, without oversight
    (PartyKind.AGENT, "ag_other", False),  # an agent who does not serve it
    (PartyKind.VISITOR, "v_other", False),  # another visitor
])
async def test_end_fails_closed_for_anyone_not_serving_or_overseeing(center, kind, who, overseer):
    agent = await center.online_agent({DEFAULT_GROUP: 1})
    visitor, cid, opened = await center.request()
    assert opened.info.agent_id == agent

    refused = await center.ask(conversation_ref(cid), End(kind, who, overseer=overseer))
    assert isinstance(refused, Rejected) and refused.code == "forbidden"
    info = await center.ask(conversation_ref(cid), GetInfo())
    assert info.status is ConversationStatus.ASSIGNED
    assert center.told_visitor(visitor, ConversationEnded) == []
    assert "ConversationEnded" not in await center.logged_types(cid)

    # The ones who may: its owner ends it, once.
    ended = await center.ask(conversation_ref(cid), End(PartyKind.AGENT, agent))
    assert ended.info.status is ConversationStatus.ENDED
    assert [e.by for e in center.told_visitor(visitor, ConversationEnded)] == [PartyKind.AGENT]


async def test_commands_naming_an_unknown_conversation_leave_no_entity_behind(center):
    ghost = conversation_ref("c_does_not_exist")
    entry = WaitingEntry("c_does_not_exist", "v_1", 0, center.clock())
    answers = [
        await center.ask(ghost, Post(PartyKind.VISITOR, "v_1", "m1", "hello")),
        await center.ask(ghost, End(PartyKind.VISITOR, "v_1")),
        await center.ask(ghost, Transfer("ag_1", overseer=True, to_skill_group=DEFAULT_GROUP)),
        await center.ask(ghost, GetInfo()),
        await center.ask(ghost, Typing("v_1", "typing into nothing")),
        await center.ask(ghost, Offer("ag_1", DEFAULT_GROUP)),
        await center.ask(ghost, Overflow(DEFAULT_GROUP, "leave_message", entry)),
    ]
    assert [a.code for a in answers[:3]] == ["not_found", "not_found", "conversation_closed"]
    assert answers[3].status is ConversationStatus.NEW and answers[3].visitor_id is None
    assert ghost not in center.host.entities
    assert not any(ref.kind == "conversation" for ref in center.host.entities)
    assert await center.logged_types("c_does_not_exist") == []
