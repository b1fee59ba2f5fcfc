"""The pool of left messages (留言记录) for staff: list, read, assign, reply (into the
visitor's widget or by email) and close; and the center's mail server for the replies.

Who may see what is actors/store/left_messages.py's rule, checked here before any
command reaches the conversation entity, which checks the pool's own rules (who holds
it, whether it is closed) one command at a time.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from actors.conversation.left_pool_protocol import (Actor, AssignLeftMessage, CloseLeftMessage, LeftMessageView,
                                                    ReplyToLeftMessage, ReplyVia, StaffRole)
from actors.conversation.protocol import conversation_ref
from actors.mail.settings import looks_like_address, parse_email_settings
from actors.runtime.replies import Rejected
from actors.store.agents import get_agent
from actors.store.centers import get_center, set_center_section
from actors.store.clock import as_utc
from actors.store.left_messages import PoolEntry, PoolFilters, PoolViewer, messages_of, pool_page, pooled
from serve.api.access import Caller, Runtime, require_role
from serve.api.error_responses import AUTHENTICATED, errors
from serve.api.scope import caller_scope, pool_viewer
from serve.auth import Principal
from serve.errors import ApiError
from serve.rendering import message_wire
from serve.runtime import GatewayRuntime

router = APIRouter(tags=["left messages"])
State = Literal["new", "in_progress", "replied", "closed"]
_STATUS = {"not_found": 404, "forbidden": 403, "left_message_closed": 409, "left_message_taken": 409,
           "no_email_address": 422, "email_not_configured": 422, "invalid_request": 422,
           "email_failed": 502}


class LeftMessage(BaseModel):
    conversation_id: str
    state: State
    skill_group: str | None
    visitor_id: str
    visitor_name: str
    name: str | None  # as the visitor gave it with the message
    contact: str | None
    preview: str
    reason: str | None  # why nobody could answer: outside_work_hours, queue_timeout
    submitted_at: datetime
    assignee_id: str | None
    assignee_name: str | None
    replied_at: datetime | None
    reply_via: Literal["widget", "email"] | None
    reply_seen_at: datetime | None
    closed_at: datetime | None


class LeftMessagePage(BaseModel):
    items: list[LeftMessage]
    next_before: str | None  # pass as `before` for the next (older) page


class LeftMessageDetail(LeftMessage):
    messages: list[dict[str, Any]]
    # A reply may go by email: the center has a mail server and the contact is an address
    # (agents cannot read the mail server's settings, so the desk asks here).
    email_possible: bool = False


class Assignment(BaseModel):
    agent_id: Annotated[str, Field(min_length=1, max_length=40)]


class Reply(BaseModel):
    body: Annotated[str, Field(min_length=1, max_length=5000)]
    via: Literal["widget", "email"] = "widget"
    client_msg_id: Annotated[str, Field(min_length=1, max_length=100)]
    subject: Annotated[str, Field(max_length=200)] = ""


class EmailServer(BaseModel):
    host: Annotated[str, Field(min_length=1, max_length=255)]
    port: Annotated[int, Field(ge=1, le=65535)]
    security: Literal["none", "starttls", "tls"] = "starttls"
    from_address: Annotated[str, Field(min_length=3, max_length=255)]
    from_name: Annotated[str, Field(max_length=255)] = ""
    username: Annotated[str, Field(max_length=255)] = ""
    password: Annotated[str | None, Field(max_length=255)] = None  # None: keep the stored one


class EmailServerView(BaseModel):
    configured: bool
    host: str | None = None
    port: int | None = None
    security: str | None = None
    from_address: str | None = None
    from_name: str | None = None
    username: str | None = None
    password_set: bool = False


async def _viewer(rt: GatewayRuntime, who: Principal) -> PoolViewer:
    require_role(who, "admin", "supervisor", "agent")
    return await pool_viewer(rt, who)


def _left_message(entry: PoolEntry) -> dict[str, Any]:
    row = entry.row
    moment = lambda value: None if value is None else as_utc(value)  # noqa: E731 - SQLite keeps no zone
    return dict(conversation_id=row.id, state=row.left_state, skill_group=row.skill_group,
                visitor_id=row.visitor_id, visitor_name=entry.visitor_name, name=row.left_name,
                contact=row.left_contact, preview=entry.preview, reason=row.end_reason,
                submitted_at=moment(row.left_submitted_at), assignee_id=row.left_assignee_id,
                assignee_name=entry.assignee_name, replied_at=moment(row.left_replied_at), reply_via=row.left_reply_via,
                reply_seen_at=moment(row.left_reply_seen_at), closed_at=moment(row.left_closed_at))


def _cursor(value: str | None) -> tuple[datetime, str] | None:
    if value is None:
        return None
    at, _, conversation_id = value.partition("|")
    try:
        return as_utc(datetime.fromisoformat(at)).astimezone(timezone.utc), conversation_id
    except ValueError:
        raise ApiError(422, "invalid_request", "before: the next_before of the previous page") from None


@router.get("/api/v1/left-messages", response_model=LeftMessagePage, responses=errors(*AUTHENTICATED))
async def list_left_messages(rt: Runtime, who: Caller, state: State | None = None,
                             skill_group: Annotated[str | None, Query(max_length=64)] = None,
                             assignee_id: Annotated[str | None, Query(max_length=40)] = None,
                             unassigned: bool = False, since: datetime | None = None,
                             until: datetime | None = None,
                             limit: Annotated[int, Query(ge=1, le=200)] = 50,
                             before: Annotated[str | None, Query(max_length=120)] = None) -> Any:
    """Left messages newest first: an agent's own and the unassigned ones of their skill
    groups; a supervisor's departments'; all of them for admins."""
    viewer = await _viewer(rt, who)
    filters = PoolFilters(state, skill_group, assignee_id, unassigned,
                          since and as_utc(since), until and as_utc(until))
    entries = await pool_page(rt.db, viewer, filters, limit + 1, _cursor(before))
    more = len(entries) > limit
    entries = entries[:limit]
    last = entries[-1].row if more and entries else None
    return LeftMessagePage(items=[LeftMessage(**_left_message(e)) for e in entries],
                           next_before=f"{as_utc(last.left_submitted_at).isoformat()}|{last.id}" if last else None)


async def _seen(rt: GatewayRuntime, who: Principal, conversation_id: str) -> tuple[PoolViewer, PoolEntry]:
    viewer = await _viewer(rt, who)
    entry = await pooled(rt.db, viewer, conversation_id[:40])
    if entry is None:
        raise ApiError(404, "not_found", "no such left message")
    return viewer, entry


@router.get("/api/v1/left-messages/{conversation_id}", response_model=LeftMessageDetail,
            responses=errors(*AUTHENTICATED, 404))
async def get_left_message(rt: Runtime, who: Caller, conversation_id: str) -> Any:
    """One left message with the visitor's messages and the replies."""
    _, entry = await _seen(rt, who, conversation_id)
    messages = []
    for message, name in await messages_of(rt.db, entry.row.id):
        wire = message_wire(message, rt.links)
        if name is not None:
            wire["sender"]["display_name"] = name
        messages.append(wire)
    return LeftMessageDetail(**_left_message(entry), messages=messages,
                             email_possible=looks_like_address(entry.row.left_contact or "")
                             and await _mail_server_set(rt))


