"""The conversation entity's protocol: commands, replies and events (value types only)."""

from __future__ import annotations

from dataclasses import dataclass

from actors.conversation.forwarding_protocol import OfferedHere
from actors.domain_event import DomainEvent
from actors.lifecycle import ConversationStatus
from actors.participants import AgentRef, Participant, PartyKind, SupervisionMode, Visibility, VisitorRef
from actors.placement import EntityRef
from actors.routing.types import ChatRequest, VisitorProfile
from actors.routing.waiting_line import WaitingEntry
from actors.store.messages import StoredMessage
from actors.tracking.source import TrafficSource

KIND = "conversation"


def conversation_ref(conversation_id: str) -> EntityRef:
    return EntityRef(KIND, conversation_id)


# -- commands -------------------------------------------------------------------


@dataclass(frozen=True)
class Open:
    center_id: str
    visitor: VisitorProfile
    visitor_name: str
    request: ChatRequest
    origin: str | None = None
    source: TrafficSource | None = None  # the visit's, for the queue's agents
    offered: OfferedHere | None = None  # set by the link actor for a linked center's offer


@dataclass(frozen=True)
class CheckReservation:
    """An agent asks whether this conversation holds the slot it granted; the answer
    is the agent's `ReservationChecked` (a tell: agents never ask conversations)."""

    agent_id: str
    token: int


@dataclass(frozen=True)
class Post:
    sender_kind: PartyKind
    sender_id: str
    client_msg_id: str
    body: str
    origin: str | None = None
    visibility: Visibility = Visibility.PUBLIC
    # Ids of attachments the sender uploaded to this conversation and has not sent yet.
    attachments: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rate:
    """The visitor rates the conversation (满意度): once, while open or after it ended."""

    visitor_id: str
    score: int
    comment: str = ""
    origin: str | None = None


@dataclass(frozen=True)
class AgentTyping:
    """The owner or a collaborator is typing; the visitor is told (never the text)."""

    agent_id: str
    display_name: str


@dataclass(frozen=True)
class Typing:
    visitor_id: str
    text: str


@dataclass(frozen=True)
class FlushTyping:
    pass


@dataclass(frozen=True)
class End:
    """Close the conversation: by its visitor, its owner, staff who oversee
    (`overseer`), or the center itself (SYSTEM); anyone else is refused."""

    by_kind: PartyKind
    by_id: str
    reason: str = "closed"
    overseer: bool = False


@dataclass(frozen=True)
class Offer:
    """From a queue: ask this agent for a slot, and tell the queue how it went."""

    agent_id: str
    group: str


@dataclass(frozen=True)
class Assign:
    """From a queue: this agent has reserved a slot for the conversation (a pick)."""

    agent_id: str
    display_name: str
    incarnation: int = 0  # of the agent's entity that granted it (Granted.incarnation)


@dataclass(frozen=True)
class Overflow:
    """From a queue: the wait ran out; go to `target` (a group or LEAVE_MESSAGE)."""

    from_group: str
    target: str
    entry: WaitingEntry


@dataclass(frozen=True)
class Transfer:
    """Hand the conversation on (转接): to an agent, whose own entity must grant a
    slot, or to a skill group, where it waits at the head of the line. `by_id` is
    the owner, or staff who oversee (`overseer`)."""

    by_id: str
    overseer: bool
    to_agent_id: str | None = None
    to_skill_group: str | None = None
    note: str = ""


@dataclass(frozen=True)
class InviteParticipant:
    """The owner (or an overseer) invites another agent in as a collaborator."""

    by_id: str
    overseer: bool
    agent_id: str


@dataclass(frozen=True)
class LeaveParticipant:
    """A collaborator or supervisor leaves; the owner transfers or ends instead."""

    agent_id: str


@dataclass(frozen=True)
class Supervise:
    supervisor_id: str
    mode: SupervisionMode


@dataclass(frozen=True)
class Takeover:
    """A supervisor becomes the owner; the previous owner's slot is freed."""

    supervisor_id: str


@dataclass(frozen=True)
class GetInfo:
    pass


# -- replies --------------------------------------------------------------------


@dataclass(frozen=True)
class ConversationInfo:
    conversation_id: str
    center_id: str | None
    visitor_id: str | None
    agent_id: str | None
    agent_name: str | None
    status: ConversationStatus
    skill_group: str | None
    last_seq: int
    participants: tuple[Participant, ...] = ()
    # While the FAQ bot serves (status `bot`): its name ("" lets the widget name it).
    bot_name: str | None = None

    def may_read(self, staff_id: str) -> bool:
        """Whether an agent takes part (owner, collaborator or supervising)."""
        return staff_id == self.agent_id or any(p.id == staff_id for p in self.participants)


