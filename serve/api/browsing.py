"""What staff see of visitors: who is browsing now, and one visitor's profile
(`/api/v1/visitors/online`, `/api/v1/visitors/{visitor_id}/profile`)."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from actors.browsing.protocol import BrowsingList, GetBrowsing, browsing_ref
from actors.store import conversations as conversation_store
from actors.store import tracking
from actors.store import visitors as visitor_store
from actors.store.agents import get_agent
from actors.store.clock import as_utc
from actors.store.departments import visible_conversations
from serve.api.access import Caller, Runtime
from serve.api.error_responses import AUTHENTICATED, errors
from serve.api.scope import caller_scope
from serve.errors import ApiError
from serve.region import Location

router = APIRouter(tags=["visitors"])
PROFILE_CONVERSATIONS = 50


def _staff(who) -> None:
    if not who.is_staff:
        raise ApiError(403, "forbidden", "staff only")


class PageOut(BaseModel):
    url: str
    title: str


class OnlineVisitor(BaseModel):
    visitor_id: str
    name: str
    page: PageOut | None
    pages_viewed: int
    on_site_s: float
    source: str = Field(examples=["Baidu: 普洱茶", "example.com", "direct"])
    region: str | None = Field(examples=["浙江 杭州", "US"])
    device: str | None = Field(examples=["desktop", "mobile", "tablet"])
    browser: str | None
    os: str | None
    visits: int
    returning: bool
    in_conversation: bool
    invited: bool


class OnlineVisitors(BaseModel):
    visitors: list[OnlineVisitor]
    # How many are browsing in all (the list holds at most `limit`, newest arrivals first).
    total: int


@router.get("/api/v1/visitors/online", response_model=OnlineVisitors, responses=errors(*AUTHENTICATED))
async def online_visitors(rt: Runtime, who: Caller,
                          limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> OnlineVisitors:
    """Visitors on the site now (正在访问), across every gateway replica; agents,
    supervisors and admins."""
    _staff(who)
    listed: BrowsingList = await rt.ask(browsing_ref(rt.center_id), GetBrowsing(limit))
    busy = await tracking.in_conversation(rt.db, [e.visitor_id for e in listed.entries])
    now = time.time()
    return OnlineVisitors(total=listed.total, visitors=[OnlineVisitor(
        visitor_id=e.visitor_id, name=e.visitor.name,
        page=PageOut(url=e.page.url, title=e.page.title) if e.page else None,
        pages_viewed=e.pages_viewed, on_site_s=round(max(0.0, now - e.arrived_at), 1),
        source=e.visitor.source, region=e.visitor.region, device=e.visitor.device,
        browser=e.visitor.browser, os=e.visitor.os, visits=e.visitor.visits,
        returning=e.visitor.returning, in_conversation=e.visitor_id in busy, invited=e.invited)
        for e in listed.entries])


class RegionOut(BaseModel):
    country: str | None
    province: str | None
    city: str | None


class DeviceOut(BaseModel):
    type: str | None
    os: str | None
    browser: str | None


class SourceOut(BaseModel):
    landing_url: str | None
    referrer: str | None
    engine: str | None
    keyword: str | None
    utm: dict[str, str]
    display: str


class PageViewOut(BaseModel):
    url: str
    title: str
    at: datetime
    # Until the next page or the socket closing; null while still on the page.
    dwell_s: float | None


class AgentOut(BaseModel):
    id: str
    display_name: str | None


class RatingOut(BaseModel):
    score: int
    comment: str | None


class ConversationOut(BaseModel):
    conversation_id: str
    started_at: datetime
    ended_at: datetime | None
    status: str
    agent: AgentOut | None
    rating: RatingOut | None = None


class VisitorProfile(BaseModel):
    visitor_id: str
    name: str
    level: int
    contact: str | None
    region: RegionOut
    device: DeviceOut
    first_seen: datetime
    last_seen: datetime | None
    visits: int
    source: SourceOut
    pages: list[PageViewOut]
    conversations: list[ConversationOut]


@router.get("/api/v1/visitors/{visitor_id}/profile", response_model=VisitorProfile,
            responses=errors(*AUTHENTICATED, 404))
async def visitor_profile(visitor_id: Annotated[str, Path(max_length=100)], rt: Runtime,
                          who: Caller) -> VisitorProfile:
    """A visitor as staff of the center see them: where from, with what, every visit's
    latest pages (50, newest first) and their conversations (latest 50). A supervisor of
    departments sees only visitors with a conversation in their scope, and only those
    conversations (the others answer 404, as if they did not exist)."""
    _staff(who)
    row = await visitor_store.get_visitor(rt.db, visitor_id)
    if row is None or row.center_id != rt.center_id:
        raise ApiError(404, "not_found", "no such visitor")
    conversations = await conversation_store.conversations_of_visitor(rt.db, visitor_id)
    scope = await caller_scope(rt, who) if who.may_oversee() else None
    if scope is not None:
        seen = await visible_conversations(rt.db, rt.center_id, [c.id for c in conversations], scope)
        conversations = [c for c in conversations if c.id in seen]
        if not conversations:
            raise ApiError(404, "not_found", "no such visitor")
    conversations = conversations[-PROFILE_CONVERSATIONS:]
    pages = await tracking.recent_pages(rt.db, visitor_id)
    names: dict[str, str | None] = {}
    for agent_id in {c.agent_id for c in conversations if c.agent_id}:
        record = await get_agent(rt.db, agent_id)
        names[agent_id] = record.display_name if record else None
    source = tracking.source_of(row)
    where = Location(row.country, row.province, row.city)
    return VisitorProfile(
        visitor_id=row.id, name=row.name, level=row.level, contact=row.contact,
        region=RegionOut(country=where.country or (row.region or "")[:2] or None,
                         province=where.province, city=where.city),
        device=DeviceOut(type=row.device_type, os=row.os, browser=row.browser),
        first_seen=as_utc(row.created_at),
        last_seen=as_utc(row.last_seen_at) if row.last_seen_at else None,
        visits=row.visits or 1,
        source=SourceOut(landing_url=row.landing_url, referrer=row.referrer, engine=source.engine,
                         keyword=source.keyword, utm=source.utm, display=source.display),
        pages=[PageViewOut(url=p.url, title=p.title, at=as_utc(p.at), dwell_s=p.dwell_s) for p in pages],
        conversations=[ConversationOut(
            conversation_id=c.id, started_at=as_utc(c.requested_at),
            ended_at=as_utc(c.ended_at) if c.ended_at else None, status=c.status,
            agent=AgentOut(id=c.agent_id, display_name=names.get(c.agent_id)) if c.agent_id else None,
            rating=RatingOut(score=c.rating_score, comment=c.rating_comment or None)
            if c.rating_score is not None else None)
            for c in reversed(conversations)])
