"""Files across a link (附件): a message's attachments cross as chunks of their bytes,
sent on the message's forward just before the message (so in order), and are kept by
the receiving center as its own uploads, judged by its own rules, before the message
is posted there.

A resend after a reconnect sends the chunks again from the start; the receiver keeps
only a whole file (every byte, in order, of the size the message names), and a message
it has already, chunks and all, is dropped by its seq.
"""

from __future__ import annotations

import asyncio
from typing import Callable

from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.store.attachments import attachments_by_id
from actors.store.centers import get_center
from federation.v1 import link_pb2 as pb
from serve.media.blob_store import BlobStore
from serve.media.kept_uploads import keep_upload
from serve.media.limits import attachment_limits
from serve.media.uploads import UploadRefused, check_upload

CHUNK_BYTES = 256 * 1024
# More than any center lets one file be (serve/media/limits.py caps the setting at
# 50 MiB): a sender that goes on past it is cut off.
MAX_FILE_BYTES = 64 * 1024 * 1024


async def send_attachments(db: async_sessionmaker, blobs: BlobStore, forward_id: str, message,
                           send: Callable[[pb.Frame], bool]) -> bool:
    """Each attachment's bytes as chunks through `send`; False as soon as `send` does
    (the stream changed: the next catch-up sends the message, files and all)."""
    rows = await attachments_by_id(db, [attachment.id for attachment in message.attachments])
    for attachment in message.attachments:
        row = rows.get(attachment.id)
        if row is None:
            continue  # gone (deleted with its conversation): the message crosses without it
        offset = 0
        async for piece in blobs.stream(row.blob_key):
            for start in range(0, len(piece), CHUNK_BYTES):
                part = piece[start:start + CHUNK_BYTES]
                if not send(pb.Frame(chunk=pb.AttachmentChunk(forward_id=forward_id, attachment_id=attachment.id,
                                                              offset=offset, data=part))):
                    return False
                offset += len(part)
    return True


class IncomingFiles:
    """The chunks of one forward's next message, by attachment id."""

    def __init__(self) -> None:
        self._parts: dict[str, bytearray] = {}

    def add(self, chunk: pb.AttachmentChunk) -> None:
        if chunk.offset == 0:
            self._parts[chunk.attachment_id] = bytearray()  # (again) from the start
        got = self._parts.get(chunk.attachment_id)
        if got is None or len(got) != chunk.offset or len(got) + len(chunk.data) > MAX_FILE_BYTES:
            self._parts.pop(chunk.attachment_id, None)  # a gap (the rest of a dead stream's send)
            return
        got += chunk.data

    def whole(self, ref: pb.AttachmentRef) -> bytes | None:
        """The file, if every byte of it came (kept until `clear`: a failed keep is tried again)."""
        got = self._parts.get(ref.id)
        return bytes(got) if got is not None and len(got) == ref.size else None

    def clear(self) -> None:
        self._parts.clear()


async def keep_incoming(db: async_sessionmaker, blobs: BlobStore, center_id: str, conversation_id: str,
                        uploader: tuple[str, str], refs, files: IncomingFiles) -> tuple[list[str], list[str]]:
    """The files of a message from the peer, kept here as `uploader`'s (kind, id):
    (their ids here, what was refused and why)."""
    if not refs:
        files.clear()  # pieces of a send a dead stream cut short
        return [], []
    center = await get_center(db, center_id)
    limits = attachment_limits(center.settings if center is not None else None)
    kept, refused = [], []
    for ref in refs:
        data = files.whole(ref)
        if data is None:
            refused.append(f"{ref.name}: incomplete")
            continue
        try:
            checked = await asyncio.to_thread(check_upload, data, ref.name, limits)
        except UploadRefused as refusal:
            refused.append(f"{ref.name}: {refusal.message}")
            continue
        attachment = await keep_upload(db, blobs, center_id, conversation_id, uploader[0], uploader[1], checked)
        kept.append(attachment.id)
    files.clear()
    return kept, refused
