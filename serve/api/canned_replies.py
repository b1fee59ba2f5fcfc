"""Canned replies (常用语): `/api/v1/canned-replies`.

Every staff member reads their own and the center's public replies (the desk inserts
them with `/`). Anyone keeps personal replies; public ones are written by supervisors
and admins only. Another agent's personal reply is "not found", never "forbidden", so
ids of other people's replies reveal nothing.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from actors.store import canned_replies as store
from actors.store.schema import CannedReplyRow
from serve.api.access import Caller, Runtime
from serve.auth import Principal
from serve.api.error_responses import AUTHENTICATED, errors
from serve.errors import ApiError

router = APIRouter(prefix="/api/v1/canned-replies", tags=["canned replies"])
Scope = Literal["personal", "public"]
Category = Annotated[str, Field(max_length=64)]
Title = Annotated[str, Field(max_length=100)]
Body = Annotated[str, Field(min_length=1, max_length=5000)]


class CannedReply(BaseModel):
    id: str
    scope: Scope
    category: str
    title: str
    body: str


class CannedReplies(BaseModel):
    replies: list[CannedReply]


class CannedReplyBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scope: Scope = "personal"
    category: Category = ""
    title: Title = ""
    body: Body


class CannedReplyChange(BaseModel):
    """Only the fields given change."""

    model_config = ConfigDict(extra="forbid")
    category: Category | None = None
    title: Title | None = None
    body: Body | None = None


def _out(row: CannedReplyRow) -> CannedReply:
    return CannedReply(id=row.id, scope="public" if row.owner_agent_id is None else "personal",
                       category=row.category, title=row.title, body=row.body)


def _staff(who: Principal) -> None:
    if not who.is_staff:
        raise ApiError(403, "forbidden", "canned replies are for staff")


def _may_write(who: Principal, scope: Scope) -> None:
    if scope == "public" and not who.may_oversee():
        raise ApiError(403, "forbidden", "public canned replies are written by supervisors and admins")


async def _writable(rt: Runtime, who: Principal, reply_id: str) -> CannedReplyRow:
    row = await store.get_reply(rt.db, rt.center_id, reply_id)
    if row is None or (row.owner_agent_id is not None and row.owner_agent_id != who.id):
        raise ApiError(404, "not_found", f"no canned reply {reply_id}")
    _may_write(who, "public" if row.owner_agent_id is None else "personal")
    return row


@router.get("", response_model=CannedReplies, responses=errors(*AUTHENTICATED))
async def list_replies(rt: Runtime, who: Caller) -> CannedReplies:
    _staff(who)
    rows = await store.visible_replies(rt.db, rt.center_id, who.id)
    return CannedReplies(replies=[_out(r) for r in rows])


@router.post("", response_model=CannedReply, status_code=201, responses=errors(*AUTHENTICATED, 409))
async def create_reply(body: CannedReplyBody, rt: Runtime, who: Caller) -> CannedReply:
    _staff(who)
    _may_write(who, body.scope)
    try:
        row = await store.create_reply(rt.db, rt.center_id, None if body.scope == "public" else who.id,
                                       body.category.strip(), body.title.strip(), body.body)
    except store.TooManyReplies as error:
        raise ApiError(409, "too_many", str(error)) from None
    return _out(row)


@router.patch("/{reply_id}", response_model=CannedReply, responses=errors(*AUTHENTICATED, 404))
async def change_reply(reply_id: str, body: CannedReplyChange, rt: Runtime, who: Caller) -> CannedReply:
    _staff(who)
    await _writable(rt, who, reply_id)
    changes = {k: (v.strip() if k != "body" else v) for k, v in body.model_dump(exclude_none=True).items()}
    row = await store.update_reply(rt.db, reply_id, changes)
    if row is None:
        raise ApiError(404, "not_found", f"no canned reply {reply_id}")
    return _out(row)


@router.delete("/{reply_id}", status_code=204, response_class=Response,
               responses=errors(*AUTHENTICATED, 404))
async def delete_reply(reply_id: str, rt: Runtime, who: Caller) -> Response:
    _staff(who)
    await _writable(rt, who, reply_id)
    await store.delete_reply(rt.db, reply_id)
    return Response(status_code=204)
