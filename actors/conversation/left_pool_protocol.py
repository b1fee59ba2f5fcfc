"""The pool of left messages (留言记录): what staff and the visitor ask a left message's
conversation, what it answers and the facts it logs.

A conversation enters the pool when its visitor sends the leave-message form
(`LeaveMessage`): it ends there for the visitor (a later visit opens a new chat) and
waits in the pool as `new`. Staff assign it (`in_progress`), reply to it (`replied`:
into the visitor's widget, or by email, the reply kept in the conversation either way)
and close it (`closed`). Every command goes through the conversation's entity, so two
people acting on one left message at once are taken one after the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from actors.domain_event import DomainEvent
from actors.store.messages import StoredMessage


class LeftState(str, Enum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    REPLIED = "replied"
    CLOSED = "closed"


class ReplyVia(str, Enum):
    WIDGET = "widget"  # into the conversation: the visitor sees it on their next visit
    EMAIL = "email"  # sent to the contact the visitor left (the reply is kept here too)


class StaffRole(str, Enum):
    """Who acts, as the pool's rules tell them apart; the edge checked their scope."""

    AGENT = "agent"
    OVERSEER = "overseer"  # a supervisor of the conversation's department, or an admin


@dataclass(frozen=True)
class LeaveMessage:
    """The visitor of a conversation answered `offline` leaves a message (留言) with
    how to reach them: posted like a message; the name and contact are kept."""

    visitor_id: str
    client_msg_id: str
    body: str
    contact: str
    name: str | None = None
    origin: str | None = None


@dataclass(frozen=True)
class Actor:
    staff_id: str
    role: StaffRole
    display_name: str = ""


@dataclass(frozen=True)
class AssignLeftMessage:
    """Hand the left message to `agent_id` (an overseer), or take it (an agent: only
    themselves, only while nobody else has it)."""

    by: Actor
    agent_id: str


@dataclass(frozen=True)
class ReplyToLeftMessage:
    """Answer the left message. An agent replies to theirs, or to an unassigned one
    (taking it); an overseer to any. `client_msg_id` makes a resent reply one reply."""

    by: Actor
    body: str
    via: ReplyVia
    client_msg_id: str
    subject: str = ""  # the email's; the center's name when empty


@dataclass(frozen=True)
class CloseLeftMessage:
    by: Actor


@dataclass(frozen=True)
class SeeLeftReply:
    """The visitor's widget showed the replies: they are no longer offered on the next visit."""

    visitor_id: str


@dataclass(frozen=True)
class LeftMessageView:
    """A left message's place in the pool, the answer to every pool command."""

    conversation_id: str
    state: LeftState
    assignee_id: str | None
    replied_at: datetime | None
    reply: StoredMessage | None = None  # the reply just stored


# -- events ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeftMessageSubmitted(DomainEvent):
    """The visitor sent the leave-message form: the conversation is in the pool, `new`."""

    logged = True

    conversation_id: str
    center_id: str
    visitor_id: str
    skill_group: str | None


@dataclass(frozen=True)
class LeftMessageAssigned(DomainEvent):
    logged = True

    conversation_id: str
    center_id: str
    agent_id: str
    by: str  # the staff member who assigned it (the agent themselves when they took it)
    previous: str | None


@dataclass(frozen=True)
class LeftMessageReplied(DomainEvent):
    """A reply went out (`via`); it is the conversation's message `seq`."""

    logged = True

    conversation_id: str
    center_id: str
    visitor_id: str
    by: str
    via: ReplyVia
    seq: int


@dataclass(frozen=True)
class LeftReplyDelivered(DomainEvent):
    """Not logged (the message is in the messages table): the reply for the visitor's
    open widgets, rendered `left_message.reply`."""

    message: StoredMessage
    agent_name: str = ""
    asked: str = ""  # what the visitor wrote, shown with the reply

    @property
    def conversation_id(self) -> str:
        return self.message.conversation_id


@dataclass(frozen=True)
class LeftMessageClosed(DomainEvent):
    logged = True

    conversation_id: str
    center_id: str
    by: str