async def _mail_server_set(rt: GatewayRuntime) -> bool:
    center = await get_center(rt.db, rt.center_id)
    try:
        return parse_email_settings((center.settings or {}).get("email") if center else None) is not None
    except ValueError:
        return False


async def _act(rt: GatewayRuntime, who: Principal, conversation_id: str, command_of) -> Any:
    viewer, entry = await _seen(rt, who, conversation_id)
    me = await get_agent(rt.db, who.id)
    actor = Actor(who.id, StaffRole.AGENT if who.role == "agent" else StaffRole.OVERSEER,
                  me.display_name if me else "")
    reply = await rt.ask(conversation_ref(entry.row.id), command_of(actor))
    if isinstance(reply, Rejected):
        raise ApiError(_STATUS.get(reply.code, 409), reply.code, reply.message)
    assert isinstance(reply, LeftMessageView)
    # As the change left it: read without the viewer's rule, since an assignment may have
    # taken it out of what they see (they saw it a moment ago, and the change was theirs).
    return await pooled(rt.db, PoolViewer(rt.center_id), entry.row.id)


@router.post("/api/v1/left-messages/{conversation_id}/assign", response_model=LeftMessage,
             responses=errors(*AUTHENTICATED, 404, 409))
async def assign_left_message(rt: Runtime, who: Caller, conversation_id: str, body: Assignment) -> Any:
    """Supervisors and admins hand it to an agent of the center (in their departments); an
    agent takes an unassigned one for themselves (`agent_id` = their own)."""
    if who.role != "agent":
        agent = await get_agent(rt.db, body.agent_id)
        scope = await caller_scope(rt, who)
        if (agent is None or agent.center_id != rt.center_id or agent.deleted or agent.disabled
                or (scope is not None and agent.department_id not in scope)):
            raise ApiError(422, "unknown_agent", "no such agent in your departments")
    entry = await _act(rt, who, conversation_id, lambda actor: AssignLeftMessage(actor, body.agent_id))
    return LeftMessage(**_left_message(entry))


