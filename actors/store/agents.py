"""Staff accounts (agents, supervisors, admins): profile, cap, skills and standing.

A token names the account's `token_epoch`; bumping it (password or role changed,
account disabled or deleted) makes every token issued before stop working.
Deleting is soft: the row stays, so history still names the agent, but it leaves
every group and its username is freed for a new account.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actors.store.clock import utcnow
from actors.store.department_scope import Scope, agent_condition
from actors.store.records import AlreadyExists, UnknownSkillGroup, new_id
from actors.store.schema import AgentRow, AgentSkillRow, SkillGroupRow


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
    disabled: bool = False
    deleted: bool = False
    token_epoch: int = 0
    incarnation: int = 0  # of the agent's entity, as last stored (agent/reservations.py)
    department_id: int | None = None

    @property
    def may_sign_in(self) -> bool:
        return not (self.disabled or self.deleted)


async def create_agent(db: async_sessionmaker, center_id: str, username: str, password_hash: str,
                       display_name: str, role: str, max_concurrent: int,
                       skills: dict[str, int], department_id: int | None = None) -> str:
    agent_id = new_id("ag")
    try:
        async with db() as session, session.begin():
            groups = await _group_ids(session, center_id, skills)
            session.add(AgentRow(id=agent_id, center_id=center_id, username=username,
                                 password_hash=password_hash, display_name=display_name, role=role,
                                 max_concurrent=max_concurrent, status="offline", created_at=utcnow(),
                                 department_id=department_id))
            await session.flush()
            session.add_all(AgentSkillRow(agent_id=agent_id, skill_group_id=groups[name], level=level)
                            for name, level in skills.items())
    except IntegrityError:
        raise AlreadyExists(f"username {username!r} is taken") from None
    return agent_id


async def _group_ids(session: AsyncSession, center_id: str, skills: dict[str, int]) -> dict[str, int]:
    groups = {row.name: row.id for row in await session.scalars(
        select(SkillGroupRow).where(SkillGroupRow.center_id == center_id,
                                    SkillGroupRow.name.in_(list(skills))))}
    missing = sorted(set(skills) - set(groups))
    if missing:
        raise UnknownSkillGroup(f"unknown skill group(s): {', '.join(missing)}")
    return groups


async def _record(session: AsyncSession, row: AgentRow | None) -> AgentRecord | None:
    if row is None:
        return None
    skills = await session.execute(
        select(SkillGroupRow.name, AgentSkillRow.level)
        .join(SkillGroupRow, SkillGroupRow.id == AgentSkillRow.skill_group_id)
        .where(AgentSkillRow.agent_id == row.id))
    return AgentRecord(row.id, row.center_id, row.username, row.password_hash, row.display_name,
                       row.role, row.max_concurrent, row.status, {name: level for name, level in skills},
                       disabled=row.disabled_at is not None, deleted=row.deleted_at is not None,
                       token_epoch=row.token_epoch or 0, incarnation=row.incarnation or 0,
                       department_id=row.department_id)


async def present_agents(db: async_sessionmaker) -> list[str]:
    """Agents whose stored status is not offline (those a restarted shard must re-check)."""
    async with db() as session:
        rows = await session.scalars(select(AgentRow.id).where(
            AgentRow.status != "offline", AgentRow.deleted_at.is_(None)))
        return list(rows)


async def get_agent(db: async_sessionmaker, agent_id: str) -> AgentRecord | None:
    async with db() as session:
        return await _record(session, await session.get(AgentRow, agent_id))


async def find_agent(db: async_sessionmaker, center_id: str, username: str) -> AgentRecord | None:
    async with db() as session:
        row = await session.scalar(select(AgentRow).where(
            AgentRow.center_id == center_id, AgentRow.username == username))
        return await _record(session, row)


async def list_agents(db: async_sessionmaker, center_id: str, limit: int, offset: int = 0,
                      include_deleted: bool = False, scope: Scope = None,
                      department_id: int | None = None) -> list[AgentRecord]:
    """In creation order; only those in `scope` (department_scope.py) and, if given,
    directly in `department_id`."""
    query = select(AgentRow).where(AgentRow.center_id == center_id, agent_condition(scope))
    if department_id is not None:
        query = query.where(AgentRow.department_id == department_id)
    if not include_deleted:
        query = query.where(AgentRow.deleted_at.is_(None))
    async with db() as session:
        rows = await session.scalars(query.order_by(AgentRow.created_at, AgentRow.id)
                                     .offset(offset).limit(limit))
        return [await _record(session, row) for row in rows]


async def set_password_hash(db: async_sessionmaker, agent_id: str, password_hash: str) -> None:
    await update_agent(db, agent_id, {"password_hash": password_hash})


# Changes after which tokens issued before must stop working.
_REVOKING = ("password_hash", "role", "disabled_at", "deleted_at")


async def update_agent(db: async_sessionmaker, agent_id: str, changes: dict[str, Any],
                       skills: dict[str, int] | None = None) -> tuple[AgentRecord, AgentRecord] | None:
    """Set columns (and, if given, replace the skills); the record before and after.
    A change in `_REVOKING` bumps the token epoch."""
    async with db() as session, session.begin():
        row = await session.get(AgentRow, agent_id)
        if row is None:
            return None
        before = await _record(session, row)
        if skills is not None:
            groups = await _group_ids(session, row.center_id, skills)
            await session.execute(delete(AgentSkillRow).where(AgentSkillRow.agent_id == agent_id))
            session.add_all(AgentSkillRow(agent_id=agent_id, skill_group_id=groups[name], level=level)
                            for name, level in skills.items())
        revoking = any(key in changes and changes[key] != getattr(row, key) for key in _REVOKING)
        for column, value in changes.items():
            setattr(row, column, value)
        if revoking:
            row.token_epoch = (row.token_epoch or 0) + 1
        try:
            await session.flush()
        except IntegrityError:
            raise AlreadyExists("that username is taken") from None
        return before, await _record(session, row)


async def set_disabled(db: async_sessionmaker, agent_id: str,
                       disabled: bool) -> tuple[AgentRecord, AgentRecord] | None:
    return await update_agent(db, agent_id, {"disabled_at": utcnow() if disabled else None})


async def delete_agent(db: async_sessionmaker, agent_id: str) -> tuple[AgentRecord, AgentRecord] | None:
    """Soft delete: tokens revoked, groups left, username freed ("deleted:<id>")."""
    return await update_agent(db, agent_id, {"deleted_at": utcnow(), "username": f"deleted:{agent_id}"},
                              skills={})


async def count_admins(db: async_sessionmaker, center_id: str) -> int:
    async with db() as session:
        return await session.scalar(select(func.count()).select_from(AgentRow).where(
            AgentRow.center_id == center_id, AgentRow.role == "admin",
            AgentRow.deleted_at.is_(None), AgentRow.disabled_at.is_(None))) or 0

