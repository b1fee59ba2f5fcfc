"""Every domain event type of the center, named once (STYLE.md: one registry).

Importing this module registers every event class with actors.domain_event, so
`decode` can rebuild any event that crossed the bus. actors/events.md describes
each type and which are kept in the durable event log.
"""

from __future__ import annotations

from actors.agent.protocol import AgentStatusChanged, SlotReserved
from actors.conversation.bot_protocol import BotAnswered, BotEngaged, BotHandedOff
from actors.conversation.protocol import (AgentTyped, ConversationAssigned, ConversationEnded,
                                          ConversationQueued, ConversationRated,
                                          ConversationRequested, ConversationTransferred,
                                          MessageLeft, MessagePosted, ParticipantJoined,
                                          ParticipantLeft, QueueLeft, TypingPreviewed)
from actors.conversation.forwarding_protocol import ConversationForwarded, ForwardTakenBack, ServedElsewhere
from actors.conversation.left_pool_protocol import (LeftMessageAssigned, LeftMessageClosed, LeftMessageReplied,
                                                    LeftMessageSubmitted, LeftReplyDelivered)
from actors.domain_event import DomainEvent, decode, encode
from actors.monitor.protocol import FactLogged, FactsCommitted
from actors.skill_group.protocol import QueuePositionChanged, WaitingListChanged
from actors.staff_chat.protocol import StaffChatRead, StaffMessagePosted
from actors.visitor.protocol import InvitationClosed, InvitationSent

EVENT_TYPES: tuple[type[DomainEvent], ...] = (
    ConversationRequested, ConversationQueued, QueuePositionChanged, QueueLeft,
    ConversationAssigned, ConversationTransferred, ParticipantJoined, ParticipantLeft,
    MessagePosted, TypingPreviewed, MessageLeft, ConversationEnded, ConversationRated, AgentTyped,
    AgentStatusChanged, SlotReserved, WaitingListChanged, InvitationSent, InvitationClosed,
    StaffMessagePosted, StaffChatRead, ConversationForwarded, ServedElsewhere, ForwardTakenBack,
    FactLogged, FactsCommitted, LeftMessageSubmitted, LeftMessageAssigned, LeftMessageReplied,
    LeftMessageClosed, LeftReplyDelivered, BotEngaged, BotAnswered, BotHandedOff,
)
LOGGED_TYPES: tuple[str, ...] = tuple(t.__name__ for t in EVENT_TYPES if t.logged)

__all__ = ["EVENT_TYPES", "LOGGED_TYPES", "decode", "encode"]
