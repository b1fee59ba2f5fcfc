"""Inbound websocket frames, validated (PROTOCOL.md "Websockets").

Anything that fails here is answered with an `error` frame and the socket stays
open; nothing is forwarded to an entity unless it parsed. Any frame may carry a
`request_id` of the client's choosing: the error (or `done`) frame answering it
echoes it, so a client ties an answer to its request without guessing by time.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from actors.store.attachments import MAX_PER_MESSAGE

MAX_FRAME_BYTES = 64 * 1024
MAX_BODY_CHARS = 5000
MAX_TYPING_CHARS = 2000
MAX_COMMENT_CHARS = 500
MAX_CONTACT_CHARS = 200

Id = Annotated[str, Field(min_length=1, max_length=100)]
MAX_REQUEST_ID_CHARS = 64
RequestId = Annotated[str, Field(min_length=1, max_length=MAX_REQUEST_ID_CHARS)]


class Part(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Frame(Part):
    request_id: RequestId | None = None


class ChatRequestFrame(Frame):
    type: Literal["chat.request"]
    skill_group: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    # Designated agent (指定客服): preferred when available, else the group serves.
    agent_id: Id | None = None


class MessageFrame(Frame):
    type: Literal["message"]
    conversation_id: Id
    client_msg_id: Id
    body: Annotated[str, Field(max_length=MAX_BODY_CHARS)]
    # Version 1.1: staff may write `internal` notes and whispers (never shown to the visitor).
    visibility: Literal["public", "internal"] = "public"
    # Issue 9: ids from the upload call; with attachments the body may be empty.
    attachments: Annotated[list[Id], Field(max_length=MAX_PER_MESSAGE)] = []

    @model_validator(mode="after")
    def _not_empty(self) -> "MessageFrame":
        if not self.body and not self.attachments:
            raise ValueError("a message needs a body or attachments")
        return self


class BotChooseFrame(Frame):
    """The visitor picks one of the FAQ bot's choices (answered by `ack` like a message)."""

    type: Literal["bot.choose"]
    conversation_id: Id
    client_msg_id: Id
    article_id: Id


class BotHandoffFrame(Frame):
    """The visitor asks the FAQ bot for a person."""

    type: Literal["bot.handoff"]
    conversation_id: Id


class TypingFrame(Frame):
    type: Literal["typing"]
    conversation_id: Id
    text: Annotated[str, Field(max_length=MAX_TYPING_CHARS)]


class ResumeFrame(Frame):
    type: Literal["resume"]
    conversation_id: Id
    after_seq: Annotated[int, Field(ge=0)]


class EndFrame(Frame):
    type: Literal["chat.end"]
    conversation_id: Id


class StatusFrame(Frame):
    type: Literal["status"]
    status: Literal["online", "away", "offline"]


class PickFrame(Frame):
    type: Literal["pick"]
    conversation_id: Id


class PingFrame(Frame):
    type: Literal["ping"]


# -- version 1.1: transfer, collaboration, supervision -------------------------------------


class TransferTarget(Part):
    agent_id: Id | None = None
    skill_group: Annotated[str, Field(min_length=1, max_length=64)] | None = None


class TransferFrame(Frame):
    type: Literal["transfer"]
    conversation_id: Id
    to: TransferTarget
    note: Annotated[str, Field(max_length=500)] = ""


class ParticipantInviteFrame(Frame):
    type: Literal["participant.invite"]
    conversation_id: Id
    agent_id: Id


class ParticipantLeaveFrame(Frame):
    type: Literal["participant.leave"]
    conversation_id: Id


class SuperviseFrame(Frame):
    type: Literal["supervise"]
    conversation_id: Id
    mode: Literal["monitor", "whisper", "barge"]


class TakeoverFrame(Frame):
    type: Literal["takeover"]
    conversation_id: Id


# -- issue 9: tracking and proactive invitations ------------------------------------------

MAX_URL_CHARS = 2000
MAX_TITLE_CHARS = 300
MAX_INVITATION_TEXT_CHARS = 500


class PageViewFrame(Frame):
    type: Literal["page.view"]
    url: Annotated[str, Field(min_length=1, max_length=MAX_URL_CHARS)]
    title: Annotated[str, Field(max_length=MAX_TITLE_CHARS)] = ""
    referrer: Annotated[str, Field(max_length=MAX_URL_CHARS)] | None = None


class InvitationAnswerFrame(Frame):
    type: Literal["invitation.accept", "invitation.decline"]
    invitation_id: Id


class InviteFrame(Frame):
    type: Literal["invite"]
    visitor_id: Id
    text: Annotated[str, Field(min_length=1, max_length=MAX_INVITATION_TEXT_CHARS)] | None = None


# -- issue 9: rating, left messages, the agent's typing indicator ------------------------------


