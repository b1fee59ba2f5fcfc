"""The REST edge of PROTOCOL.md (plus a few documented extensions)."""

from __future__ import annotations

import asyncio
import re
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from actors.center.protocol import Reload as ReloadCenter
from actors.center.protocol import center_ref
from actors.routing.types import LEAVE_MESSAGE
from actors.routing.work_hours import parse_work_hours
from actors.skill_group.protocol import GetWaiting, WaitingList, queue_ref
from actors.store import accounts
from actors.store import conversations as store
from serve.auth import (Principal, hash_password, identity_is_genuine, issue_token, read_token,
                        verify_password, InvalidToken)
from serve.errors import ApiError
from serve.rendering import waiting_visitor
from serve.runtime import GatewayRuntime
from serve.runtime import current as gateway_runtime

router = APIRouter()
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


async def runtime(request: Request) -> GatewayRuntime:
    return await gateway_runtime()


Runtime = Annotated[GatewayRuntime, Depends(runtime)]


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


async def principal(request: Request, rt: Runtime) -> Principal:
    token = bearer(request)
    if token is None:
        raise ApiError(401, "unauthorized", "send Authorization: Bearer <token>")
    try:
        who = read_token(token, rt.settings.token_secret)
    except InvalidToken:
        raise ApiError(401, "unauthorized", "the token is invalid or expired") from None
    if who.center_id != rt.center_id:
        raise ApiError(403, "forbidden", "the token belongs to another center")
    return who


Caller = Annotated[Principal, Depends(principal)]


def require_role(who: Principal, *roles: str) -> None:
    if not who.is_staff or who.role not in roles:
        raise ApiError(403, "forbidden", f"this needs the role {' or '.join(roles)}")


# -- health -------------------------------------------------------------------------


@router.get("/healthz", tags=["health"])
async def healthz(rt: Runtime) -> dict:
    return {"status": "ok"}


# -- accounts -------------------------------------------------------------------------


class LoginBody(BaseModel):
    username: Annotated[str, Field(min_length=1, max_length=64)]
    password: Annotated[str, Field(min_length=1, max_length=200)]


class LoginAnswer(BaseModel):
    token: str
    agent_id: str
    role: Literal["admin", "supervisor", "agent"]


@router.post("/api/v1/auth/login", tags=["accounts"], response_model=LoginAnswer)
async def login(body: LoginBody, rt: Runtime) -> LoginAnswer:
    agent = await accounts.find_agent(rt.db, rt.center_id, body.username)
    # Hashing is deliberately slow: keep it off the event loop.
    ok = agent is not None and await asyncio.to_thread(verify_password, agent.password_hash, body.password)
    if not ok:
        raise ApiError(401, "invalid_credentials", "wrong username or password")
    token = issue_token(Principal("staff", agent.id, rt.center_id, agent.role),
                        rt.settings.token_secret, rt.settings.token_ttl_s)
    return LoginAnswer(token=token, agent_id=agent.id, role=agent.role)


class SkillGroupBody(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=64)]
    display_name: Annotated[str, Field(max_length=200)] | None = None
    queue_timeout_s: Annotated[float, Field(gt=0, le=86400)] | None = None
    overflow_to: str | None = None
    work_hours: dict | None = None


@router.post("/api/v1/admin/skill-groups", tags=["admin"])
async def create_skill_group(body: SkillGroupBody, rt: Runtime, who: Caller) -> dict:
    require_role(who, "admin")
    if not NAME.match(body.name):
        raise ApiError(422, "invalid_request", "name: lower-case letters, digits, - and _ only")
    known = {g.name for g in await accounts.list_skill_groups(rt.db, rt.center_id)}
    if body.overflow_to not in (None, LEAVE_MESSAGE) and body.overflow_to not in known:
        raise ApiError(422, "unknown_skill_group", f"overflow_to: no skill group {body.overflow_to!r}")
    try:
        hours = parse_work_hours(body.work_hours)
    except ValueError as error:
        raise ApiError(422, "invalid_request", f"work_hours: {error}") from None
    try:
        row = await accounts.create_skill_group(
            rt.db, rt.center_id, body.name, body.display_name or body.name, body.queue_timeout_s,
            body.overflow_to, body.work_hours if hours else None)
    except accounts.AlreadyExists as error:
        raise ApiError(409, "already_exists", str(error)) from None
    await rt.ask(center_ref(rt.center_id), ReloadCenter())
    return _group_json(row)


def _group_json(row) -> dict:
    return {"id": row.id, "name": row.name, "display_name": row.display_name,
            "queue_timeout_s": row.queue_timeout_s, "overflow_to": row.overflow_to,
            "work_hours": row.work_hours}


@router.get("/api/v1/admin/skill-groups", tags=["admin"])
async def list_skill_groups(rt: Runtime, who: Caller) -> dict:
    require_role(who, "admin", "supervisor")
    return {"skill_groups": [_group_json(g) for g in await accounts.list_skill_groups(rt.db, rt.center_id)]}


class SkillLevel(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=64)]
    level: Annotated[int, Field(ge=1, le=10)] = 1


class AgentBody(BaseModel):
    username: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")]
    password: Annotated[str, Field(min_length=6, max_length=200)]
    display_name: Annotated[str, Field(min_length=1, max_length=200)]
    max_concurrent: Annotated[int, Field(ge=1, le=100)]
    skill_groups: list[SkillLevel] = []
    role: Literal["admin", "supervisor", "agent"] = "agent"


