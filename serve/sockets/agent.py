"""`/ws/agent`: the socket of an agent's (or supervisor's) workspace (PROTOCOL.md)."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, WebSocket

from actors.agent.protocol import Attach, Detach, SetStatus, agent_ref
from actors.bus import topics
from actors.conversation.protocol import AgentTyping, conversation_ref
from actors.lifecycle import AgentStatus
from actors.participants import PartyKind
from actors.store import accounts
from actors.store import conversations as store
from serve import frames
from serve.connection import Connection
from serve.runtime import GatewayRuntime
from serve.runtime import current as gateway_runtime
import serve.sockets.invitations as invitations
import serve.sockets.staff_chat as staff_chat
from serve.sockets.monitor_watch import MonitorWatch
from serve.sockets.staff_actions import handle as staff_action
from serve.sockets.staff_actions import end, pick
from serve.sockets.common import (UNAUTHORIZED_CLOSE, authenticate, error, post, reject, resume,
                                  serve_frames)

router = APIRouter()


@router.websocket("/ws/agent")
async def agent_socket(websocket: WebSocket) -> None:
    rt: GatewayRuntime = await gateway_runtime()
    who = await authenticate(websocket, rt, "staff")
    if who is None:
        return
    agent = await accounts.get_agent(rt.db, who.id)
    if agent is None:
        await websocket.send_json(error("unauthorized", "the account no longer exists"))
        await websocket.close(UNAUTHORIZED_CLOSE)
        return
    connection = Connection(websocket, who, rt.db, rt.links)
    group_topics = tuple(topics.skill_group(rt.center_id, g) for g in sorted(agent.skills))
    await rt.fanout.join(connection, (topics.agent(who.id),) + group_topics)
    snapshot = await rt.ask(agent_ref(who.id), Attach(connection.id))
    owned = await store.open_conversations_of_agent(rt.db, who.id)
    joined = await store.open_participations(rt.db, who.id)
    for conversation_id in [*owned, *joined]:
        connection.follow(conversation_id, seen=await store.last_seq(rt.db, conversation_id))
    connection.send({"type": "welcome", "agent_id": who.id, "role": who.role,
                     "status": snapshot.status.value, "max_concurrent": snapshot.max_concurrent,
                     "skill_groups": sorted(agent.skills), "conversations": [
                         {"conversation_id": cid, "last_seq": connection.cursors[cid].seen}
                         for cid in owned], "participating": [
                         {"conversation_id": cid, "role": role,
                          "last_seq": connection.cursors[cid].seen}
                         for cid, role in joined.items()]})
    heartbeat = asyncio.get_running_loop().create_task(_heartbeat(rt, who.id, connection))
    monitor = MonitorWatch(connection, rt, who)

    async def handle(frame: frames.Frame) -> None:
        # A socket opened before the account was disabled, deleted or changed does
        # not outlive that change by more than the account cache's few seconds.
        if await rt.accounts.principal(who) is None:
            connection.closed = True
            await websocket.send_json(error("unauthorized", "the token was revoked or the account is disabled"))
            await websocket.close(UNAUTHORIZED_CLOSE)
            return
        match frame:
            case frames.StatusFrame():
                reply = await rt.ask(agent_ref(who.id), SetStatus(AgentStatus(frame.status)))
                if not reject(connection, reply):
                    connection.send({"type": "status", "status": reply.status.value,
                                     "active": reply.active, "max_concurrent": reply.max_concurrent})
            case frames.MessageFrame():
                await post(connection, rt, who, PartyKind.AGENT, frame)
            case frames.PickFrame():
                await pick(connection, rt, who, frame)
            case frames.EndFrame():
                await end(connection, rt, who, frame)
            case frames.ResumeFrame():
                await resume(connection, rt, who, frame)
            case frames.PingFrame():
                connection.send({"type": "pong"})
            case frames.InviteFrame():
                await invitations.invite(connection, rt, who, agent.display_name, frame)
            case frames.StaffMessageFrame():
                await staff_chat.post(connection, rt, who, agent.display_name, frame)
            case frames.StaffReadFrame():
                await staff_chat.read(connection, rt, who, frame)
            case frames.MonitorWatchFrame():
                monitor.handle(frame)
            case frames.AgentTypingFrame():
                # The conversation decides whether this agent serves it, and throttles.
                rt.tell(conversation_ref(frame.conversation_id), AgentTyping(who.id, agent.display_name))
            case _:
                await staff_action(connection, rt, who, frame)

    try:
        await serve_frames(connection, rt, "agent", handle)
    finally:
        heartbeat.cancel()
        monitor.stop()
        rt.tell(agent_ref(who.id), Detach(connection.id))


async def _heartbeat(rt: GatewayRuntime, agent_id: str, connection: Connection) -> None:
    # Renews the socket's lease (actors/agent/leases.py): should this replica die, the
    # heartbeats stop and the agent entity drops the socket within a lease. It also
    # tells an agent entity rebuilt after a shard restart that the workspace is open.
    while not connection.closed:
        await asyncio.sleep(rt.settings.agent_heartbeat_s)
        rt.tell(agent_ref(agent_id), Attach(connection.id))