class RatingFrame(Frame):
    type: Literal["rating"]
    conversation_id: Id
    score: Annotated[int, Field(ge=1, le=5, strict=True)]
    comment: Annotated[str, Field(max_length=MAX_COMMENT_CHARS)] = ""


class LeaveMessageFrame(Frame):
    type: Literal["leave_message"]
    conversation_id: Id
    client_msg_id: Id
    body: Annotated[str, Field(min_length=1, max_length=MAX_BODY_CHARS)]
    contact: Annotated[str, Field(min_length=1, max_length=MAX_CONTACT_CHARS)]
    name: Annotated[str, Field(max_length=200)] | None = None


class LeftReplySeenFrame(Frame):
    """The widget showed the replies to this left message: not offered again."""

    type: Literal["left_message.seen"]
    conversation_id: Id


class AgentTypingFrame(Frame):
    """Staff typing: only that they type (their drafts stay private)."""

    type: Literal["typing"]
    conversation_id: Id


# -- issue 9: staff chat (内部对话) -------------------------------------------------------------


class StaffMessageFrame(Frame):
    """A message to a colleague of the same center; answered by `staff.ack`."""

    type: Literal["staff.message"]
    to: Id  # the colleague's agent_id
    client_msg_id: Id
    body: Annotated[str, Field(min_length=1, max_length=MAX_BODY_CHARS)]


class StaffReadFrame(Frame):
    type: Literal["staff.read"]
    colleague_id: Id
    seq: Annotated[int, Field(ge=1)]


class MonitorWatchFrame(Frame):
    """Supervisors and admins: push me the live monitor (`monitor` frames) until unwatched."""

    type: Literal["monitor.watch", "monitor.unwatch"]


VisitorFrame = Annotated[
    Union[ChatRequestFrame, MessageFrame, TypingFrame, ResumeFrame, EndFrame, PingFrame,
          PageViewFrame, InvitationAnswerFrame, RatingFrame, LeaveMessageFrame, LeftReplySeenFrame,
          BotChooseFrame, BotHandoffFrame],
    Field(discriminator="type")]
AgentFrame = Annotated[
    Union[StatusFrame, MessageFrame, PickFrame, EndFrame, ResumeFrame, PingFrame, TransferFrame,
          ParticipantInviteFrame, ParticipantLeaveFrame, SuperviseFrame, TakeoverFrame, InviteFrame,
          AgentTypingFrame, StaffMessageFrame, StaffReadFrame, MonitorWatchFrame],
    Field(discriminator="type")]

_visitor = TypeAdapter(VisitorFrame)
_agent = TypeAdapter(AgentFrame)
VISITOR_TYPES = ("chat.request", "message", "typing", "resume", "chat.end", "ping", "page.view",
                 "invitation.accept", "invitation.decline", "rating", "leave_message",
                 "left_message.seen", "bot.choose", "bot.handoff")
AGENT_TYPES = ("status", "message", "pick", "chat.end", "resume", "ping", "transfer",
               "participant.invite", "participant.leave", "supervise", "takeover", "invite", "typing",
               "staff.message", "staff.read", "monitor.watch", "monitor.unwatch")


class BadFrame(Exception):
    def __init__(self, code: str, message: str, request_id: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.request_id = code, message, request_id

    def frame(self) -> dict[str, Any]:
        frame = {"type": "error", "code": self.code, "message": self.message}
        return frame if self.request_id is None else {**frame, "request_id": self.request_id}


def request_id_of(data: Any) -> str | None:
    """A frame's valid `request_id`, if it has one (an invalid one is not echoed)."""
    found = data.get("request_id") if isinstance(data, dict) else None
    return found if isinstance(found, str) and 0 < len(found) <= MAX_REQUEST_ID_CHARS else None


def peek_request_id(raw: str | bytes) -> str | None:
    """The request id of a frame that will not be parsed (dropped by the rate limit)."""
    if len(raw) > MAX_FRAME_BYTES:
        return None
    try:
        return request_id_of(json.loads(raw))
    except (ValueError, UnicodeDecodeError):
        return None


def parse(raw: str | bytes, role: Literal["visitor", "agent"]) -> Frame:
    if len(raw) > MAX_FRAME_BYTES:
        raise BadFrame("frame_too_large", f"frames are limited to {MAX_FRAME_BYTES} bytes")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise BadFrame("bad_json", "the frame is not valid JSON") from None
    request_id = request_id_of(data)
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise BadFrame("bad_frame", "a frame is a JSON object with a string `type`", request_id)
    allowed = VISITOR_TYPES if role == "visitor" else AGENT_TYPES
    if data["type"] not in allowed:
        raise BadFrame("unknown_type", f"{role} sockets accept: {', '.join(allowed)}", request_id)
    try:
        return (_visitor if role == "visitor" else _agent).validate_python(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"][1:]) or "frame"
        raise BadFrame("invalid_frame", f"{where}: {first['msg']}", request_id) from None
