"""Visitors (访客): `POST /api/v1/visitors` for anyone (throttled per client address),
and `/api/v1/admin/visitors` for staff (admins and supervisors)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from actors.store import tracking
from actors.store import visitors as store
from actors.store.clock import utcnow
from actors.store.schema import VisitorRow
from serve.api.access import Caller, Runtime, client_ip, require_role, too_many
from serve.api.error_responses import AUTHENTICATED, errors
from serve.api.paging import Page
from serve.auth import Principal, identity_is_genuine, issue_token
from serve.errors import ApiError

router = APIRouter(tags=["visitors"])
Channel = Literal["web", "wechat", "app", "api"]


class Identity(BaseModel):
    external_id: Annotated[str, Field(min_length=1, max_length=200)]
    name: Annotated[str, Field(max_length=200)] | None = None
    level: Annotated[int, Field(ge=0, le=9)] | None = None
    signature: Annotated[str, Field(pattern=r"^[0-9a-fA-F]{64}$")]


class VisitorBody(BaseModel):
    name: Annotated[str, Field(max_length=200)] | None = None
    channel: Channel = "web"
    identity: Identity | None = None


class NewVisitor(BaseModel):
    visitor_id: str
    token: str
    region: str | None
    # The secret that makes this browser the same visitor next time: kept by the widget
    # in its first-party cookie as `visitor_id.key`, traded for fresh tokens at
    # POST /api/v1/visitors/{visitor_id}/tokens. Only its hash is stored.
    key: str


@router.post("/api/v1/visitors", response_model=NewVisitor, responses=errors(403, 422, 429))
async def create_visitor(body: VisitorBody, request: Request, rt: Runtime) -> NewVisitor:
    ip = client_ip(request, rt)
    wait = rt.throttles.visitors_per_ip.take(ip)
    if wait:
        raise too_many(wait, "too many new visitors from this address; retry later")
    region = rt.regions.region(request.client.host if request.client else None,
                               request.headers.get("x-forwarded-for"))
    key, hashed = tracking.new_key()
    identity = body.identity
    if identity is None:
        row = await store.create_visitor(rt.db, rt.center_id, body.name or "", body.channel, region,
                                         key_hash=hashed)
    else:
        if not identity_is_genuine(rt.settings.identity_secret, identity.external_id, identity.name,
                                   identity.level, identity.signature):
            raise ApiError(403, "bad_signature", "the identity signature does not match")
        row = await store.identified_visitor(rt.db, rt.center_id, identity.external_id,
                                             identity.name or body.name or "", identity.level,
                                             body.channel, region, key_hash=hashed)
    return NewVisitor(visitor_id=row.id, token=_token(rt, row.id), region=row.region, key=key)


def _token(rt: Runtime, visitor_id: str) -> str:
    return issue_token(Principal("visitor", visitor_id, rt.center_id, "visitor"),
                       rt.settings.token_secret, rt.settings.token_ttl_s)


class KeyBody(BaseModel):
    key: Annotated[str, Field(min_length=1, max_length=200)]


class VisitorToken(BaseModel):
    visitor_id: str
    token: str
    key: str


@router.post("/api/v1/visitors/{visitor_id}/tokens", response_model=VisitorToken,
             responses=errors(401, 422, 429))
async def visitor_token(visitor_id: Annotated[str, Path(max_length=100)], body: KeyBody,
                        request: Request, rt: Runtime) -> VisitorToken:
    """A fresh token for a returning visitor, who proves to be them with their key. Throttled
    per client address like creating a visitor; a visit is counted when the last activity
    is more than 30 minutes old."""
    wait = rt.throttles.visitors_per_ip.take(client_ip(request, rt))
    if wait:
        raise too_many(wait, "too many visitor tokens from this address; retry later")
    row = await tracking.trade_key(rt.db, rt.center_id, visitor_id, body.key, utcnow())
    if row is None:
        # The same answer for an unknown visitor and a wrong key: nothing to probe.
        raise ApiError(401, "unauthorized", "unknown visitor or wrong key")
    return VisitorToken(visitor_id=row.id, token=_token(rt, row.id), key=body.key)


class VisitorOut(BaseModel):
    visitor_id: str
    name: str
    level: int
    region: str | None
    channel: str
    external_id: str | None
    # How to reach them, as given with their latest left message (issue 9).
    contact: str | None = None


class VisitorList(BaseModel):
    visitors: list[VisitorOut]
    next_offset: int | None


def visitor_out(row: VisitorRow) -> VisitorOut:
    return VisitorOut(visitor_id=row.id, name=row.name, level=row.level, region=row.region,
                      channel=row.channel, external_id=row.external_id, contact=row.contact)


@router.get("/api/v1/admin/visitors", response_model=VisitorList, responses=errors(*AUTHENTICATED))
async def list_visitors(rt: Runtime, who: Caller, page: Page,
                        external_id: Annotated[str | None, Query(max_length=200)] = None) -> VisitorList:
    """Newest first; `external_id` finds an identified customer."""
    require_role(who, "admin", "supervisor")
    rows, next_offset = page.cut(await store.list_visitors(rt.db, rt.center_id, page.fetch, page.offset,
                                                           external_id))
    return VisitorList(visitors=[visitor_out(r) for r in rows], next_offset=next_offset)


async def _visitor(rt: Runtime, visitor_id: str) -> VisitorRow:
    row = await store.get_visitor(rt.db, visitor_id)
    if row is None or row.center_id != rt.center_id:
        raise ApiError(404, "not_found", "no such visitor")
    return row


@router.get("/api/v1/admin/visitors/{visitor_id}", response_model=VisitorOut,
            responses=errors(*AUTHENTICATED, 404))
async def get_visitor(visitor_id: str, rt: Runtime, who: Caller) -> VisitorOut:
    require_role(who, "admin", "supervisor")
    return visitor_out(await _visitor(rt, visitor_id))


class VisitorLevelBody(BaseModel):
    level: Annotated[int, Field(ge=0, le=9)]


@router.patch("/api/v1/admin/visitors/{visitor_id}", response_model=VisitorOut,
              responses=errors(*AUTHENTICATED, 404))
async def set_visitor_level(visitor_id: str, body: VisitorLevelBody, rt: Runtime, who: Caller) -> VisitorOut:
    """Level 0-9, higher is served first; counts from the visitor's next chat request."""
    require_role(who, "admin", "supervisor")
    await _visitor(rt, visitor_id)
    return visitor_out(await store.set_visitor_level(rt.db, visitor_id, body.level))
