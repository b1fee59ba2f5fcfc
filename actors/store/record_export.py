"""The lines of a chat records export (会话记录导出): every conversation a search finds,
newest first, with its visitor's name and region, its agent's name and (with words
searched) the matching snippet, read a batch at a time so an export of a hundred
thousand conversations never holds them all."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.store.clock import as_utc
from actors.store.conversation_search import ConversationFilter, conversation_batches, text_query
from actors.store.schema import AgentRow, ConversationRow, VisitorRow
from actors.store.search_snippet import snippets

BATCH = 1000


@dataclass(frozen=True)
class RecordLine:
    conversation_id: str
    requested_at: datetime
    ended_at: datetime | None
    status: str
    skill_group: str | None
    agent_id: str | None
    agent: str | None
    visitor_id: str
    visitor: str
    channel: str
    region: str | None
    rating: int | None
    rating_comment: str | None
    end_reason: str | None
    snippet: str | None


async def record_lines(db: async_sessionmaker, where: ConversationFilter,
                       most: int) -> AsyncIterator[list[RecordLine]]:
    words = await text_query(where)
    agent_names: dict[str, str] = {}  # most exports name few agents many times
    async for rows in conversation_batches(db, where, most, BATCH):
        visitors = await _visitors(db, {r.visitor_id for r in rows})
        await _learn_agents(db, {r.agent_id for r in rows if r.agent_id} - agent_names.keys(), agent_names)
        found = ({} if words is None else
                 await snippets(db, [r.id for r in rows], words, where.public_text_only))
        yield [_line(r, visitors.get(r.visitor_id), agent_names, found.get(r.id)) for r in rows]


def _line(row: ConversationRow, visitor: VisitorRow | None, agent_names: dict[str, str],
          snippet: str | None) -> RecordLine:
    return RecordLine(
        conversation_id=row.id, requested_at=as_utc(row.requested_at),
        ended_at=as_utc(row.ended_at) if row.ended_at else None, status=row.status,
        skill_group=row.skill_group, agent_id=row.agent_id,
        agent=agent_names.get(row.agent_id) if row.agent_id else None, visitor_id=row.visitor_id,
        visitor=visitor.name if visitor else "", channel=row.channel, region=_region(visitor),
        rating=row.rating_score, rating_comment=row.rating_comment, end_reason=row.end_reason,
        snippet=snippet)


def _region(visitor: VisitorRow | None) -> str | None:
    if visitor is None:
        return None
    named = " ".join(p for p in (visitor.province, visitor.city) if p)
    return named or visitor.region


async def _visitors(db: async_sessionmaker, ids: set[str]) -> dict[str, VisitorRow]:
    async with db() as session:
        return {v.id: v for v in await session.scalars(select(VisitorRow).where(VisitorRow.id.in_(ids)))}


async def _learn_agents(db: async_sessionmaker, ids: set[str], names: dict[str, str]) -> None:
    if not ids:
        return
    async with db() as session:
        for agent_id, name in await session.execute(
                select(AgentRow.id, AgentRow.display_name).where(AgentRow.id.in_(ids))):
            names[agent_id] = name
