"""What staff do to conversations from the workspace socket: pick, transfer,
collaborate, supervise (PROTOCOL.md versions 1 and 1.1).

The gateway checks who may ask (a supervisor's role, a target agent of the same
center); the conversation entity checks everything that depends on its state
(the owner, the participants, the status) and the target agent's entity grants
any slot. A supervisor of a department reaches only the conversations in their
scope (serve/api/scope.py), and hands them only to agents in it: the others are
not found, as if they did not exist.
"""

from __future__ import annotations

from actors.conversation.protocol import (End, GetInfo, InviteParticipant, LeaveParticipant, Supervise,
                                          Takeover, Transfer, conversation_ref)
from actors.participants import PartyKind, SupervisionMode
from actors.skill_group.protocol import Pick, queue_ref
from actors.store import accounts
from actors.store.department_scope import agent_in_scope
from actors.store.skill_groups import get_skill_group
from serve import frames
from serve.auth import Principal
from serve.connection import Connection
from serve.api.scope import caller_scope, overseen
from serve.runtime import GatewayRuntime
from serve.sockets.common import answering, error, reject


async def pick(connection: Connection, rt: GatewayRuntime, who: Principal,
               frame: frames.PickFrame) -> None:
    info = await rt.ask(conversation_ref(frame.conversation_id), GetInfo())
    if (info.center_id != who.center_id or info.skill_group is None
            or (who.may_oversee() and not await overseen(rt, who, frame.conversation_id))):
        connection.send(error("not_found", "no such conversation"))
        return
    reply = await rt.ask(queue_ref(info.center_id, info.skill_group),
                         Pick(frame.conversation_id, who.id))
    reject(connection, reply)


async def end(connection: Connection, rt: GatewayRuntime, who: Principal, frame: frames.EndFrame) -> None:
    """An owner ends their own; an overseer ends any conversation in their scope."""
    oversees = who.may_oversee()
    if oversees and not await overseen(rt, who, frame.conversation_id):
        connection.send(error("not_found", "no such conversation"))
        return
    reject(connection, await rt.ask(conversation_ref(frame.conversation_id), End(
        PartyKind.AGENT, who.id, overseer=oversees)))


async def _colleague(rt: GatewayRuntime, who: Principal, agent_id: str) -> bool:
    """An agent of this center who may be handed conversations (by a supervisor of a
    department: an agent in their scope)."""
    agent = await accounts.get_agent(rt.db, agent_id)
    if agent is None or agent.center_id != rt.center_id:
        return False
    return not who.may_oversee() or agent_in_scope(await caller_scope(rt, who), agent.department_id)


async def _group_in_scope(rt: GatewayRuntime, who: Principal, name: str) -> bool:
    """A supervisor of departments hands conversations only to their departments' groups;
    a group that does not exist is the conversation entity's to refuse."""
    if not who.may_oversee():
        return True
    scope = await caller_scope(rt, who)
    if scope is None:
        return True
    group = await get_skill_group(rt.db, rt.center_id, name)
    return group is None or agent_in_scope(scope, group.department_id)


async def handle(connection: Connection, rt: GatewayRuntime, who: Principal,
                 frame: frames.Frame) -> None:
    ref = conversation_ref(getattr(frame, "conversation_id", ""))
    oversees = who.may_oversee()
    info = await rt.ask(ref, GetInfo())
    if info.center_id != who.center_id or (oversees and not await overseen(rt, who, frame.conversation_id)):
        connection.send(error("not_found", "no such conversation"))
        return
    match frame:
        case frames.TransferFrame(to=to):
            if to.agent_id is not None and not await _colleague(rt, who, to.agent_id):
                connection.send(error("not_found", "no such agent"))
                return
            if to.skill_group is not None and not await _group_in_scope(rt, who, to.skill_group):
                connection.send(error("unknown_skill_group", f"no skill group {to.skill_group!r}"))
                return
            reply = await rt.ask(ref, Transfer(who.id, oversees, to.agent_id, to.skill_group, frame.note))
        case frames.ParticipantInviteFrame():
            if not await _colleague(rt, who, frame.agent_id):
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
