"""Proactive invitations on the sockets: an agent's `invite`, a visitor's answer.

The visitor's entity decides (actors/visitor/invitations.py); here the agent's
frame is checked against the center (the visitor must be one of its visitors and
browsing now), and the visitor's acceptance opens a chat like a chat request does.
"""

from __future__ import annotations

from actors.browsing.protocol import IsBrowsing, browsing_ref
from actors.store import visitors as visitor_store
from actors.visitor.protocol import DeclineInvitation, Invite, Invited, visitor_ref
from serve import frames
from serve.auth import Principal
from serve.connection import Connection
from serve.runtime import GatewayRuntime
from serve.sockets.common import answering, error, reject


async def invite(connection: Connection, rt: GatewayRuntime, who: Principal, agent_name: str,
                 frame: frames.InviteFrame) -> None:
    visitor = await visitor_store.get_visitor(rt.db, frame.visitor_id)
    if visitor is None or visitor.center_id != rt.center_id:
        connection.send(error("not_found", "no such visitor"))
        return
    if not await rt.ask(browsing_ref(rt.center_id), IsBrowsing(frame.visitor_id)):
        connection.send(error("visitor_not_browsing", "this visitor is not on the site now"))
        return
    reply = await rt.ask(visitor_ref(frame.visitor_id), Invite(rt.center_id, who.id, agent_name,
                                                               frame.text))
    if not reject(connection, reply):
        assert isinstance(reply, Invited)
        connection.send(answering({"type": "done", "request": "invite",
                                   "invitation_id": reply.invitation_id, "visitor_id": frame.visitor_id}))


async def decline(connection: Connection, rt: GatewayRuntime, who: Principal,
                  frame: frames.InvitationAnswerFrame) -> None:
    # The visitor's sockets hear `invitation.closed` from the bus, this one included.
    reject(connection, await rt.ask(visitor_ref(who.id), DeclineInvitation(frame.invitation_id)))
