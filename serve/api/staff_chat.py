"""Staff chat (内部对话) over REST: `/api/v1/staff-chats`, what the desk reads when it
opens or reconnects (messages themselves are written on the workspace socket).

A staff member reads only the pairs they belong to: the pair is always the caller
and the colleague named in the path, so nobody can read two other people's chat.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from actors.staff_chat.protocol import StaffMessage, thread_key
from actors.store import accounts
from actors.store import staff_chat as store
from serve.api.access import Caller, Runtime
from serve.api.error_responses import AUTHENTICATED, errors
from serve.errors import ApiError

router = APIRouter(prefix="/api/v1/staff-chats", tags=["staff chat"])


class Sender(BaseModel):
    kind: str
    id: str
    display_name: str


class StaffChatMessage(BaseModel):
    seq: int
    sender: Sender
    recipient_id: str
    body: str
    client_msg_id: str | None
    ts: str


class Colleague(BaseModel):
    id: str
    display_name: str


class StaffThread(BaseModel):
    colleague: Colleague
    last_seq: int
    unread: int
    last_message: StaffChatMessage


class StaffThreads(BaseModel):
    threads: list[StaffThread]


class StaffChatMessages(BaseModel):
    messages: list[StaffChatMessage]


def _out(message: StaffMessage) -> StaffChatMessage:
    return StaffChatMessage.model_validate(message.to_wire())


@router.get("", response_model=StaffThreads, responses=errors(*AUTHENTICATED))
async def my_threads(rt: Runtime, who: Caller) -> StaffThreads:
    """The caller's chats with colleagues, most recent first, with unread counts."""
    if not who.is_staff:
        raise ApiError(403, "forbidden", "staff chat is for staff")
    summaries = await store.threads_of(rt.db, rt.center_id, who.id)
    return StaffThreads(threads=[
        StaffThread(colleague=Colleague(id=s.colleague_id, display_name=s.colleague_name),
                    last_seq=s.last.seq, unread=s.unread, last_message=_out(s.last)) for s in summaries])


@router.get("/{colleague_id}/messages", response_model=StaffChatMessages,
            responses=errors(*AUTHENTICATED, 404))
async def thread_messages(colleague_id: str, rt: Runtime, who: Caller,
                          after_seq: Annotated[int, Query(ge=0)] = 0,
                          before_seq: Annotated[int | None, Query(ge=1)] = None,
                          limit: Annotated[int, Query(ge=1, le=store.MAX_PAGE)] = 100) -> StaffChatMessages:
    """The caller's messages with one colleague in seq order: those after `after_seq`
    (catching up), or the last `limit` before `before_seq` (scrolling back)."""
    if not who.is_staff:
        raise ApiError(403, "forbidden", "staff chat is for staff")
    colleague = await accounts.get_agent(rt.db, colleague_id)
    if colleague is None or colleague.center_id != rt.center_id or colleague_id == who.id:
        raise ApiError(404, "not_found", f"no colleague {colleague_id}")
    rows = await store.messages(rt.db, thread_key(rt.center_id, who.id, colleague_id), after_seq,
                                before_seq, limit)
    return StaffChatMessages(messages=[_out(m) for m in rows])
