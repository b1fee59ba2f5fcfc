"""The visitor entity's protocol (value types only).

The visitor entity decides whether a visitor may open another conversation, the
way an agent entity decides about its slots: every chat request of the visitor
passes its mailbox, so the center's limit holds however many sockets ask at once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from actors.conversation.protocol import KIND as CONVERSATION, Open
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
