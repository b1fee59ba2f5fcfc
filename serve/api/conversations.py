"""The read side of conversations: search, one conversation, its messages, and the
waiting lists (`/api/v1/queue`). Visitors read their own; agents what they own or
take part in; supervisors and admins the whole center."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from actors.skill_group.protocol import GetWaiting, WaitingList, queue_ref
from actors.store import agents
from actors.store import conversations as store
from actors.store.conversation_search import ConversationFilter, search_conversations, text_query
from actors.store.schema import ConversationRow
from actors.store.text_segmentation import TextQuery
from actors.store.search_snippet import marked, snippets
from actors.store.skill_groups import list_skill_groups
from serve.api.access import Caller, Runtime
from serve.api.error_responses import AUTHENTICATED, errors
from serve.api.paging import Page
from serve.api.record_downloads import records_download
from serve.api.report_downloads import CSV_TYPE, XLSX_TYPE
from serve.api.report_headers import Lang
from serve.api.reports import Format
from serve.api.scope import caller_scope, overseen
from serve.api.visitors import Channel
from serve.auth import Principal
from serve.errors import ApiError
from serve.rendering import message_wire, waiting_visitor
from serve.runtime import GatewayRuntime

router = APIRouter(tags=["conversations"])
Status = Literal["bot", "queued", "assigned", "left_message", "ended"]
Name = Annotated[str | None, Query(max_length=64)]


class RatingOut(BaseModel):
    score: int
    comment: str
    rated_at: datetime | None


class LeftContact(BaseModel):
    """How the visitor of a left message (留言) asked to be reached."""

    name: str | None
    contact: str


class SnippetPart(BaseModel):
    text: str
    match: bool  # one of the words searched (the console highlights it)


class ConversationOut(BaseModel):
    conversation_id: str
    status: str
    skill_group: str | None
    visitor_id: str
    agent_id: str | None
    channel: str
    priority: int
    end_reason: str | None
    requested_at: datetime
    # Issue 9: the visitor's rating, and a left message's contact (null: none given).
    rating: RatingOut | None = None
    left_contact: LeftContact | None = None
    # Found by `q`: the newest matching message, cut around the word (null otherwise).
    snippet: str | None = None
    # The same snippet in pieces, the words searched marked (null without a snippet).
    snippet_parts: list[SnippetPart] | None = None


class ConversationList(BaseModel):
    conversations: list[ConversationOut]
    next_offset: int | None


def conversation_out(row: ConversationRow, snippet: str | None = None,
                     words: TextQuery | None = None) -> ConversationOut:
    rating = None if row.rating_score is None else RatingOut(
        score=row.rating_score, comment=row.rating_comment or "", rated_at=_utc(row.rated_at))
    left = None if row.left_contact is None else LeftContact(name=row.left_name, contact=row.left_contact)
    return ConversationOut(conversation_id=row.id, status=row.status, skill_group=row.skill_group,
                           visitor_id=row.visitor_id, agent_id=row.agent_id, channel=row.channel,
                           priority=row.priority, end_reason=row.end_reason,
                           requested_at=_utc(row.requested_at), rating=rating, left_contact=left,
                           snippet=snippet, snippet_parts=None if snippet is None or words is None else [
                               SnippetPart(text=text, match=match) for text, match in marked(snippet, words)])


_DOWNLOADS = {200: {"content": {CSV_TYPE.split(";")[0]: {}, XLSX_TYPE: {}},
                    "description": "JSON, or every match as a CSV or XLSX download (`format`)"}}


@router.get("/api/v1/conversations", response_model=ConversationList,
            responses={**_DOWNLOADS, **errors(*AUTHENTICATED)})
async def search(rt: Runtime, who: Caller, page: Page,
                 from_: Annotated[datetime | None, Query(alias="from")] = None,
                 to: datetime | None = None, agent_id: Name = None, skill_group: Name = None,
                 status: Status | None = None, q: Annotated[str | None, Query(max_length=200)] = None,
                 channel: Channel | None = None, region: Name = None,
                 rating: Annotated[int | None, Query(ge=1, le=5)] = None, public_only: bool = False,
                 visitor_id: Name = None, format: Format = Format.JSON, lang: Lang = Lang.EN) -> Any:
    """Chat records, newest first. Agents see only what they own or took part in. `q`:
    words one message holds, Chinese or not (all of them; "quoted" as a phrase);
    `public_only`: `q` matches only what the visitor saw (internal notes left out);
    `rating`: at least this score; `region`: the visitor's region code, province or city.
    `format=csv|xlsx`: every match (not a page; `limit`/`offset` aside), newest first, at
    most 100,000 rows, headers in `lang` (`en`, `zh-CN`); `X-Kefu-Rows` says how many,
    `X-Kefu-Truncated: true` that the search found more."""
    if not who.is_staff:
        raise ApiError(403, "forbidden", "staff only")
    oversees = who.may_oversee()
    where = ConversationFilter(rt.center_id, since=_utc(from_), until=_utc(to),
                               agent_id=agent_id if oversees else who.id, skill_group=skill_group,
                               status=status, visitor_id=visitor_id, channel=channel, region=region,
                               min_rating=rating, text=q or None, taking_part=not oversees,
                               public_text_only=public_only,
                               scope=await caller_scope(rt, who) if oversees else None)
    if format is not Format.JSON:
        return await records_download(rt.db, where, format.value, lang)
    rows, next_offset = page.cut(await search_conversations(rt.db, where, page.fetch, page.offset))
    words = await text_query(where)
    cut = {} if words is None else await snippets(rt.db, [r.id for r in rows], words, where.public_text_only)
    return ConversationList(conversations=[conversation_out(r, cut.get(r.id), words) for r in rows],
                            next_offset=next_offset)


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


async def readable_conversation(rt: GatewayRuntime, who: Principal, conversation_id: str) -> ConversationRow:
    """The conversation row, if `who` may read it: its visitor, its agents, or a supervisor
    whose departments it is in (out of a supervisor's scope it is not found)."""
    row = await store.load_conversation(rt.db, conversation_id)
    if row is None or row.center_id != who.center_id:
        raise ApiError(404, "not_found", "no such conversation")
    if row.agent_id == who.id or (who.is_staff and await store.takes_part(rt.db, conversation_id, who.id)):
        return row
    if who.is_staff and who.may_oversee():
        if not await overseen(rt, who, conversation_id):
            raise ApiError(404, "not_found", "no such conversation")
        return row
    allowed = row.visitor_id == who.id if who.kind == "visitor" else False
    if not allowed:
        raise ApiError(403, "forbidden", "not your conversation")
    return row


class MessagePage(BaseModel):
    messages: list[dict[str, Any]]


@router.get("/api/v1/conversations/{conversation_id}/messages", response_model=MessagePage,
            responses=errors(*AUTHENTICATED, 404))
async def messages(conversation_id: str, rt: Runtime, who: Caller,
                   after_seq: Annotated[int, Query(ge=0, le=2**31)] = 0,
                   limit: Annotated[int, Query(ge=1, le=1000)] = 1000) -> MessagePage:
    """In seq order after `after_seq`, up to `limit` (default and maximum 1000)."""
    await readable_conversation(rt, who, conversation_id)
    # A visitor's history never holds internal notes and whispers.
    page = await store.messages_after(rt.db, conversation_id, after_seq, limit,
                                      public_only=who.kind == "visitor")
    return MessagePage(messages=[message_wire(m, rt.links) for m in page])


@router.get("/api/v1/conversations/{conversation_id}", response_model=ConversationOut,
            responses=errors(*AUTHENTICATED, 404))
async def conversation(conversation_id: str, rt: Runtime, who: Caller) -> ConversationOut:
    return conversation_out(await readable_conversation(rt, who, conversation_id))


class WaitingGroup(BaseModel):
    skill_group: str
    count: int
    entries: list[dict[str, Any]]


class WaitingLists(BaseModel):
    skill_groups: list[WaitingGroup]


@router.get("/api/v1/queue", response_model=WaitingLists, responses=errors(*AUTHENTICATED))
async def waiting(rt: Runtime, who: Caller) -> WaitingLists:
    """The waiting lists an agent may pick from (for supervisors all groups, or those
    of the departments in their scope: a waiting visitor has no agent yet)."""
    if not who.is_staff:
        raise ApiError(403, "forbidden", "staff only")
    if who.may_oversee():
        scope = await caller_scope(rt, who)
        groups = [g.name for g in await list_skill_groups(rt.db, rt.center_id)
                  if scope is None or g.department_id in scope]
    else:
        agent = await agents.get_agent(rt.db, who.id)
        groups = sorted(agent.skills) if agent else []
    lists = await asyncio.gather(*(rt.ask(queue_ref(rt.center_id, g), GetWaiting()) for g in groups))
    return WaitingLists(skill_groups=[
        WaitingGroup(skill_group=wl.skill_group, count=len(wl.entries),
                     entries=[waiting_visitor(entry) for entry in wl.entries])
        for wl in lists if isinstance(wl, WaitingList)])
