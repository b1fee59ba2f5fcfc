"""Domain events rendered into the websocket frames of PROTOCOL.md.

The one place where events become frames (DESIGN.md decision 9): entities and
the bus know nothing of the wire. What a frame holds depends on who reads it: a
visitor never gets an internal message, a typing preview (their own) or news of a
supervisor; staff get the visitor's details with an assignment.
"""

from __future__ import annotations

from typing import Any

from actors.conversation.protocol import (AgentTyped, ConversationAssigned, ConversationEnded,
                                          ConversationQueued, ConversationRated, ConversationTransferred,
                                          MessageLeft, MessagePosted, ParticipantJoined, ParticipantLeft,
                                          TypingPreviewed)
from actors.conversation.bot_protocol import BotHandedOff
from actors.domain_event import DomainEvent
from actors.participants import ParticipantRole
from actors.skill_group.protocol import QueuePositionChanged, WaitingListChanged, WaitingVisitor
from actors.conversation.forwarding_protocol import ForwardTakenBack, ServedElsewhere
from actors.conversation.left_pool_protocol import LeftMessageAssigned, LeftMessageSubmitted, LeftReplyDelivered
from actors.staff_chat.protocol import StaffChatRead, StaffMessagePosted
from actors.store.attachments import Attachment
from actors.store.messages import StoredMessage
from actors.tracking.source import TrafficSource
from actors.visitor.protocol import InvitationClosed, InvitationSent
from serve.media.links import AttachmentLinks, Variant

Frame = dict[str, Any]
# Roles a visitor is told about when they join or leave: not supervisors, who watch unseen.
_SEEN_BY_VISITORS = (ParticipantRole.COLLABORATOR, ParticipantRole.BOT)


def render(event: DomainEvent, staff: bool, links: AttachmentLinks | None = None) -> Frame | None:
    """The frame `event` becomes for a staff or a visitor socket; None: not for them.
    `links` signs the links of a message's attachments."""
    match event:
        case MessagePosted(message=message):
            if message.internal and not staff:
                return None
            return message_frame(message, links)
        case ConversationQueued() | QueuePositionChanged():
            return queued_frame(event.conversation_id, event.position, event.skill_group)
        case ConversationAssigned():
            return assigned_frame(event, staff)
        case TypingPreviewed():
            if not staff:
                return None
            return {"type": "typing.preview", "conversation_id": event.conversation_id,
                    "text": event.text}
        case MessageLeft():
            return offline_frame(event.conversation_id, event.reason)
        case BotHandedOff():
            return {"type": "bot.handed_off", "conversation_id": event.conversation_id,
                    "reason": event.reason, "to": event.to}
        case ConversationEnded():
            return {"type": "ended", "conversation_id": event.conversation_id, "by": event.by.value}
        case ConversationRated():
            return rated_frame(event)
        case AgentTyped():
            if staff:
                return None  # for the visitor: staff see each other's messages, not keystrokes
            return {"type": "typing.indicator", "conversation_id": event.conversation_id,
                    "sender": {"kind": "agent", **agent_wire(event.agent.id, event.agent.display_name)}}
        case ConversationTransferred():
            return transferred_frame(event, staff)
        case ParticipantJoined() | ParticipantLeft():
            if not staff and event.participant.role not in _SEEN_BY_VISITORS:
                return None
            kind = "participant.joined" if isinstance(event, ParticipantJoined) else "participant.left"
            return {"type": kind, "conversation_id": event.conversation_id,
                    "participant": event.participant.to_wire()}
        case InvitationSent():
            if staff:
                return None
            agent = agent_wire(event.agent_id, event.agent_name) if event.agent_id else None
            return {"type": "invitation", "invitation_id": event.invitation_id, "agent": agent,
                    "text": event.text}
        case InvitationClosed():
            return invitation_closed_frame(event, staff)
        case ForwardTakenBack():
            return {"type": "transferred", "conversation_id": event.conversation_id,
                    "from": {"agent_id": event.from_agent_id}, "to": {"skill_group": event.skill_group}}
        case ServedElsewhere():
            if staff:
                return None
            return visitor_assigned_frame(event.conversation_id, event.agent.id, event.agent.display_name)
        case StaffMessagePosted():
            return {"type": "staff.message", "message": event.message.to_wire()} if staff else None
        case StaffChatRead():
            if not staff:
                return None
            return {"type": "staff.read", "colleague_id": event.colleague_id, "seq": event.seq}
        case LeftReplyDelivered():
            return None if staff else left_reply_frame(event.message, event.agent_name, event.asked, links)
        case LeftMessageAssigned():
            if not staff:
                return None
            return {"type": "left_message.assigned", "conversation_id": event.conversation_id,
                    "agent_id": event.agent_id, "by": event.by, "previous": event.previous}
        case LeftMessageSubmitted():
            if not staff:
                return None
            return {"type": "left_message.new", "conversation_id": event.conversation_id,
                    "skill_group": event.skill_group}
        case WaitingListChanged():
            if not staff:
                return None
            return {"type": "waiting", "skill_group": event.skill_group, "count": event.count,
                    "entries": [waiting_visitor(entry) for entry in event.entries]}
    return None


