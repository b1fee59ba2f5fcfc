"""`/ws/visitor`: a visitor's socket (PROTOCOL.md)."""

from __future__ import annotations

from fastapi import APIRouter, WebSocket

from actors.bus import topics
from actors.conversation.bot_protocol import AskForHuman
from actors.conversation.left_pool_protocol import SeeLeftReply
from actors.conversation.protocol import (ConversationQueued, End, Open, Opened, Rate, Rated, Typing,
                                          conversation_ref)
from actors.lifecycle import ConversationStatus
from actors.participants import PartyKind
from actors.runtime.directory import ShardBusy
from actors.routing.types import ChatRequest, VisitorProfile
from actors.visitor.protocol import (AcceptInvitation, GetInvitations, OpenInvitations, RequestChat,
                                     conversation_id_near, visitor_ref)
from actors.store.visitor_arrival import Arrival
from actors.store.left_messages import unseen_replies
from serve import frames
from serve.auth import Principal
from serve.connection import Connection
from serve.rendering import (bot_serving_frame, left_reply_frame, offline_frame, rated_frame, render,
                             visitor_assigned_frame)
from serve.runtime import GatewayRuntime
from serve.runtime import current as gateway_runtime
import serve.sockets.invitations as invitations
from serve.sockets.common import authenticate, error, post, reject, resume, serve_frames
from serve.sockets.tracking import SocketTrack

router = APIRouter()


@router.websocket("/ws/visitor")
async def visitor_socket(websocket: WebSocket) -> None:
    rt: GatewayRuntime = await gateway_runtime()
    who = await authenticate(websocket, rt, "visitor")
    if who is None:
        return
    connection = Connection(websocket, who, rt.db, rt.links)
    await rt.fanout.join(connection, (topics.visitor(who.id),))
    arrival = await rt.arrivals.get(who.id) or Arrival()
    connection.send({"type": "welcome", "visitor_id": who.id, "conversations": [
        {"conversation_id": cid, "status": status} for cid, status in arrival.open]})
    track = SocketTrack(connection, rt)

    async def handle(frame: frames.Frame) -> None:
        match frame:
            case frames.ChatRequestFrame():
                await _chat_request(connection, rt, who, frame)
            case frames.MessageFrame() | frames.LeaveMessageFrame() | frames.BotChooseFrame():
                await post(connection, rt, who, PartyKind.VISITOR, frame)
            case frames.BotHandoffFrame():
                reject(connection, await rt.ask(conversation_ref(frame.conversation_id), AskForHuman(who.id)))
            case frames.RatingFrame():
                reply = await rt.ask(conversation_ref(frame.conversation_id),
                                     Rate(who.id, frame.score, frame.comment, connection.id))
                if not reject(connection, reply):
                    assert isinstance(reply, Rated)
                    connection.send(rated_frame(reply.rating))
            case frames.TypingFrame():
                # Tells from this process reach a shard in order (Directory), so
                # the newest text is the last one the conversation sees.
                rt.tell(conversation_ref(frame.conversation_id), Typing(who.id, frame.text))
            case frames.ResumeFrame():
                await resume(connection, rt, who, frame)
            case frames.EndFrame():
                reject(connection, await rt.ask(conversation_ref(frame.conversation_id),
                                                End(PartyKind.VISITOR, who.id)))
            case frames.LeftReplySeenFrame():
                rt.tell(conversation_ref(frame.conversation_id), SeeLeftReply(who.id))
            case frames.PingFrame():
                connection.send({"type": "pong"})
            case frames.PageViewFrame():
                await track.page_view(frame)
            case frames.InvitationAnswerFrame(type="invitation.accept"):
                await _open_chat(connection, rt, who, ChatRequest(), frame.invitation_id)
            case frames.InvitationAnswerFrame():
                await invitations.decline(connection, rt, who, frame)

    try:
        await track.arrive(websocket)
        await _open_invitations(connection, rt, who)
        if arrival.replies_unseen:
            await _unseen_replies(connection, rt, who)
        await serve_frames(connection, rt, "visitor", handle)
    finally:
        track.close()


async def _open_invitations(connection: Connection, rt: GatewayRuntime, who: Principal) -> None:
    """An invitation still open follows the visitor to the next page (a new socket)."""
    try:
        pending = await rt.ask(visitor_ref(who.id), GetInvitations())
    except ShardBusy:
        return  # shown on the next page, or not at all: the visitor can still ask to chat
    for sent in pending.invitations if isinstance(pending, OpenInvitations) else ():
        connection.send(render(sent, staff=False))


async def _unseen_replies(connection: Connection, rt: GatewayRuntime, who: Principal) -> None:
    """Replies to the visitor's left messages, until their widget says it showed them."""
    for unseen in await unseen_replies(rt.db, who.id):
        for message, agent_name in unseen.replies:
            connection.send(left_reply_frame(message, agent_name, unseen.asked, connection.links))


async def _chat_request(connection: Connection, rt: GatewayRuntime, who: Principal,
                        frame: frames.ChatRequestFrame) -> None:
    await _open_chat(connection, rt, who, ChatRequest(frame.skill_group, frame.agent_id))


async def _open_chat(connection: Connection, rt: GatewayRuntime, who: Principal,
                     request: ChatRequest, invitation_id: str | None = None) -> None:
    """A chat request, or the acceptance of an invitation (which opens one for the
    inviting agent); answered alike."""
    visitor = await rt.requesters.get(who.id)
    if visitor is None:
        connection.send(error("not_found", "unknown visitor"))
        return
    profile = VisitorProfile(visitor_id=visitor.visitor_id, level=visitor.level,
                             region=visitor.region, channel=visitor.channel,
                             last_agent_id=visitor.last_agent_id)
    # Followed before it exists, so nothing the new conversation publishes is missed.
    proposed = conversation_id_near(who.id, rt.directory.shard_count)
    connection.follow(proposed, seen=0)
    # Through the visitor's entity, which holds the center's limit of open conversations.
    chat = RequestChat(proposed, Open(rt.center_id, profile, visitor.name, request, connection.id,
                                      source=visitor.source))
    reply = await rt.ask(visitor_ref(who.id),
                         chat if invitation_id is None else AcceptInvitation(invitation_id, chat))
    if not isinstance(reply, Opened) or reply.already_open:
        connection.unfollow(proposed)
    if reject(connection, reply):
        return
    info = reply.info
    conversation_id = info.conversation_id
    extra = {"already_open": True} if reply.already_open else {}
    if reply.offline_reason is not None:
        connection.settled.add(conversation_id)
        connection.send({**offline_frame(conversation_id, reply.offline_reason), **extra})
    elif info.status is ConversationStatus.BOT:
        connection.send({**bot_serving_frame(conversation_id, info.bot_name, reply.out_of_hours), **extra})
    elif info.agent_id is not None:
        connection.settled.add(conversation_id)
        connection.send({**visitor_assigned_frame(conversation_id, info.agent_id, info.agent_name),
                         **extra})
    else:
        connection.answer_queued(ConversationQueued(
            conversation_id, rt.center_id, who.id, info.skill_group, reply.position, reply.rev),
            **extra)
