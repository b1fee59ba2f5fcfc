"""What both websocket edges share: authentication, the frame loop, posting, resuming.

A socket subscribes only to its own principal's topics, and every command it
sends is checked by the entity that owns the data (a conversation knows its
visitor, owner and participants), so a socket can neither read nor act on what
is not its own.
"""

from __future__ import annotations

import asyncio
import logging
from contextvars import ContextVar
from typing import Any, Awaitable, Callable

from fastapi import WebSocket, WebSocketDisconnect

from actors.bus.base import BusEvent
from actors.conversation.bot_protocol import ChooseAnswer
from actors.conversation.left_pool_protocol import LeaveMessage
from actors.conversation.protocol import (GetInfo, MessagePosted, Post, Posted,
                                          conversation_ref)
from actors.participants import PartyKind, Visibility
from actors.runtime.directory import ShardBusy
from actors.runtime.replies import Rejected
from serve import frames
from serve.api.scope import overseen
from serve.auth import InvalidToken, Principal, read_token
from serve.connection import Connection
from serve.runtime import GatewayRuntime

log = logging.getLogger(__name__)

UNAUTHORIZED_CLOSE = 4401

# The `request_id` of the frame the socket's loop is handling. Many places answer a
# frame with an error; a context variable lets each answer name its request without
# threading the id through every handler (a task started meanwhile inherits it).
_answering: ContextVar[str | None] = ContextVar("answering", default=None)


def answering(frame: dict[str, Any]) -> dict[str, Any]:
    """`frame` as the answer to the frame being handled: with its request id, if it had one
    (a frame without one is answered exactly as in version 1)."""
    request_id = _answering.get()
    return {**frame, "request_id": request_id} if request_id is not None else frame


def error(code: str, message: str) -> dict[str, Any]:
    return answering({"type": "error", "code": code, "message": message})


async def authenticate(websocket: WebSocket, rt: GatewayRuntime, kind: str) -> Principal | None:
    await websocket.accept()
    try:
        who = read_token(websocket.query_params.get("token", ""), rt.settings.token_secret)
    except InvalidToken:
        who = None
    if who is not None and who.kind == kind and who.center_id == rt.center_id:
        # Revoked tokens (disabled, deleted, new password or role) stop here, and
        # the role is the account's, not the token's (serve/account_check.py).
        who = await rt.accounts.principal(who)
    if who is None or who.kind != kind or who.center_id != rt.center_id:
        await websocket.send_json(error("unauthorized", f"a valid {kind} token is required"))
        await websocket.close(UNAUTHORIZED_CLOSE)
        return None
    return who


async def serve_frames(connection: Connection, rt: GatewayRuntime, role: str,
                       handle: Callable[[frames.Frame], Awaitable[None]]) -> None:
    """Read frames until the socket closes; each bad frame gets an error, never a close."""
    websocket = connection.websocket
    who = connection.principal
    budget = rt.frame_budgets.of("staff" if who.is_staff else "visitor", who.id)
    writer = asyncio.get_running_loop().create_task(connection.run_writer())
    try:
        while not connection.closed:
            raw = await websocket.receive_text()
            _answering.set(None)
            if not budget.take():
                _answering.set(frames.peek_request_id(raw))
                connection.send({**error("rate_limited", "too many frames; this one was dropped"),
                                 "retry_after_s": round(budget.retry_after_s(), 3)})
                continue
            try:
                frame = frames.parse(raw, role)
                _answering.set(frame.request_id)
                await handle(frame)
            except frames.BadFrame as bad:
                connection.send(bad.frame())
            except ShardBusy:
                connection.send(error("overloaded", "the center is busy; retry in a moment"))
            except Exception:
                log.exception("frame from %s failed", connection.principal.id)
                connection.send(error("internal", "the center could not handle that frame; retry"))
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        connection.closed = True
        writer.cancel()
        rt.fanout.leave(connection)


def reject(connection: Connection, reply: Any) -> bool:
    """Send the error frame of a Rejected reply; True if it was one."""
    if isinstance(reply, Rejected):
        connection.send(error(reply.code, reply.message))
        return True
    return False


async def post(connection: Connection, rt: GatewayRuntime, who: Principal, kind: PartyKind,
               frame: frames.MessageFrame | frames.LeaveMessageFrame | frames.BotChooseFrame) -> None:
    """A message (a left message, a pick of the bot's choices) to its conversation; `ack`
    once it is committed."""
    if isinstance(frame, frames.LeaveMessageFrame):
        command: Any = LeaveMessage(who.id, frame.client_msg_id, frame.body, frame.contact, frame.name,
                                    connection.id)
    elif isinstance(frame, frames.BotChooseFrame):
        command = ChooseAnswer(who.id, frame.client_msg_id, frame.article_id, connection.id)
    else:
        command = Post(kind, who.id, frame.client_msg_id, frame.body, connection.id,
                       Visibility(frame.visibility), tuple(frame.attachments))
    reply = await rt.ask(conversation_ref(frame.conversation_id), command)
    if not reject(connection, reply):
        assert isinstance(reply, Posted)
        if reply.topics:
            rt.fanout.deliver_here(reply.topics, BusEvent(MessagePosted(reply.message), connection.id))
        connection.ack(frame.conversation_id, frame.client_msg_id, reply.message.seq)


async def resume(connection: Connection, rt: GatewayRuntime, who: Principal,
                 frame: frames.ResumeFrame) -> None:
    info = await rt.ask(conversation_ref(frame.conversation_id), GetInfo())
    allowed = info.center_id == who.center_id and (
        info.visitor_id == who.id if who.kind == "visitor" else info.may_read(who.id))
    if not allowed and info.visitor_id is not None and who.is_staff and who.may_oversee():
        # A supervisor reads the conversations of their departments; others are not found.
        if not await overseen(rt, who, frame.conversation_id):
            connection.send(error("not_found", "no such conversation"))
            return
        allowed = info.center_id == who.center_id
    if info.visitor_id is None or not allowed:
        connection.send(error("forbidden" if info.visitor_id else "not_found",
                              "not your conversation" if info.visitor_id else "no such conversation"))
        return
    connection.resume(frame.conversation_id, frame.after_seq)