@router.post("/api/v1/left-messages/{conversation_id}/reply", response_model=LeftMessage,
             responses=errors(*AUTHENTICATED, 404, 409, 502))
async def reply_to_left_message(rt: Runtime, who: Caller, conversation_id: str, body: Reply) -> Any:
    """Answer it: `widget` (the visitor sees the reply when their widget is next open) or
    `email` (sent to the contact they left, through the center's mail server; kept in
    the conversation too). A reply sent again with the same `client_msg_id` is one reply."""
    entry = await _act(rt, who, conversation_id, lambda actor: ReplyToLeftMessage(
        actor, body.body, ReplyVia(body.via), body.client_msg_id, body.subject))
    return LeftMessage(**_left_message(entry))


@router.post("/api/v1/left-messages/{conversation_id}/close", response_model=LeftMessage,
             responses=errors(*AUTHENTICATED, 404, 409))
async def close_left_message(rt: Runtime, who: Caller, conversation_id: str) -> Any:
    entry = await _act(rt, who, conversation_id, lambda actor: CloseLeftMessage(actor))
    return LeftMessage(**_left_message(entry))


@router.get("/api/v1/admin/email", response_model=EmailServerView, responses=errors(*AUTHENTICATED))
async def get_email_server(rt: Runtime, who: Caller) -> Any:
    """The mail server replies to left messages go out through (never its password)."""
    require_role(who, "admin")
    center = await get_center(rt.db, rt.center_id)
    settings = parse_email_settings((center.settings or {}).get("email") if center else None)
    return EmailServerView(configured=False) if settings is None else EmailServerView(
        configured=True, **settings.public_view())


@router.put("/api/v1/admin/email", response_model=EmailServerView, responses=errors(*AUTHENTICATED))
async def put_email_server(rt: Runtime, who: Caller, body: EmailServer) -> Any:
    require_role(who, "admin")
    center = await get_center(rt.db, rt.center_id)
    stored = (center.settings or {}).get("email") if center else None
    values = body.model_dump()
    if values["password"] is None:
        values["password"] = (stored or {}).get("password", "")
    try:
        settings = parse_email_settings(values)
    except ValueError as invalid:
        raise ApiError(422, "invalid_request", str(invalid)) from None
    await set_center_section(rt.db, rt.center_id, "email", settings.to_stored())
    return EmailServerView(configured=True, **settings.public_view())


@router.delete("/api/v1/admin/email", status_code=204, responses=errors(*AUTHENTICATED))
async def delete_email_server(rt: Runtime, who: Caller) -> None:
    require_role(who, "admin")
    await set_center_section(rt.db, rt.center_id, "email", None)


