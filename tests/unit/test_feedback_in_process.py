"""Rating and the agent's typing indicator in the conversation entity, on the in-process
shard: a rating is taken once even across a shard restart, and typing indicators are
throttled by the shard's clock."""

from __future__ import annotations

from actors.conversation.protocol import (AgentTyped, AgentTyping, ConversationRated, End, Rate, Rated,
                                          conversation_ref)
from actors.participants import PartyKind
from actors.runtime.replies import Rejected
from tests.unit.in_process import DEFAULT_GROUP


async def test_a_rating_is_taken_once_even_after_a_restart(center):
    agent = await center.online_agent({DEFAULT_GROUP: 1})
    visitor, cid, _ = await center.request()
    ref = conversation_ref(cid)
    assert (await center.ask(ref, Rate("v_someone_else", 5))).code == "forbidden"
    await center.ask(ref, End(PartyKind.VISITOR, visitor))
    rated = await center.ask(ref, Rate(visitor, 4, "fine"))
    assert isinstance(rated, Rated) and (rated.rating.score, rated.rating.agent_id) == (4, agent)
    assert [e.score for e in center.told_agent(agent, ConversationRated)] == [4]
    await center.crash_and_restart()
    again = await center.ask(ref, Rate(visitor, 1))
    assert isinstance(again, Rejected) and again.code == "already_rated"
    assert (await center.logged_types(cid)).count("ConversationRated") == 1


async def test_typing_indicators_are_at_most_one_every_two_seconds(center):
    agent = await center.online_agent({DEFAULT_GROUP: 1})
    visitor, cid, _ = await center.request()
    ref = conversation_ref(cid)
    for _ in range(5):
        await center.ask(ref, AgentTyping(agent, "Lily"))
    await center.ask(ref, AgentTyping("ag_not_serving", "Eve"))
    assert len(center.told_visitor(visitor, AgentTyped)) == 1
    await center.advance(1.9)
    await center.ask(ref, AgentTyping(agent, "Lily"))
    assert len(center.told_visitor(visitor, AgentTyped)) == 1
    await center.advance(0.2)
    await center.ask(ref, AgentTyping(agent, "Lily"))
    typed = center.told_visitor(visitor, AgentTyped)
    assert len(typed) == 2 and typed[-1].agent.display_name == "Lily"
    assert center.told_agent(agent, AgentTyped) == []  # for the visitor only
