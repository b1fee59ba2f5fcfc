"""Staff chat frames on the workspace socket: `staff.message` and `staff.read`.

The gateway checks that the colleague is staff of the same center (and not the
writer); the pair's entity numbers and stores the message and tells both members.
"""

from __future__ import annotations

from actors.runtime.replies import Rejected
from actors.staff_chat.protocol import MarkStaffRead, PostStaffMessage, StaffPosted, staff_chat_ref
from actors.store import accounts
from serve import frames
from serve.auth import Principal
from serve.connection import Connection
from serve.runtime import GatewayRuntime
from serve.sockets.common import error, reject


async def _colleague_known(rt: GatewayRuntime, who: Principal, colleague_id: str) -> bool:
    if colleague_id == who.id:
        return False
    colleague = await accounts.get_agent(rt.db, colleague_id)
    return colleague is not None and colleague.center_id == rt.center_id and colleague.may_sign_in


async def post(connection: Connection, rt: GatewayRuntime, who: Principal, display_name: str,
               frame: frames.StaffMessageFrame) -> None:
    if not await _colleague_known(rt, who, frame.to):
        connection.send({**error("not_found", "no such colleague"), "client_msg_id": frame.client_msg_id})
        return
    reply = await rt.ask(staff_chat_ref(rt.center_id, who.id, frame.to), PostStaffMessage(
        who.id, display_name, frame.to, frame.body, frame.client_msg_id, origin=connection.id))
    if isinstance(reply, StaffPosted):
        connection.send({"type": "staff.ack", "client_msg_id": frame.client_msg_id,
                         "colleague_id": frame.to, "seq": reply.message.seq})
    elif isinstance(reply, Rejected):
        connection.send({**error(reply.code, reply.message), "client_msg_id": frame.client_msg_id})


async def read(connection: Connection, rt: GatewayRuntime, who: Principal,
               frame: frames.StaffReadFrame) -> None:
    if frame.colleague_id == who.id:
        connection.send(error("not_found", "no such colleague"))
        return
    reject(connection, await rt.ask(staff_chat_ref(rt.center_id, who.id, frame.colleague_id),
                                    MarkStaffRead(who.id, frame.seq, origin=connection.id)))
