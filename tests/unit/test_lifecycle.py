import pytest

from actors.lifecycle import (AgentStatus, ConversationStatus as S, IllegalTransition,
                              accepts_visitor_messages, move_agent, move_conversation)


@pytest.mark.parametrize("current,target", [
    (S.NEW, S.QUEUED), (S.NEW, S.LEFT_MESSAGE), (S.QUEUED, S.ASSIGNED), (S.QUEUED, S.QUEUED),
    (S.QUEUED, S.LEFT_MESSAGE), (S.QUEUED, S.ENDED), (S.ASSIGNED, S.ENDED), (S.LEFT_MESSAGE, S.ENDED),
    (S.ASSIGNED, S.QUEUED),  # a transfer to a skill group
    (S.NEW, S.FORWARDED), (S.FORWARDED, S.ENDED), (S.FORWARDED, S.QUEUED),  # served by a linked center, taken back
    (S.NEW, S.BOT), (S.BOT, S.QUEUED), (S.BOT, S.LEFT_MESSAGE), (S.BOT, S.ENDED)])  # the FAQ bot, its hand-offs
def test_legal_conversation_moves(current, target):
    assert move_conversation(current, target) is target


@pytest.mark.parametrize("current,target", [
    (S.NEW, S.ASSIGNED), (S.NEW, S.ENDED), (S.ASSIGNED, S.ASSIGNED),
    (S.ENDED, S.QUEUED), (S.ENDED, S.ASSIGNED), (S.ENDED, S.ENDED), (S.LEFT_MESSAGE, S.ASSIGNED),
    (S.FORWARDED, S.ASSIGNED), (S.QUEUED, S.FORWARDED), (S.ENDED, S.FORWARDED),
    (S.BOT, S.ASSIGNED), (S.BOT, S.FORWARDED), (S.QUEUED, S.BOT), (S.ASSIGNED, S.BOT)])
def test_illegal_conversation_moves_are_refused(current, target):
    with pytest.raises(IllegalTransition):
        move_conversation(current, target)


def test_only_open_conversations_take_visitor_messages():
    assert [s for s in S if accepts_visitor_messages(s)] == [S.BOT, S.QUEUED, S.ASSIGNED, S.LEFT_MESSAGE,
                                                               S.FORWARDED]


def test_agent_status_is_checked_by_value():
    assert move_agent(AgentStatus.OFFLINE, AgentStatus("online")) is AgentStatus.ONLINE
    with pytest.raises(ValueError):
        move_agent(AgentStatus.ONLINE, AgentStatus("busy"))
