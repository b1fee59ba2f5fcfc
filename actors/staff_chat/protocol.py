"""The staff chat's protocol (value types only): agents writing to each other (内部对话).

One entity per pair of staff members of a center numbers their messages, as a
conversation numbers its own: every message of the pair passes its mailbox, so
seqs have no gaps and a resent `client_msg_id` gets the seq it got the first time.
Delivery is the bus's (both members' agent topics); the database keeps every
message and how far each member has read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from actors.domain_event import DomainEvent
from actors.placement import EntityRef

KIND = "staff_chat"


def thread_key(center_id: str, agent_a: str, agent_b: str) -> str:
    """The pair's key, the same whoever writes first."""
    low, high = sorted((agent_a, agent_b))
    return f"{center_id}/{low}:{high}"


def staff_chat_ref(center_id: str, agent_a: str, agent_b: str) -> EntityRef:
    return EntityRef(KIND, thread_key(center_id, agent_a, agent_b))


@dataclass(frozen=True)
class StaffMessage:
    thread: str
    seq: int
    sender_id: str
    sender_name: str
    recipient_id: str
    body: str
    client_msg_id: str | None
    ts: datetime

    def to_wire(self) -> dict[str, Any]:
        return {"seq": self.seq, "sender": {"kind": "agent", "id": self.sender_id,
                                            "display_name": self.sender_name},
                "recipient_id": self.recipient_id, "body": self.body,
                "client_msg_id": self.client_msg_id, "ts": self.ts.isoformat()}


# -- commands -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostStaffMessage:
    """`sender_id` writes to `recipient_id`. Answered with StaffPosted or Rejected.
    `origin`: the sending socket, which gets an ack instead of an echo."""

    sender_id: str
    sender_name: str
    recipient_id: str
    body: str
    client_msg_id: str
    origin: str | None = None


@dataclass(frozen=True)
class MarkStaffRead:
    """`agent_id` has read the pair's messages up to `seq`. Answered with Done."""

    agent_id: str
    seq: int
    origin: str | None = None


@dataclass(frozen=True)
class StaffPosted:
    message: StaffMessage
    duplicate: bool = False


# -- events ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffMessagePosted(DomainEvent):
    message: StaffMessage


@dataclass(frozen=True)
class StaffChatRead(DomainEvent):
    """For the reader's other workspaces: their unread count for the pair is gone."""

    agent_id: str
    colleague_id: str
    seq: int
