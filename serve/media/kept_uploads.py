"""An upload that passed its checks (serve/media/uploads.py), kept: its bytes and
thumbnail in the blob store, its record unsent in the conversation. Used by the upload
endpoint and by the link actor for files that come from a linked center."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.store.attachments import Attachment, insert_attachment
from actors.store.clock import utcnow
from actors.store.records import new_id
from actors.store.schema import AttachmentRow
from serve.media.blob_store import BlobStore, new_key
from serve.media.uploads import CheckedUpload


async def keep_upload(db: async_sessionmaker, blobs: BlobStore, center_id: str, conversation_id: str,
                      uploader_kind: str, uploader_id: str, checked: CheckedUpload) -> Attachment:
    blob_key = new_key()
    await blobs.put(blob_key, checked.data)
    thumbnail_key = None
    if checked.thumbnail is not None:
        thumbnail_key = new_key(checked.thumbnail.suffix)
        await blobs.put(thumbnail_key, checked.thumbnail.data)
    row = AttachmentRow(id=new_id("a"), center_id=center_id, conversation_id=conversation_id,
                        uploader_kind=uploader_kind, uploader_id=uploader_id, name=checked.name,
                        content_type=checked.content_type, size=len(checked.data), blob_key=blob_key,
                        thumbnail_key=thumbnail_key, created_at=utcnow())
    await insert_attachment(db, row)
    return Attachment.from_row(row)
