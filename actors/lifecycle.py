"""Lifecycles of a conversation and of an agent's presence, with checked transitions."""

from __future__ import annotations

from enum import Enum


class IllegalTransition(ValueError):
    pass


class ConversationStatus(str, Enum):
    NEW = "new"  # not yet stored; only ever in memory
    BOT = "bot"  # the skill group's FAQ bot answers; no agent, no slot, not in a queue
    QUEUED = "queued"
    ASSIGNED = "assigned"
    LEFT_MESSAGE = "left_message"  # nobody could serve it; the visitor leaves a message (留言)
    FORWARDED = "forwarded"  # served by a linked center (级联); the visitor stays here
    ENDED = "ended"


_CONVERSATION_MOVES: dict[ConversationStatus, frozenset[ConversationStatus]] = {
    ConversationStatus.NEW: frozenset({ConversationStatus.QUEUED, ConversationStatus.LEFT_MESSAGE,
                                       ConversationStatus.FORWARDED, ConversationStatus.BOT}),
    # The bot hands off: to the queue, or (outside work hours) to a left message.
    ConversationStatus.BOT: frozenset({ConversationStatus.QUEUED, ConversationStatus.LEFT_MESSAGE,
                                       ConversationStatus.ENDED}),
    # FORWARDED -> QUEUED: taken back into the local queue (the partner is gone).
    ConversationStatus.FORWARDED: frozenset({ConversationStatus.QUEUED, ConversationStatus.ENDED}),
    # QUEUED -> QUEUED is an overflow to another skill group.
    ConversationStatus.QUEUED: frozenset({
        ConversationStatus.QUEUED, ConversationStatus.ASSIGNED,
        ConversationStatus.LEFT_MESSAGE, ConversationStatus.ENDED,
    }),
    # ASSIGNED -> QUEUED is a transfer to a skill group.
    ConversationStatus.ASSIGNED: frozenset({ConversationStatus.ENDED, ConversationStatus.QUEUED}),
    ConversationStatus.LEFT_MESSAGE: frozenset({ConversationStatus.ENDED}),
    ConversationStatus.ENDED: frozenset(),
}


def move_conversation(current: ConversationStatus, target: ConversationStatus) -> ConversationStatus:
    if target not in _CONVERSATION_MOVES[current]:
        raise IllegalTransition(f"conversation cannot go from {current.value} to {target.value}")
    return target


def accepts_visitor_messages(status: ConversationStatus) -> bool:
    # A waiting visitor may already describe the problem; a left message is all messages.
    return status in (ConversationStatus.QUEUED, ConversationStatus.ASSIGNED,
                      ConversationStatus.LEFT_MESSAGE, ConversationStatus.FORWARDED,
                      ConversationStatus.BOT)


class AgentStatus(str, Enum):
    ONLINE = "online"
    AWAY = "away"
    OFFLINE = "offline"


def move_agent(current: AgentStatus, target: AgentStatus) -> AgentStatus:
    """Any presence may follow any other; the function exists so callers cannot
    invent a status (the value is checked by the Enum) and so a future rule
    (say, no OFFLINE while holding conversations) has one place to live."""
    return AgentStatus(target)
