"""Attachments (附件): upload into a conversation, and fetch by a signed link.

Who may upload: the conversation's visitor while it is open, its owner and
participants (and supervisors) while it is served. The file is judged by its
content against the center's `attachments` settings, stored in the blob store,
and answered with signed links; a message then carries it by id (frames.py).
Fetching needs no token, only the link: `<img src>` cannot send a header.
"""

from __future__ import annotations

import asyncio
import math
import time
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, StreamingResponse
from pydantic import BaseModel
from starlette.datastructures import UploadFile
from starlette.responses import Response

from actors.store import conversations as store
from actors.store.attachments import Attachment, get_attachment
from actors.store.centers import get_center
from actors.store.schema import ConversationRow
from serve.api.access import Caller, Runtime, too_many
from serve.api.error_responses import AUTHENTICATED, errors
from serve.api.scope import overseen
from serve.auth import Principal
from serve.errors import ApiError
from serve.media.blob_store import UnknownBlob
from serve.media.file_names import content_disposition
from serve.media.kept_uploads import keep_upload
from serve.media.limits import AttachmentLimits, attachment_limits
from serve.media.links import BadLink, Variant
from serve.media.sniffing import shown_inline
from serve.media.uploads import CheckedUpload, UploadRefused, check_upload
from serve.rendering import attachment_wire
from serve.runtime import GatewayRuntime

router = APIRouter(tags=["attachments"])
# Room for the multipart framing around the file itself.
MULTIPART_SLACK = 16 * 1024
_UPLOAD_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary"}}}}}}}
_VISITOR_MAY_UPLOAD = ("bot", "queued", "assigned", "left_message", "forwarded")


class AttachmentOut(BaseModel):
    id: str
    name: str
    content_type: str
    size: int
    url: str
    thumbnail_url: str | None = None


@router.post("/api/v1/conversations/{conversation_id}/attachments", response_model=AttachmentOut,
             status_code=201, openapi_extra=_UPLOAD_BODY,
             responses=errors(*AUTHENTICATED, 400, 404, 409, 411, 413, 415, 429))
async def upload(conversation_id: str, request: Request, rt: Runtime, who: Caller) -> AttachmentOut:
    """Multipart with one part `file`. The type is the content's (magic bytes), never the
    name's or the browser's: 415 when the center does not allow it, 413 over its size."""
    wait = rt.throttles.uploads.take(f"{who.kind}:{who.id}")
    if wait:
        raise too_many(wait, "too many uploads; wait a little")
    row = await _writable_conversation(rt, who, conversation_id)
    limits = attachment_limits((await get_center(rt.db, rt.center_id)).settings)
    data, name = await _read_file(request, limits)
    try:
        checked = await asyncio.to_thread(check_upload, data, name, limits)
    except UploadRefused as refused:
        raise ApiError(refused.status, refused.code, refused.message) from None
    attachment = await _store(rt, who, row, checked)
    return AttachmentOut(**attachment_wire(attachment, rt.links))


async def _writable_conversation(rt: GatewayRuntime, who: Principal, conversation_id: str) -> ConversationRow:
    row = await store.load_conversation(rt.db, conversation_id)
    if row is None or row.center_id != who.center_id:
        raise ApiError(404, "not_found", "no such conversation")
    if who.kind == "visitor":
        if row.visitor_id != who.id:
            raise ApiError(403, "forbidden", "not your conversation")
        if row.status not in _VISITOR_MAY_UPLOAD:
            raise ApiError(409, "conversation_closed", "the conversation has ended")
        return row
    serving = row.agent_id == who.id or await store.takes_part(rt.db, conversation_id, who.id)
    if not serving and who.may_oversee() and not await overseen(rt, who, conversation_id):
        raise ApiError(404, "not_found", "no such conversation")  # another department's
    if not (serving or who.may_oversee()):
        raise ApiError(403, "forbidden", "you are not serving this conversation")
    if row.status != "assigned":
        raise ApiError(409, "conversation_closed", "only a served conversation takes attachments")
    return row