@router.post("/api/v1/admin/agents", tags=["admin"])
async def create_agent(body: AgentBody, rt: Runtime, who: Caller) -> dict:
    require_role(who, "admin")
    skills = {s.name: s.level for s in body.skill_groups}
    password_hash = await asyncio.to_thread(hash_password, body.password, rt.settings.password_cost)
    try:
        agent_id = await accounts.create_agent(rt.db, rt.center_id, body.username, password_hash,
                                               body.display_name, body.role, body.max_concurrent, skills)
    except accounts.AlreadyExists as error:
        raise ApiError(409, "already_exists", str(error)) from None
    except accounts.UnknownSkillGroup as error:
        raise ApiError(422, "unknown_skill_group", str(error)) from None
    return {"agent_id": agent_id}


# -- visitors ---------------------------------------------------------------------------


class Identity(BaseModel):
    external_id: Annotated[str, Field(min_length=1, max_length=200)]
    name: Annotated[str, Field(max_length=200)] | None = None
    level: Annotated[int, Field(ge=0, le=9)] | None = None
    signature: Annotated[str, Field(min_length=64, max_length=64)]


class VisitorBody(BaseModel):
    name: Annotated[str, Field(max_length=200)] | None = None
    channel: Literal["web", "wechat", "app", "api"] = "web"
    identity: Identity | None = None


@router.post("/api/v1/visitors", tags=["visitors"])
async def create_visitor(body: VisitorBody, request: Request, rt: Runtime) -> dict:
    peer = request.client.host if request.client else None
    region = rt.regions.region(peer, request.headers.get("x-forwarded-for"))
    identity = body.identity
    if identity is None:
        row = await accounts.create_visitor(rt.db, rt.center_id, body.name or "", body.channel, region)
    else:
        if not identity_is_genuine(rt.settings.identity_secret, identity.external_id, identity.name,
                                   identity.level, identity.signature):
            raise ApiError(403, "bad_signature", "the identity signature does not match")
        row = await accounts.identified_visitor(rt.db, rt.center_id, identity.external_id,
                                                identity.name or body.name or "", identity.level,
                                                body.channel, region)
    token = issue_token(Principal("visitor", row.id, rt.center_id, "visitor"),
                        rt.settings.token_secret, rt.settings.token_ttl_s)
    return {"visitor_id": row.id, "token": token, "region": row.region}


class VisitorLevelBody(BaseModel):
    level: Annotated[int, Field(ge=0, le=9)]


def _visitor_json(row) -> dict:
    return {"visitor_id": row.id, "name": row.name, "level": row.level, "region": row.region,
            "channel": row.channel, "external_id": row.external_id}


@router.patch("/api/v1/admin/visitors/{visitor_id}", tags=["admin"])
async def set_visitor_level(visitor_id: str, body: VisitorLevelBody, rt: Runtime, who: Caller) -> dict:
    require_role(who, "admin", "supervisor")
    current = await accounts.get_visitor(rt.db, visitor_id)
    if current is None or current.center_id != rt.center_id:
        raise ApiError(404, "not_found", "no such visitor")
    row = await accounts.set_visitor_level(rt.db, visitor_id, body.level)
    return _visitor_json(row)


# -- conversations ------------------------------------------------------------------------


async def readable_conversation(rt: GatewayRuntime, who: Principal, conversation_id: str):
    """The conversation row, if `who` may read it: its visitor, its agent, or a supervisor."""
    row = await store.load_conversation(rt.db, conversation_id)
    if row is None or row.center_id != who.center_id:
        raise ApiError(404, "not_found", "no such conversation")
    allowed = (row.visitor_id == who.id if who.kind == "visitor"
               else who.may_oversee() or row.agent_id == who.id
               or await store.takes_part(rt.db, conversation_id, who.id))
    if not allowed:
        raise ApiError(403, "forbidden", "not your conversation")
    return row


@router.get("/api/v1/conversations/{conversation_id}/messages", tags=["conversations"])
async def messages(conversation_id: str, rt: Runtime, who: Caller,
                   after_seq: Annotated[int, Query(ge=0)] = 0,
                   limit: Annotated[int, Query(ge=1, le=1000)] = 1000) -> dict:
    await readable_conversation(rt, who, conversation_id)
    # A visitor's history never holds internal notes and whispers.
    page = await store.messages_after(rt.db, conversation_id, after_seq, limit,
                                      public_only=who.kind == "visitor")
    return {"messages": [m.to_wire() for m in page]}


@router.get("/api/v1/conversations/{conversation_id}", tags=["conversations"])
async def conversation(conversation_id: str, rt: Runtime, who: Caller) -> dict:
    row = await readable_conversation(rt, who, conversation_id)
    return {"conversation_id": row.id, "status": row.status, "skill_group": row.skill_group,
            "visitor_id": row.visitor_id, "agent_id": row.agent_id, "channel": row.channel,
            "priority": row.priority, "end_reason": row.end_reason}


@router.get("/api/v1/queue", tags=["conversations"])
async def waiting(rt: Runtime, who: Caller) -> dict:
    """The waiting lists an agent may pick from (all groups for supervisors)."""
    if not who.is_staff:
        raise ApiError(403, "forbidden", "staff only")
    if who.may_oversee():
        groups = [g.name for g in await accounts.list_skill_groups(rt.db, rt.center_id)]
    else:
        agent = await accounts.get_agent(rt.db, who.id)
        groups = sorted(agent.skills) if agent else []
    lists = await asyncio.gather(*(rt.ask(queue_ref(rt.center_id, g), GetWaiting()) for g in groups))
    return {"skill_groups": [{"skill_group": wl.skill_group, "count": len(wl.entries),
                              "entries": [waiting_visitor(entry) for entry in wl.entries]}
                             for wl in lists if isinstance(wl, WaitingList)]}