@dataclass(frozen=True)
class Opened:
    """The answer to a chat request: queued (with position), assigned, or offline."""

    info: ConversationInfo
    position: int | None = None
    rev: int | None = None
    offline_reason: str | None = None
    # The visitor was at the center's limit of open conversations: this is one of
    # those, not a new one (actors/visitor).
    already_open: bool = False
    out_of_hours: bool = False  # the bot serves a closed group


@dataclass(frozen=True)
class Posted:
    message: StoredMessage
    duplicate: bool = False
    # The topics a new message was published to: the gateway hands it to its own
    # sockets there without waiting for the bus (the event is rebuilt there from
    # `message`, not sent back twice).
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ended:
    info: ConversationInfo


@dataclass(frozen=True)
class Rated:
    rating: "ConversationRated"


# -- events ---------------------------------------------------------------------
# Logged events carry what a report groups by (center, conversation, agent, skill
# group, visitor); the log row adds the time and its sequence number.


@dataclass(frozen=True)
class ConversationRequested(DomainEvent):
    logged = True

    conversation_id: str
    center_id: str
    visitor_id: str
    channel: str
    requested_group: str | None
    priority: int


@dataclass(frozen=True)
class ConversationQueued(DomainEvent):
    """Entered a group's line (queue history: entered, with its first position)."""

    logged = True

    conversation_id: str
    center_id: str
    visitor_id: str
    skill_group: str
    position: int
    rev: int | None = None


@dataclass(frozen=True)
class QueueLeft(DomainEvent):
    """Left a group's line: `assigned`, `abandoned` (the visitor ended it),
    `overflowed` / `timed_out` (the wait ran out), or `transferred`."""

    logged = True

    conversation_id: str
    center_id: str
    skill_group: str
    outcome: str
    waited_s: float


@dataclass(frozen=True)
class ConversationAssigned(DomainEvent):
    logged = True

    conversation_id: str
    center_id: str
    skill_group: str | None
    agent: AgentRef
    visitor: VisitorRef
    channel: str
    last_seq: int
    # Set when this assignment is a transfer's: from whom.
    transferred_from: str | None = None

    @property
    def agent_id(self) -> str:
        return self.agent.id


@dataclass(frozen=True)
class ConversationTransferred(DomainEvent):
    logged = True

    conversation_id: str
    center_id: str
    from_agent_id: str | None
    to_agent_id: str | None
    to_skill_group: str | None
    by_id: str
    note: str = ""
    to_agent_name: str | None = None


@dataclass(frozen=True)
class ParticipantJoined(DomainEvent):
    logged = True

    conversation_id: str
    center_id: str
    participant: Participant


@dataclass(frozen=True)
class ParticipantLeft(DomainEvent):
    logged = True

    conversation_id: str
    center_id: str
    participant: Participant


@dataclass(frozen=True)
class MessagePosted(DomainEvent):
    """Not logged: the messages table is the log of messages."""

    message: StoredMessage

    @property
    def conversation_id(self) -> str:
        return self.message.conversation_id


@dataclass(frozen=True)
class TypingPreviewed(DomainEvent):
    """What the visitor has typed and not sent; `seq` is the last message when it was
    typed, so a socket that already has a later visitor message drops it."""

    conversation_id: str
    text: str
    seq: int


@dataclass(frozen=True)
class AgentTyped(DomainEvent):
    """An agent of the conversation is typing (for the visitor; at most one each
    AGENT_TYPING_INTERVAL_S per conversation)."""

    conversation_id: str
    agent: AgentRef


@dataclass(frozen=True)
class ConversationRated(DomainEvent):
    """The visitor's rating: 1-5 and an optional comment (reports read it)."""

    logged = True

    conversation_id: str
    center_id: str
    visitor_id: str
    agent_id: str | None
    skill_group: str | None
    score: int
    comment: str = ""


@dataclass(frozen=True)
class MessageLeft(DomainEvent):
    """Nobody can serve the conversation: it becomes a left message (留言)."""

    logged = True

    conversation_id: str
    center_id: str
    visitor_id: str
    skill_group: str | None
    reason: str


@dataclass(frozen=True)
class ConversationEnded(DomainEvent):
    logged = True

    conversation_id: str
    center_id: str
    by: PartyKind
    reason: str
    agent_id: str | None
