"""Attachment records (附件): what was uploaded to which conversation by whom, and
whether a message carries it yet. The bytes live in a blob store (blobs.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.store.schema import AttachmentRow

MAX_PER_MESSAGE = 10


@dataclass(frozen=True)
class Attachment:
    """An attachment as a message carries it: enough to render it without a lookup."""

    id: str
    name: str
    content_type: str
    size: int
    thumbnail: bool = False

    def to_stored(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "content_type": self.content_type,
                "size": self.size, "thumbnail": self.thumbnail}

    @classmethod
    def from_stored(cls, data: dict[str, Any]) -> "Attachment":
        return cls(str(data["id"]), str(data["name"]), str(data["content_type"]), int(data["size"]),
                   bool(data.get("thumbnail")))

    @classmethod
    def from_row(cls, row: AttachmentRow) -> "Attachment":
        return cls(row.id, row.name, row.content_type, row.size, row.thumbnail_key is not None)


async def insert_attachment(db: async_sessionmaker, row: AttachmentRow) -> None:
    async with db() as session, session.begin():
        session.add(row)


async def get_attachment(db: async_sessionmaker, attachment_id: str) -> AttachmentRow | None:
    async with db() as session:
        return await session.get(AttachmentRow, attachment_id)


async def attachments_by_id(db: async_sessionmaker, ids: Iterable[str]) -> dict[str, AttachmentRow]:
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    async with db() as session:
        rows = await session.scalars(select(AttachmentRow).where(AttachmentRow.id.in_(wanted)))
        return {row.id: row for row in rows}


@dataclass(frozen=True)
class AttachmentUse:
    """Why a message may not carry these attachments, or None: it may."""

    code: str
    message: str


def check_use(rows: dict[str, AttachmentRow], ids: tuple[str, ...], conversation_id: str,
              uploader_kind: str, uploader_id: str) -> AttachmentUse | None:
    """Each attachment was uploaded to this conversation by this sender and is not
    carried by a message yet (pure: the rows are read by the caller)."""
    if len(ids) > MAX_PER_MESSAGE:
        return AttachmentUse("invalid_frame", f"at most {MAX_PER_MESSAGE} attachments per message")
    if len(set(ids)) != len(ids):
        return AttachmentUse("invalid_frame", "an attachment is named twice")
    for attachment_id in ids:
        row = rows.get(attachment_id)
        if (row is None or row.conversation_id != conversation_id or row.uploader_kind != uploader_kind
                or row.uploader_id != uploader_id):
            return AttachmentUse("not_found", f"no attachment {attachment_id} of yours in this conversation")
        if row.message_seq is not None:
            return AttachmentUse("attachment_used", f"attachment {attachment_id} was sent already")
    return None


async def unsent_before(db: async_sessionmaker, cutoff: datetime, limit: int) -> list[AttachmentRow]:
    """Attachments uploaded before `cutoff` that no message carries, oldest first."""
    async with db() as session:
        return list(await session.scalars(
            select(AttachmentRow).where(AttachmentRow.message_seq.is_(None), AttachmentRow.created_at < cutoff)
            .order_by(AttachmentRow.created_at).limit(limit)))


async def forget_unsent(db: async_sessionmaker, attachment_id: str) -> bool:
    """Deletes the row unless a message carries it by now; True if deleted."""
    async with db() as session, session.begin():
        gone = await session.execute(delete(AttachmentRow).where(
            AttachmentRow.id == attachment_id, AttachmentRow.message_seq.is_(None)))
    return bool(gone.rowcount)
