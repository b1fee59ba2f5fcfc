"""Chat records search (会话记录): conversations by time, agent, group, status, visitor,
channel, region, rating and the words of their messages (actors/store/message_index.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.store.department_scope import Scope, conversation_condition
from actors.store.message_index import matching_messages
from actors.store.schema import ConversationRow, ParticipantRow, VisitorRow
from actors.store.text_segmentation import TextQuery, load_dictionary, parse_query


@dataclass(frozen=True)
class ConversationFilter:
    center_id: str
    since: datetime | None = None  # requested at or after
    until: datetime | None = None  # requested before
    agent_id: str | None = None  # owned by, or (with `taking_part`) taken part in
    skill_group: str | None = None
    status: str | None = None
    visitor_id: str | None = None
    channel: str | None = None
    # The visitor's region code ("CN-ZJ"; "CN" takes its provinces too), province or city.
    region: str | None = None
    min_rating: int | None = None  # rated at least this score (unrated ones left out)
    text: str | None = None  # words one message holds (text_segmentation.parse_query)
    taking_part: bool = False
    public_text_only: bool = False
    scope: Scope = None  # a supervisor's departments (department_scope.py); None: all


async def text_query(where: ConversationFilter) -> TextQuery | None:
    """The filter's words, cut; None without a text filter."""
    if not where.text or not where.text.strip():
        return None
    await load_dictionary()
    return parse_query(where.text)


async def search_conversations(db: async_sessionmaker, where: ConversationFilter, limit: int,
                               offset: int = 0) -> list[ConversationRow]:
    """Newest first."""
    query = await _matching(db, where)
    if query is None:
        return []
    query = query.order_by(ConversationRow.requested_at.desc(), ConversationRow.id).offset(offset).limit(limit)
    async with db() as session:
        return list(await session.scalars(query))


async def conversation_batches(db: async_sessionmaker, where: ConversationFilter, most: int,
                               batch: int = 1000) -> AsyncIterator[list[ConversationRow]]:
    """Every match, newest first, up to `most`, a batch per statement: each batch starts
    after the last row of the one before (requested_at, id), so the database never
    skips over the rows already read, however deep the export goes."""
    query = await _matching(db, where)
    if query is None:
        return
    after: tuple[datetime, str] | None = None
    left = most
    while left > 0:
        page = query
        if after is not None:
            page = page.where(or_(ConversationRow.requested_at < after[0],
                                  and_(ConversationRow.requested_at == after[0], ConversationRow.id > after[1])))
        page = page.order_by(ConversationRow.requested_at.desc(), ConversationRow.id).limit(min(batch, left))
        async with db() as session:
            rows = list(await session.scalars(page))
        if not rows:
            return
        yield rows
        left -= len(rows)
        after = (rows[-1].requested_at, rows[-1].id)


async def count_conversations(db: async_sessionmaker, where: ConversationFilter, most: int) -> int:
    """How many match, counting no further than `most`."""
    query = await _matching(db, where)
    if query is None:
        return 0
    capped = query.with_only_columns(ConversationRow.id).limit(most).subquery()
    async with db() as session:
        return int(await session.scalar(select(func.count()).select_from(capped)) or 0)


async def _matching(db: async_sessionmaker, where: ConversationFilter) -> Select | None:
    """The filter as a query, unordered; None when its words can match nothing."""
    query = select(ConversationRow).where(ConversationRow.center_id == where.center_id,
                                          conversation_condition(where.scope, where.center_id))
    for condition in _conditions(where):
        query = query.where(condition)
    words = await text_query(where)
    if words is not None:
        if words.empty:  # only punctuation: no message holds "no word"
            return None
        found = matching_messages(db.kw["bind"].dialect.name, words, where.public_text_only)
        query = query.where(ConversationRow.id.in_(select(found.subquery().c.conversation_id)))
    return query


def _conditions(where: ConversationFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if where.since is not None:
        conditions.append(ConversationRow.requested_at >= where.since)
    if where.until is not None:
        conditions.append(ConversationRow.requested_at < where.until)
    if where.agent_id is not None:
        owned = ConversationRow.agent_id == where.agent_id
        if where.taking_part:
            joined = select(ParticipantRow.conversation_id).where(
                ParticipantRow.participant_id == where.agent_id)
            owned = or_(owned, ConversationRow.id.in_(joined))
        conditions.append(owned)
    for column, value in ((ConversationRow.skill_group, where.skill_group),
                          (ConversationRow.status, where.status),
                          (ConversationRow.visitor_id, where.visitor_id),
                          (ConversationRow.channel, where.channel)):
        if value is not None:
            conditions.append(column == value)
    if where.min_rating is not None:
        conditions.append(ConversationRow.rating_score >= where.min_rating)
    if where.region is not None:
        conditions.append(ConversationRow.visitor_id.in_(_visitors_in(where.center_id, where.region)))
    return conditions


def _visitors_in(center_id: str, region: str):
    prefix = region.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "-%"
    return select(VisitorRow.id).where(VisitorRow.center_id == center_id, or_(
        VisitorRow.region == region, VisitorRow.region.like(prefix, escape="\\"),
        VisitorRow.province == region, VisitorRow.city == region))