def left_reply_frame(message: StoredMessage, agent_name: str | None, asked: str,
                     links: AttachmentLinks | None) -> Frame:
    """A reply to the visitor's left message (留言), shown apart from the chat, with what
    they had written (`asked`)."""
    return {"type": "left_message.reply", "conversation_id": message.conversation_id,
            "asked": asked, "message": message_wire(message, links),
            "agent": agent_wire(message.sender_id, agent_name)}


def invitation_closed_frame(event: InvitationClosed, staff: bool) -> Frame:
    frame: Frame = {"type": "invitation.closed", "invitation_id": event.invitation_id,
                    "outcome": event.outcome}
    if event.conversation_id is not None:
        frame["conversation_id"] = event.conversation_id
    if staff:
        frame["visitor_id"] = event.visitor_id
    return frame


def message_frame(message: StoredMessage, links: AttachmentLinks | None) -> Frame:
    return {"type": "message", "message": message_wire(message, links)}


def message_wire(message: StoredMessage, links: AttachmentLinks | None) -> dict[str, Any]:
    """The `message` object; with `attachments` (and freshly signed links) when it has any."""
    wire = message.to_wire()
    if message.attachments:
        wire["attachments"] = [attachment_wire(a, links) for a in message.attachments]
    return wire


def attachment_wire(attachment: Attachment, links: AttachmentLinks | None) -> dict[str, Any]:
    wire: dict[str, Any] = {"id": attachment.id, "name": attachment.name,
                            "content_type": attachment.content_type, "size": attachment.size}
    if links is not None:
        wire["url"] = links.url(attachment.id)
        if attachment.thumbnail:
            wire["thumbnail_url"] = links.url(attachment.id, Variant.THUMBNAIL)
    return wire


def rated_frame(event: ConversationRated) -> Frame:
    return {"type": "rated", "conversation_id": event.conversation_id, "score": event.score,
            "comment": event.comment}


def visitor_assigned_frame(conversation_id: str, agent_id: str, display_name: str | None) -> Frame:
    """`assigned` as a visitor gets it (staff get the visitor's details too)."""
    return {"type": "assigned", "conversation_id": conversation_id,
            "agent": agent_wire(agent_id, display_name)}


def queued_frame(conversation_id: str, position: int, skill_group: str | None) -> Frame:
    return {"type": "queued", "conversation_id": conversation_id, "position": position,
            "skill_group": skill_group}


def offline_frame(conversation_id: str, reason: str | None) -> Frame:
    return {"type": "offline", "conversation_id": conversation_id, "reason": reason,
            "leave_message": True}


def bot_serving_frame(conversation_id: str, name: str | None, out_of_hours: bool) -> Frame:
    """The answer to a chat request the group's FAQ bot takes."""
    return {"type": "bot.serving", "conversation_id": conversation_id, "bot": {"name": name or ""},
            "out_of_hours": out_of_hours}


def agent_wire(agent_id: str, display_name: str | None) -> dict[str, Any]:
    return {"id": agent_id, "display_name": display_name}


def assigned_frame(event: ConversationAssigned, staff: bool) -> Frame:
    frame = visitor_assigned_frame(event.conversation_id, event.agent.id, event.agent.display_name)
    if staff:
        frame.update(visitor={"id": event.visitor.id, "name": event.visitor.name},
                     channel=event.channel, skill_group=event.skill_group, last_seq=event.last_seq)
        if event.transferred_from is not None:
            frame["transferred_from"] = {"agent_id": event.transferred_from}
    return frame


def transferred_frame(event: ConversationTransferred, staff: bool) -> Frame:
    if event.to_agent_id is not None:
        to: dict[str, Any] = {"agent_id": event.to_agent_id, "display_name": event.to_agent_name}
    else:
        to = {"skill_group": event.to_skill_group}
    frame: Frame = {"type": "transferred", "conversation_id": event.conversation_id,
                    "from": {"agent_id": event.from_agent_id}, "to": to}
    if staff:
        frame.update(by={"agent_id": event.by_id}, note=event.note)
    return frame


def waiting_visitor(entry: WaitingVisitor) -> dict[str, Any]:
    return {"conversation_id": entry.conversation_id, "position": entry.position,
            "visitor": {"id": entry.visitor.id, "name": entry.visitor.name},
            "channel": entry.channel, "priority": entry.priority, "waited_s": entry.waited_s,
            "enqueued_at": entry.enqueued_at, "source": source_wire(entry.source)}


def source_wire(source: TrafficSource | None) -> dict[str, str] | None:
    """{kind, name?, keyword?}: search (name: the engine), campaign (name: its utm_source),
    referral (name: the referring host) or direct; None when not known."""
    if source is None:
        return None
    wire = {"kind": source.kind}
    if source.name:
        wire["name"] = source.name
    if source.keyword:
        wire["keyword"] = source.keyword
    return wire
