"""Canned replies (常用语): each agent's own and the center's public ones.

Bounded (DESIGN.md decision 13): an agent keeps at most MAX_PER_OWNER personal
replies and a center MAX_PER_OWNER public ones.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.store.clock import utcnow
from actors.store.records import new_id
from actors.store.schema import CannedReplyRow

MAX_PER_OWNER = 500


class TooManyReplies(Exception):
    pass


async def visible_replies(db: async_sessionmaker, center_id: str, agent_id: str) -> list[CannedReplyRow]:
    """The agent's own and the center's public replies, public first, by category."""
    query = (select(CannedReplyRow)
             .where(CannedReplyRow.center_id == center_id,
                    or_(CannedReplyRow.owner_agent_id.is_(None), CannedReplyRow.owner_agent_id == agent_id))
             .order_by(CannedReplyRow.owner_agent_id.is_not(None), CannedReplyRow.category,
                       CannedReplyRow.title, CannedReplyRow.created_at))
    async with db() as session:
        return list(await session.scalars(query))


async def get_reply(db: async_sessionmaker, center_id: str, reply_id: str) -> CannedReplyRow | None:
    async with db() as session:
        row = await session.get(CannedReplyRow, reply_id)
    return row if row is not None and row.center_id == center_id else None


async def create_reply(db: async_sessionmaker, center_id: str, owner_agent_id: str | None,
                       category: str, title: str, body: str) -> CannedReplyRow:
    now = utcnow()
    row = CannedReplyRow(id=new_id("cr"), center_id=center_id, owner_agent_id=owner_agent_id,
                         category=category, title=title, body=body, created_at=now, updated_at=now)
    owner = (CannedReplyRow.owner_agent_id.is_(None) if owner_agent_id is None
             else CannedReplyRow.owner_agent_id == owner_agent_id)
    async with db() as session, session.begin():
        count = await session.scalar(select(func.count()).select_from(CannedReplyRow)
                                     .where(CannedReplyRow.center_id == center_id, owner))
        if count >= MAX_PER_OWNER:
            raise TooManyReplies(f"at most {MAX_PER_OWNER} canned replies per owner")
        session.add(row)
    return row


async def update_reply(db: async_sessionmaker, reply_id: str, changes: dict[str, Any]) -> CannedReplyRow | None:
    async with db() as session, session.begin():
        row = await session.get(CannedReplyRow, reply_id)
        if row is None:
            return None
        for name, value in changes.items():
            setattr(row, name, value)
        row.updated_at = utcnow()
    return row


async def delete_reply(db: async_sessionmaker, reply_id: str) -> None:
    async with db() as session, session.begin():
        await session.execute(delete(CannedReplyRow).where(CannedReplyRow.id == reply_id))
