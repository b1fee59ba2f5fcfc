"""Centers, skill groups, agents and visitors: the slow-changing records."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.store.clock import utcnow
from actors.store.schema import AgentRow, AgentSkillRow, CenterRow, SkillGroupRow, VisitorRow


class AlreadyExists(Exception):
    pass


class UnknownSkillGroup(LookupError):
    pass


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:20]}"


@dataclass(frozen=True)
class AgentRecord:
    id: str
    center_id: str
    username: str
    password_hash: str
    display_name: str
    role: str
    max_concurrent: int
    status: str
    skills: dict[str, int]  # skill group name -> level


# -- centers ----------------------------------------------------------------

async def get_center(db: async_sessionmaker, center_id: str) -> CenterRow | None:
    async with db() as session:
        return await session.get(CenterRow, center_id)


async def ensure_center(db: async_sessionmaker, center_id: str, name: str,
                        routing: dict[str, Any]) -> bool:
    """Create the center if missing; True if it was created (first start)."""
    try:
        async with db() as session, session.begin():
            if await session.get(CenterRow, center_id) is not None:
                return False
            session.add(CenterRow(id=center_id, name=name, routing=routing, created_at=utcnow()))
    except IntegrityError:
        return False  # another process created it first
    return True


async def set_center_routing(db: async_sessionmaker, center_id: str, routing: dict[str, Any]) -> None:
    async with db() as session, session.begin():
        await session.execute(update(CenterRow).where(CenterRow.id == center_id).values(routing=routing))


async def set_center_settings(db: async_sessionmaker, center_id: str, settings: dict[str, Any]) -> None:
    """Store a center's settings (actors/center/settings.py); the caller validates them."""
    async with db() as session, session.begin():
        await session.execute(update(CenterRow).where(CenterRow.id == center_id).values(settings=settings))


# -- skill groups ---------------------------------------------------------------

async def create_skill_group(db: async_sessionmaker, center_id: str, name: str, display_name: str = "",
                             queue_timeout_s: float | None = None, overflow_to: str | None = None,
                             work_hours: dict | None = None) -> SkillGroupRow:
    row = SkillGroupRow(center_id=center_id, name=name, display_name=display_name or name,
                        queue_timeout_s=queue_timeout_s, overflow_to=overflow_to, work_hours=work_hours)
    try:
        async with db() as session, session.begin():
            session.add(row)
    except IntegrityError:
        raise AlreadyExists(f"skill group {name!r} exists") from None
    return row


async def list_skill_groups(db: async_sessionmaker, center_id: str) -> list[SkillGroupRow]:
    async with db() as session:
        rows = await session.scalars(
            select(SkillGroupRow).where(SkillGroupRow.center_id == center_id).order_by(SkillGroupRow.id))
        return list(rows)


async def group_members(db: async_sessionmaker, center_id: str, group: str) -> dict[str, int]:
    """Agent id -> skill level for the agents of one group."""
    async with db() as session:
        rows = await session.execute(
            select(AgentSkillRow.agent_id, AgentSkillRow.level)
            .join(SkillGroupRow, SkillGroupRow.id == AgentSkillRow.skill_group_id)
            .where(SkillGroupRow.center_id == center_id, SkillGroupRow.name == group))
        return {agent_id: level for agent_id, level in rows}


# -- agents -----------------------------------------------------------------------

async def create_agent(db: async_sessionmaker, center_id: str, username: str, password_hash: str,
                       display_name: str, role: str, max_concurrent: int,
                       skills: dict[str, int]) -> str:
    agent_id = new_id("ag")
    try:
        async with db() as session, session.begin():
            groups = {row.name: row.id for row in await session.scalars(
                select(SkillGroupRow).where(SkillGroupRow.center_id == center_id,
                                            SkillGroupRow.name.in_(list(skills))))}
            missing = sorted(set(skills) - set(groups))
            if missing:
                raise UnknownSkillGroup(f"unknown skill group(s): {', '.join(missing)}")
            session.add(AgentRow(id=agent_id, center_id=center_id, username=username,
                                 password_hash=password_hash, display_name=display_name, role=role,
                                 max_concurrent=max_concurrent, status="offline", created_at=utcnow()))
            await session.flush()
            session.add_all(AgentSkillRow(agent_id=agent_id, skill_group_id=groups[name], level=level)
                            for name, level in skills.items())
    except IntegrityError:
        raise AlreadyExists(f"username {username!r} is taken") from None
    return agent_id


async def _record(session, row: AgentRow | None) -> AgentRecord | None:
    if row is None:
        return None
    skills = await session.execute(
        select(SkillGroupRow.name, AgentSkillRow.level)
        .join(SkillGroupRow, SkillGroupRow.id == AgentSkillRow.skill_group_id)
        .where(AgentSkillRow.agent_id == row.id))
    return AgentRecord(row.id, row.center_id, row.username, row.password_hash, row.display_name,
                       row.role, row.max_concurrent, row.status, {name: level for name, level in skills})


async def get_agent(db: async_sessionmaker, agent_id: str) -> AgentRecord | None:
    async with db() as session:
        return await _record(session, await session.get(AgentRow, agent_id))


async def find_agent(db: async_sessionmaker, center_id: str, username: str) -> AgentRecord | None:
    async with db() as session:
        row = await session.scalar(select(AgentRow).where(
            AgentRow.center_id == center_id, AgentRow.username == username))
        return await _record(session, row)


async def set_password_hash(db: async_sessionmaker, agent_id: str, password_hash: str) -> None:
    async with db() as session, session.begin():
        await session.execute(
            update(AgentRow).where(AgentRow.id == agent_id).values(password_hash=password_hash))


# -- visitors ---------------------------------------------------------------------

async def create_visitor(db: async_sessionmaker, center_id: str, name: str, channel: str,
                         region: str | None, external_id: str | None = None,
                         level: int = 0) -> VisitorRow:
    row = VisitorRow(id=new_id("v"), center_id=center_id, external_id=external_id, name=name,
                     level=level, region=region, channel=channel, created_at=utcnow())
    async with db() as session, session.begin():
        session.add(row)
    return row


async def identified_visitor(db: async_sessionmaker, center_id: str, external_id: str, name: str,
                             level: int | None, channel: str, region: str | None) -> VisitorRow:
    """The customer with this external id, created on first visit and updated on later ones."""
    for _ in range(2):  # a concurrent first visit may win the insert; then we update theirs
        async with db() as session:
            async with session.begin():
                row = await session.scalar(select(VisitorRow).where(
                    VisitorRow.center_id == center_id, VisitorRow.external_id == external_id))
                if row is not None:
                    row.name = name or row.name
                    row.level = row.level if level is None else level
                    row.region = region or row.region
                    row.channel = channel
                    return row
        try:
            return await create_visitor(db, center_id, name, channel, region, external_id, level or 0)
        except IntegrityError:
            continue
    raise RuntimeError("could not store the visitor")


async def get_visitor(db: async_sessionmaker, visitor_id: str) -> VisitorRow | None:
    async with db() as session:
        return await session.get(VisitorRow, visitor_id)


async def set_visitor_level(db: async_sessionmaker, visitor_id: str, level: int) -> VisitorRow | None:
    async with db() as session, session.begin():
        row = await session.get(VisitorRow, visitor_id)
        if row is not None:
            row.level = level
        return row
