"""The visitor entity's protocol (value types only).

The visitor entity decides whether a visitor may open another conversation, the
way an agent entity decides about its slots: every chat request of the visitor
passes its mailbox, so the center's limit holds however many sockets ask at once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from actors.conversation.protocol import KIND as CONVERSATION, Open
from actors.domain_event import DomainEvent
from actors.placement import EntityRef, shard_of

KIND = "visitor"


def visitor_ref(visitor_id: str) -> EntityRef:
    return EntityRef(KIND, visitor_id)


def conversation_id_near(visitor_id: str, shard_count: int) -> str:
    """A new conversation id hosted on the same shard as the visitor's entity, so the
    entity opens it without a call between shards (a chat request costs no extra hop)."""
    home = shard_of(visitor_ref(visitor_id), shard_count)
    while True:
        conversation_id = f"c_{uuid.uuid4().hex[:20]}"
        if shard_of(EntityRef(CONVERSATION, conversation_id), shard_count) == home:
            return conversation_id


@dataclass(frozen=True)
class RequestChat:
    """Open `open` as the new conversation `conversation_id`, unless the visitor has as
    many open as the center allows: then the newest of those answers (an Opened with
    `already_open`), as it stands."""

    conversation_id: str
    open: Open


# -- proactive invitations (主动邀请) ---------------------------------------------------------
# The visitor's entity holds their open invitation (one at a time): an agent's, or the
# center's own auto-invite rule's (agent None). Accepting opens a conversation through
# the same door as a chat request, with the inviting agent designated.


@dataclass(frozen=True)
class Invite:
    center_id: str
    agent_id: str | None  # None: the center's auto-invite rule
    agent_name: str | None
    text: str | None  # None: the center's default text


@dataclass(frozen=True)
class AcceptInvitation:
    """Accept `invitation_id` by opening `chat` (a chat request the gateway built, whose
    designated agent and group this entity fills in from the invitation)."""

    invitation_id: str
    chat: RequestChat


@dataclass(frozen=True)
class DeclineInvitation:
    invitation_id: str


@dataclass(frozen=True)
class InvitationExpires:
    """Timer: the invitation's time is up."""

    invitation_id: str


@dataclass(frozen=True)
class GetInvitations:
    """The open invitations, for a socket that just opened (a page navigation)."""


@dataclass(frozen=True)
class InvitationSent(DomainEvent):
    """Rendered as `invitation` to the visitor; logged (invitation reports)."""

    logged = True

    center_id: str
    invitation_id: str
    visitor_id: str
    agent_id: str | None
    agent_name: str | None
    text: str
    auto: bool = False


@dataclass(frozen=True)
class InvitationClosed(DomainEvent):
    """Rendered as `invitation.closed` to the visitor and the inviting agent; logged."""

    logged = True

    center_id: str
    invitation_id: str
    visitor_id: str
    agent_id: str | None
    outcome: str  # accepted | declined | expired | withdrawn
    conversation_id: str | None = None


@dataclass(frozen=True)
class Invited:
    """The reply to `Invite`."""

    invitation_id: str


@dataclass(frozen=True)
class OpenInvitations:
    invitations: tuple[InvitationSent, ...]
