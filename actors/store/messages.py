"""A stored message as a value: what entities, the bus and the edge pass around."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from actors.participants import PartyKind, Visibility
from actors.store.attachments import Attachment
from actors.store.clock import iso


@dataclass(frozen=True)
class StoredMessage:
    conversation_id: str
    seq: int
    sender_kind: PartyKind
    sender_id: str
    body: str
    client_msg_id: str | None
    ts: datetime
    visibility: Visibility = Visibility.PUBLIC
    attachments: tuple[Attachment, ...] = ()
    # A bot message's extras: `name` (the bot's, shown as the sender), `article_id`, `choices`
    # ([{article_id, title}]), `handoff_offered`, `leave_message_offered`; None on others.
    bot: dict[str, Any] | None = None

    @property
    def internal(self) -> bool:
        return self.visibility is Visibility.INTERNAL

    def to_wire(self) -> dict[str, Any]:
        """The `message` object of PROTOCOL.md; `visibility` only on internal ones, so a
        version-1 conversation's messages keep exactly their version-1 shape. Attachments
        need signed links: serve/rendering.py adds them."""
        wire = {"conversation_id": self.conversation_id, "seq": self.seq,
                "sender": {"kind": self.sender_kind.value, "id": self.sender_id},
                "body": self.body, "client_msg_id": self.client_msg_id, "ts": iso(self.ts)}
        if self.internal:
            wire["visibility"] = self.visibility.value
        if self.bot is not None:
            extras = dict(self.bot)
            wire["sender"]["display_name"] = extras.pop("name", "")
            wire["bot"] = extras
        return wire

    @classmethod
    def from_row(cls, row: Any) -> "StoredMessage":
        return cls(row.conversation_id, row.seq, PartyKind(row.sender_kind), row.sender_id, row.body,
                   row.client_msg_id, row.ts, Visibility(row.visibility or "public"),
                   tuple(Attachment.from_stored(a) for a in row.attachments or ()),
                   row.bot)

    def stored_attachments(self) -> list[dict[str, Any]] | None:
        return [a.to_stored() for a in self.attachments] or None


class DuplicateMessage(Exception):
    """The client_msg_id is stored already; `existing` is the stored message."""

    def __init__(self, existing: StoredMessage) -> None:
        super().__init__(existing.client_msg_id)
        self.existing = existing
