"""A forwarded conversation's part of the Conversation protocol (级联): what the link
actor tells the conversation about the center serving it, and the events that follow.

The conversation stays on the center its visitor came to (status `forwarded`); a linked
center's agent serves it. Messages from there arrive as RelayedPost, in order and at
most once each (by their seq); the visitor's own go out from the conversation's stored
messages (federation/forwarding.py reads them past the peer's cursor).
"""

from __future__ import annotations

from dataclasses import dataclass

from actors.domain_event import DomainEvent
from actors.participants import AgentRef, PartyKind


@dataclass(frozen=True)
class OfferedHere:
    """On an Open: the conversation comes from a linked center's offer. `hops`: the
    centers it came through, origin first (a forward onward adds us and is refused by
    any of them: no loops); `answer_by_ms`: the offer's deadline (epoch ms), which an
    onward offer must fit inside so our answer still reaches the offerer in time."""

    hops: tuple[str, ...]
    answer_by_ms: int = 0


@dataclass(frozen=True)
class ForwardQueued:
    """The serving center has it waiting, at `position`."""

    forward_id: str
    position: int


@dataclass(frozen=True)
class ForwardServed:
    """An agent of the serving center took it."""

    forward_id: str
    agent_id: str  # the peer's agent id, as `peer:agent_id`
    display_name: str


@dataclass(frozen=True)
class RelayedPost:
    """A message written on the serving center (its agent's, or its center's own).
    Answered with Posted (`duplicate` for one stored before) or Rejected."""

    forward_id: str
    seq: int  # the serving center's seq of it: the message's identity across the link
    sender_kind: PartyKind
    sender_id: str
    body: str
    internal: bool = False
    # Files the link actor kept here for it (federation/attachments.py), uploaded as the sender's.
    attachments: tuple[str, ...] = ()

    @property
    def client_msg_id(self) -> str:
        """Its id here: the forward and the serving center's seq (a resend is recognised)."""
        return f"fwd:{self.forward_id}:{self.seq}"


@dataclass(frozen=True)
class ForwardClosed:
    """The serving center ended it (its agent or itself) or gave it back."""

    forward_id: str
    by: PartyKind
    disposition: str  # ended_by_agent | ended_by_visitor | taken_back | ...


@dataclass(frozen=True)
class TakeBack:
    """Serve it here again: the serving center is gone or too slow. The conversation
    re-enters its local queue with its history; anything the link says of it afterwards
    is refused (the forward is closed: one owner at a time)."""

    forward_id: str
    reason: str


# -- events ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConversationForwarded(DomainEvent):
    """Offered to and accepted by a linked center."""

    logged = True

    conversation_id: str
    center_id: str
    visitor_id: str
    business: str
    peer: str
    forward_id: str
    reason: str


@dataclass(frozen=True)
class ServedElsewhere(DomainEvent):
    """For the visitor: who serves them now, on the linked center (an `assigned` frame)."""

    conversation_id: str
    peer: str
    agent: AgentRef


@dataclass(frozen=True)
class ForwardTakenBack(DomainEvent):
    """Back from the linked center into our queue of `skill_group`; the visitor hears it
    as a transfer to that group (`transferred`), then their place in line."""

    logged = True

    conversation_id: str
    center_id: str
    peer: str
    forward_id: str
    reason: str
    skill_group: str
    from_agent_id: str | None = None  # the linked center's agent who was serving it