async def _read_file(request: Request, limits: AttachmentLimits) -> tuple[bytes, str | None]:
    length = request.headers.get("content-length")
    if length is None or not length.isdigit():
        raise ApiError(411, "length_required", "send the upload with a Content-Length")
    if int(length) > limits.max_bytes + MULTIPART_SLACK:
        raise ApiError(413, "too_large", f"files are limited to {limits.max_bytes} bytes")
    if not request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        raise ApiError(400, "bad_upload", "send multipart/form-data with a part `file`")
    try:
        form = await request.form(max_files=1, max_fields=4)
    except Exception as error:  # python-multipart's and Starlette's parse errors alike
        raise ApiError(400, "bad_upload", f"the multipart body cannot be read: {error}") from None
    try:
        part = form.get("file")
        if not isinstance(part, UploadFile):
            raise ApiError(422, "invalid_request", "file: a file part is required")
        data = await part.read(limits.max_bytes + 1)
        return data, part.filename
    finally:
        await form.close()


async def _store(rt: GatewayRuntime, who: Principal, conversation: ConversationRow,
                 checked: CheckedUpload) -> Attachment:
    attachment = await keep_upload(rt.db, rt.blobs, conversation.center_id, conversation.id,
                                   "visitor" if who.kind == "visitor" else "agent", who.id, checked)
    rt.unsent.ensure_running()
    return attachment


Signature = Annotated[str, Query(max_length=200, description="from the attachment's url")]


@router.get("/api/v1/attachments/{attachment_id}", responses={
    200: {"description": "the file", "content": {"application/octet-stream": {}}},
    **errors(403, 404, 422)})
async def attachment_file(attachment_id: str, rt: Runtime, sig: Signature) -> Response:
    """The file: images and videos inline, anything else as a download under its name."""
    return await _serve(rt, attachment_id, Variant.FILE, sig)


@router.get("/api/v1/attachments/{attachment_id}/thumbnail", responses={
    200: {"description": "a small JPEG or PNG", "content": {"image/jpeg": {}, "image/png": {}}},
    **errors(403, 404, 422)})
async def attachment_thumbnail(attachment_id: str, rt: Runtime, sig: Signature) -> Response:
    return await _serve(rt, attachment_id, Variant.THUMBNAIL, sig)


async def _serve(rt: GatewayRuntime, attachment_id: str, variant: Variant, sig: str) -> Response:
    try:
        expires = rt.links.verify(attachment_id, variant, sig)
    except BadLink as bad:
        raise ApiError(403, bad.code, str(bad)) from None
    row = await get_attachment(rt.db, attachment_id)
    key = row.thumbnail_key if row is not None and variant is Variant.THUMBNAIL else (
        row.blob_key if row is not None else None)
    if row is None or key is None or row.center_id != rt.center_id:
        raise ApiError(404, "not_found", "no such attachment")
    if variant is Variant.THUMBNAIL:
        content_type = "image/png" if key.endswith(".png") else "image/jpeg"
        inline = True
    else:
        content_type, inline = row.content_type, shown_inline(row.content_type)
    headers = _safe_headers(row.name, inline, expires)
    path = rt.blobs.local_path(key)
    if path is not None:  # served from the file: range requests (a video's seeking) work
        return FileResponse(path, media_type=content_type, headers=headers)
    try:
        chunks = rt.blobs.stream(key)
        first = await anext(chunks)
    except (UnknownBlob, StopAsyncIteration):
        raise ApiError(404, "not_found", "the attachment's file is gone") from None

    async def body() -> Any:
        yield first
        async for chunk in chunks:
            yield chunk

    return StreamingResponse(body(), media_type=content_type, headers=headers)


def _safe_headers(name: str, inline: bool, expires: int) -> dict[str, str]:
    """Never sniffed into something else, never run as a page (a sandboxed CSP, even for
    a download opened in a tab), cached no longer than the link lives."""
    return {"Content-Disposition": content_disposition(name, inline),
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
            "Cache-Control": f"private, max-age={max(0, math.floor(expires - time.time()))}",
            "Referrer-Policy": "no-referrer"}
