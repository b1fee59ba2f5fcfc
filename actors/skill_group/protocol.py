"""The skill-group queue's protocol: commands, replies and events (value types only)."""

from __future__ import annotations

from dataclasses import dataclass

from actors.agent.protocol import AgentSnapshot
from actors.domain_event import DomainEvent
from actors.participants import VisitorRef
from actors.placement import EntityRef
from actors.routing.waiting_line import WaitingEntry
from actors.tracking.source import TrafficSource

KIND = "skill_group"


def queue_ref(center_id: str, group: str) -> EntityRef:
    return EntityRef(KIND, f"{center_id}/{group}")


# -- commands -------------------------------------------------------------------


@dataclass(frozen=True)
class Enqueue:
    entry: WaitingEntry  # entry.at_head: a transfer, ahead of everyone waiting


@dataclass(frozen=True)
class Withdraw:
    """The conversation no longer waits here: it ended, or it heard its Overflow."""

    conversation_id: str


@dataclass(frozen=True)
class Pick:
    conversation_id: str
    agent_id: str


@dataclass(frozen=True)
class AgentChanged:
    snapshot: AgentSnapshot


@dataclass(frozen=True)
class OfferOutcome:
    """From the conversation an offer went to: what the agent answered. `waiting`:
    the conversation still wants an agent (so the entry goes back in line, and
    the reply is Enqueued or another Offered); `snapshot` is None when the agent
    was not asked (the conversation had moved on) or is unknown."""

    conversation_id: str
    agent_id: str
    snapshot: AgentSnapshot | None
    granted: bool
    waiting: bool


@dataclass(frozen=True)
class Wake:
    """Load the line (after a shard restart) and match whatever can be matched."""


@dataclass(frozen=True)
class Tick:
    """The earliest queue deadline has come."""


@dataclass(frozen=True)
class ResendOverflows:
    """Overflows not yet confirmed (by the conversation's Withdraw) are told again."""


@dataclass(frozen=True)
class PublishWaiting:
    pass


@dataclass(frozen=True)
class PublishPositions:
    pass


@dataclass(frozen=True)
class CheckOffers:
    """Offers out too long go back in line (their conversation's shard may have
    crashed before it could answer)."""


@dataclass(frozen=True)
class GetWaiting:
    pass


@dataclass(frozen=True)
class GetCapacity:
    """Answered with actors.routing.capacity.Capacity: what a linked center is told."""


@dataclass(frozen=True)
class GetPlace:
    """Where this conversation waits: Enqueued (position 1 while an agent is being
    offered it), or Rejected `not_waiting`."""

    conversation_id: str


@dataclass(frozen=True)
class Reload:
    pass


# -- replies --------------------------------------------------------------------


@dataclass(frozen=True)
class Enqueued:
    position: int
    deadline: float | None
    rev: int


@dataclass(frozen=True)
class Offered:
    """Ask this agent for a slot (the reply to an Enqueue or a refused offer)."""

    agent_id: str


@dataclass(frozen=True)
class Picked:
    agent: AgentSnapshot


@dataclass(frozen=True)
class WaitingVisitor:
    """One line of a group's waiting list, as its agents see it."""

    conversation_id: str
    position: int
    visitor: VisitorRef
    channel: str
    priority: int
    waited_s: float
    enqueued_at: str  # ISO 8601
    source: TrafficSource | None = None  # None: not known (no page of the site seen)


@dataclass(frozen=True)
class WaitingList:
    skill_group: str
    entries: tuple[WaitingVisitor, ...]


# -- events ---------------------------------------------------------------------


@dataclass(frozen=True)
class QueuePositionChanged(DomainEvent):
    """A waiting visitor's place in line (1 = next); `rev` orders positions that
    reach a socket by different paths."""

    conversation_id: str
    visitor_id: str
    skill_group: str
    position: int
    rev: int


@dataclass(frozen=True)
class WaitingListChanged(DomainEvent):
    """The head of a group's line, for the agents who serve it."""

    center_id: str
    skill_group: str
    count: int
    entries: tuple[WaitingVisitor, ...]


def next_rev(previous: int, now: float) -> int:
    """The next revision of a line: one more than the last, and never below the
    clock in microseconds. A conversation that overflows or is transferred hears
    positions from another queue, and a queue rebuilt after a restart starts
    afresh; taking the clock keeps those revisions above the ones a socket saw
    before (serve/connection.py drops positions older than what it knows)."""
    return max(previous + 1, int(now * 1_000_000))
