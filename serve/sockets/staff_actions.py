"""What staff do to conversations from the workspace socket: pick, transfer,
collaborate, supervise (PROTOCOL.md versions 1 and 1.1).

The gateway checks who may ask (a supervisor's role, a target agent of the same
center); the conversation entity checks everything that depends on its state
(the owner, the participants, the status) and the target agent's entity grants
any slot.
"""

from __future__ import annotations

from actors.conversation.protocol import (GetInfo, InviteParticipant, LeaveParticipant, Supervise,
                                          Takeover, Transfer, conversation_ref)
from actors.participants import SupervisionMode
from actors.skill_group.protocol import Pick, queue_ref
from actors.store import accounts
from serve import frames
from serve.auth import Principal
from serve.connection import Connection
from serve.runtime import GatewayRuntime
from serve.sockets.common import answering, error, reject


async def pick(connection: Connection, rt: GatewayRuntime, who: Principal,
               frame: frames.PickFrame) -> None:
    info = await rt.ask(conversation_ref(frame.conversation_id), GetInfo())
    if info.center_id != who.center_id or info.skill_group is None:
        connection.send(error("not_found", "no such conversation"))
        return
    reply = await rt.ask(queue_ref(info.center_id, info.skill_group),
                         Pick(frame.conversation_id, who.id))
    reject(connection, reply)


async def _colleague(rt: GatewayRuntime, agent_id: str) -> bool:
    """An agent of this center who may be handed conversations."""
    agent = await accounts.get_agent(rt.db, agent_id)
    return agent is not None and agent.center_id == rt.center_id


async def handle(connection: Connection, rt: GatewayRuntime, who: Principal,
                 frame: frames.Frame) -> None:
    ref = conversation_ref(getattr(frame, "conversation_id", ""))
    oversees = who.may_oversee()
    info = await rt.ask(ref, GetInfo())
    if info.center_id != who.center_id:
        connection.send(error("not_found", "no such conversation"))
        return
    match frame:
        case frames.TransferFrame(to=to):
            if to.agent_id is not None and not await _colleague(rt, to.agent_id):
                connection.send(error("not_found", "no such agent"))
                return
            reply = await rt.ask(ref, Transfer(who.id, oversees, to.agent_id, to.skill_group, frame.note))
        case frames.ParticipantInviteFrame():
            if not await _colleague(rt, frame.agent_id):
                connection.send(error("not_found", "no such agent"))
                return
            reply = await rt.ask(ref, InviteParticipant(who.id, oversees, frame.agent_id))
        case frames.ParticipantLeaveFrame():
            reply = await rt.ask(ref, LeaveParticipant(who.id))
        case frames.SuperviseFrame() | frames.TakeoverFrame():
            if not oversees:
                connection.send(error("forbidden", "this needs the role admin or supervisor"))
                return
            command = (Supervise(who.id, SupervisionMode(frame.mode))
                       if isinstance(frame, frames.SuperviseFrame) else Takeover(who.id))
            reply = await rt.ask(ref, command)
        case _:
            connection.send(error("unknown_type", f"agent sockets do not take {frame.type}"))
            return
    if not reject(connection, reply):
        connection.send(answering({"type": "done", "conversation_id": frame.conversation_id,
                                   "request": frame.type}))
