"""Skill-group records (技能组) and their members."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.store.records import AlreadyExists
from actors.store.schema import AgentRow, AgentSkillRow, ConversationRow, SkillGroupRow


async def create_skill_group(db: async_sessionmaker, center_id: str, name: str, display_name: str = "",
                             queue_timeout_s: float | None = None, overflow_to: str | None = None,
                             work_hours: dict | None = None,
                             department_id: int | None = None, bot: dict | None = None) -> SkillGroupRow:
    row = SkillGroupRow(center_id=center_id, name=name, display_name=display_name or name,
                        queue_timeout_s=queue_timeout_s, overflow_to=overflow_to, work_hours=work_hours,
                        department_id=department_id, bot=bot)
    try:
        async with db() as session, session.begin():
            session.add(row)
    except IntegrityError:
        raise AlreadyExists(f"skill group {name!r} exists") from None
    return row


async def list_skill_groups(db: async_sessionmaker, center_id: str, limit: int | None = None,
                            offset: int = 0) -> list[SkillGroupRow]:
    query = (select(SkillGroupRow).where(SkillGroupRow.center_id == center_id)
             .order_by(SkillGroupRow.id).offset(offset))
    if limit is not None:
        query = query.limit(limit)
    async with db() as session:
        return list(await session.scalars(query))


async def get_skill_group(db: async_sessionmaker, center_id: str, name: str) -> SkillGroupRow | None:
    async with db() as session:
        return await session.scalar(select(SkillGroupRow).where(
            SkillGroupRow.center_id == center_id, SkillGroupRow.name == name))


async def update_skill_group(db: async_sessionmaker, center_id: str, name: str,
                             changes: dict[str, Any]) -> SkillGroupRow | None:
    """Set the given columns (display_name, queue_timeout_s, overflow_to, work_hours,
    department_id, bot)."""
    async with db() as session, session.begin():
        row = await session.scalar(select(SkillGroupRow).where(
            SkillGroupRow.center_id == center_id, SkillGroupRow.name == name))
        if row is not None:
            for column, value in changes.items():
                setattr(row, column, value)
        return row


async def waiting_count(db: async_sessionmaker, center_id: str, name: str) -> int:
    async with db() as session:
        return await session.scalar(select(func.count()).select_from(ConversationRow).where(
            ConversationRow.center_id == center_id, ConversationRow.skill_group == name,
            ConversationRow.status == "queued")) or 0


async def delete_skill_group(db: async_sessionmaker, center_id: str, name: str) -> list[str] | None:
    """Delete the group and its memberships; the ids of the agents who were in it
    (None if there was no such group). Past conversations keep the group's name."""
    async with db() as session, session.begin():
        row = await session.scalar(select(SkillGroupRow).where(
            SkillGroupRow.center_id == center_id, SkillGroupRow.name == name))
        if row is None:
            return None
        members = list(await session.scalars(
            select(AgentSkillRow.agent_id).where(AgentSkillRow.skill_group_id == row.id)))
        await session.execute(delete(AgentSkillRow).where(AgentSkillRow.skill_group_id == row.id))
        await session.delete(row)
        return members


async def group_members(db: async_sessionmaker, center_id: str, group: str) -> dict[str, int]:
    """Agent id -> skill level for the (not deleted) agents of one group."""
    async with db() as session:
        rows = await session.execute(
            select(AgentSkillRow.agent_id, AgentSkillRow.level)
            .join(SkillGroupRow, SkillGroupRow.id == AgentSkillRow.skill_group_id)
            .join(AgentRow, AgentRow.id == AgentSkillRow.agent_id)
            .where(SkillGroupRow.center_id == center_id, SkillGroupRow.name == group,
                   AgentRow.deleted_at.is_(None)))
        return {agent_id: level for agent_id, level in rows}
