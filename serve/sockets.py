"""The two websocket edges, `/ws/visitor` and `/ws/agent` (PROTOCOL.md).

A socket subscribes only to its own principal's topics, and every command it
sends is checked by the entity that owns the data (a conversation knows its
visitor and agent), so a socket can neither read nor act on what is not its own.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from actors.agent import Attach, Detach, SetStatus, agent_ref
from actors.bus import topics
from actors.conversation import (ConversationInfo, End, GetInfo, Open, Opened, Post, Posted, Typing,
                                 conversation_ref, message_event)
from actors.lifecycle import AgentStatus
from actors.routing.types import ChatRequest, VisitorProfile
from actors.runtime.replies import Rejected
from actors.skill_group import Pick, queue_ref
from actors.store import accounts
from actors.store import conversations as store
from actors.store.accounts import new_id
from serve import frames
from serve.auth import InvalidToken, Principal, read_token
from serve.connection import Connection
from serve.runtime import GatewayRuntime
from serve.runtime import current as gateway_runtime

log = logging.getLogger(__name__)
router = APIRouter()

HEARTBEAT_S = 10.0
UNAUTHORIZED_CLOSE = 4401


def error(code: str, message: str) -> dict[str, Any]:
    return {"type": "error", "code": code, "message": message}


async def _authenticate(websocket: WebSocket, rt: GatewayRuntime, kind: str) -> Principal | None:
    await websocket.accept()
    try:
        who = read_token(websocket.query_params.get("token", ""), rt.settings.token_secret)
    except InvalidToken:
        who = None
    if who is None or who.kind != kind or who.center_id != rt.center_id:
        await websocket.send_json(error("unauthorized", f"a valid {kind} token is required"))
        await websocket.close(UNAUTHORIZED_CLOSE)
        return None
    return who


async def _serve(connection: Connection, rt: GatewayRuntime, role: str, handle) -> None:
    """Read frames until the socket closes; each bad frame gets an error, never a close."""
    websocket = connection.websocket
    writer = asyncio.get_running_loop().create_task(connection.run_writer())
    try:
        while not connection.closed:
            raw = await websocket.receive_text()
            try:
                frame = frames.parse(raw, role)
                await handle(frame)
            except frames.BadFrame as bad:
                connection.send(bad.frame())
            except Exception:
                log.exception("frame from %s failed", connection.principal.id)
                connection.send(error("internal", "the center could not handle that frame; retry"))
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        connection.closed = True
        writer.cancel()
        rt.fanout.leave(connection)


def _reject(connection: Connection, reply: Any) -> bool:
    if isinstance(reply, Rejected):
        connection.send(error(reply.code, reply.message))
        return True
    return False


async def _post(connection: Connection, rt: GatewayRuntime, who: Principal, kind: str,
                frame: frames.MessageFrame) -> None:
    reply = await rt.ask(conversation_ref(frame.conversation_id),
                         Post(kind, who.id, frame.client_msg_id, frame.body, connection.id))
    if not _reject(connection, reply):
        assert isinstance(reply, Posted)
        if reply.topics:
            rt.fanout.deliver_here(reply.topics, message_event(reply.message, connection.id))
        connection.ack(frame.conversation_id, frame.client_msg_id, reply.message.seq)


async def _resume(connection: Connection, rt: GatewayRuntime, who: Principal,
                  frame: frames.ResumeFrame) -> None:
    info = await rt.ask(conversation_ref(frame.conversation_id), GetInfo())
    allowed = info.center_id == who.center_id and (
        info.visitor_id == who.id if who.kind == "visitor"
        else who.may_oversee() or info.agent_id == who.id)
    if info.visitor_id is None or not allowed:
        connection.send(error("forbidden" if info.visitor_id else "not_found",
                              "not your conversation" if info.visitor_id else "no such conversation"))
        return
    connection.resume(frame.conversation_id, frame.after_seq)


# -- visitors ------------------------------------------------------------------------------


@router.websocket("/ws/visitor")
async def visitor_socket(websocket: WebSocket) -> None:
    rt: GatewayRuntime = await gateway_runtime()
    who = await _authenticate(websocket, rt, "visitor")
    if who is None:
        return
    connection = Connection(websocket, who, rt.db)
    await rt.fanout.join(connection, (topics.visitor(who.id),))
    open_now = await store.conversations_of_visitor(rt.db, who.id, open_only=True)
    connection.send({"type": "welcome", "visitor_id": who.id, "conversations": [
        {"conversation_id": row.id, "status": row.status} for row in open_now]})

    async def handle(frame: frames.Frame) -> None:
        match frame:
            case frames.ChatRequestFrame():
                await _chat_request(connection, rt, who, frame)
            case frames.MessageFrame():
                await _post(connection, rt, who, "visitor", frame)
            case frames.TypingFrame():
                # Tells from this process reach a shard in order (Directory), so
                # the newest text is the last one the conversation sees.
                rt.tell(conversation_ref(frame.conversation_id), Typing(who.id, frame.text))
            case frames.ResumeFrame():
                await _resume(connection, rt, who, frame)
            case frames.EndFrame():
                _reject(connection, await rt.ask(conversation_ref(frame.conversation_id),
                                                 End("visitor", who.id)))
            case frames.PingFrame():
                connection.send({"type": "pong"})

    await _serve(connection, rt, "visitor", handle)


async def _chat_request(connection: Connection, rt: GatewayRuntime, who: Principal,
                        frame: frames.ChatRequestFrame) -> None:
    visitor = await rt.requesters.get(who.id)
    if visitor is None:
        connection.send(error("not_found", "unknown visitor"))
        return
    profile = VisitorProfile(visitor_id=visitor.visitor_id, level=visitor.level,
                             region=visitor.region, channel=visitor.channel,
                             last_agent_id=visitor.last_agent_id)
    conversation_id = new_id("c")
    connection.follow(conversation_id, seen=0)
    reply = await rt.ask(conversation_ref(conversation_id), Open(
        rt.center_id, profile, visitor.name, ChatRequest(frame.skill_group, frame.agent_id),
        connection.id))
    if _reject(connection, reply):
        return
    assert isinstance(reply, Opened)
    info: ConversationInfo = reply.info
    if reply.offline_reason is not None:
        connection.settled.add(conversation_id)
        connection.send({"type": "offline", "conversation_id": conversation_id,
                         "reason": reply.offline_reason, "leave_message": True})
    elif info.agent_id is not None:
        connection.settled.add(conversation_id)
        connection.send({"type": "assigned", "conversation_id": conversation_id,
                         "agent": {"id": info.agent_id, "display_name": info.agent_name}})
    else:
        connection.queued(conversation_id, reply.rev)
        connection.send({"type": "queued", "conversation_id": conversation_id,
                         "position": reply.position, "skill_group": info.skill_group})


# -- agents ---------------------------------------------------------------------------------


@router.websocket("/ws/agent")
async def agent_socket(websocket: WebSocket) -> None:
    rt: GatewayRuntime = await gateway_runtime()
    who = await _authenticate(websocket, rt, "staff")
    if who is None:
        return
    agent = await accounts.get_agent(rt.db, who.id)
    if agent is None:
        await websocket.send_json(error("unauthorized", "the account no longer exists"))
        await websocket.close(UNAUTHORIZED_CLOSE)
        return
    connection = Connection(websocket, who, rt.db)
    group_topics = tuple(topics.skill_group(rt.center_id, g) for g in sorted(agent.skills))
    await rt.fanout.join(connection, (topics.agent(who.id),) + group_topics)
    snapshot = await rt.ask(agent_ref(who.id), Attach(connection.id))
    open_now = await store.open_conversations_of_agent(rt.db, who.id)
    for conversation_id in open_now:
        connection.follow(conversation_id, seen=await store.last_seq(rt.db, conversation_id))
    connection.send({"type": "welcome", "agent_id": who.id, "role": who.role,
                     "status": snapshot.status.value, "max_concurrent": snapshot.max_concurrent,
                     "skill_groups": sorted(agent.skills), "conversations": [
                         {"conversation_id": cid, "last_seq": connection.cursors[cid].seen}
                         for cid in open_now]})
    heartbeat = asyncio.get_running_loop().create_task(_heartbeat(rt, who.id, connection))

    async def handle(frame: frames.Frame) -> None:
        match frame:
            case frames.StatusFrame():
                reply = await rt.ask(agent_ref(who.id), SetStatus(AgentStatus(frame.status)))
                if not _reject(connection, reply):
                    connection.send({"type": "status", "status": reply.status.value,
                                     "active": reply.active, "max_concurrent": reply.max_concurrent})
            case frames.MessageFrame():
                await _post(connection, rt, who, "agent", frame)
            case frames.PickFrame():
                await _pick(connection, rt, who, frame)
            case frames.EndFrame():
                _reject(connection, await rt.ask(conversation_ref(frame.conversation_id),
                                                 End("agent", who.id)))
            case frames.ResumeFrame():
                await _resume(connection, rt, who, frame)
            case frames.PingFrame():
                connection.send({"type": "pong"})

    try:
        await _serve(connection, rt, "agent", handle)
    finally:
        heartbeat.cancel()
        rt.tell(agent_ref(who.id), Detach(connection.id))


async def _heartbeat(rt: GatewayRuntime, agent_id: str, connection: Connection) -> None:
    # Re-announcing the socket lets an agent entity rebuilt after a shard restart
    # learn that its workspace is still open.
    while not connection.closed:
        await asyncio.sleep(HEARTBEAT_S)
        rt.tell(agent_ref(agent_id), Attach(connection.id))


async def _pick(connection: Connection, rt: GatewayRuntime, who: Principal,
                frame: frames.PickFrame) -> None:
    info = await rt.ask(conversation_ref(frame.conversation_id), GetInfo())
    if info.center_id != who.center_id or info.skill_group is None:
        connection.send(error("not_found", "no such conversation"))
        return
    reply = await rt.ask(queue_ref(info.center_id, info.skill_group),
                         Pick(frame.conversation_id, who.id))
    _reject(connection, reply)
