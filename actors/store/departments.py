"""Department records (部门): the tree, its members, and a staff account's scope."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actors.store.department_scope import Scope, conversation_condition
from actors.store.department_tree import makes_cycle, subtree
from actors.store.records import AlreadyExists
from actors.store.schema import AgentRow, ConversationRow, DepartmentRow, SkillGroupRow


class DepartmentConflict(Exception):
    """A change the tree refuses (a cycle, a department still in use); the message says why."""


@dataclass(frozen=True)
class DepartmentRecord:
    id: int
    name: str
    parent_id: int | None
    agent_count: int  # accounts directly in it, not deleted


async def parents(db: async_sessionmaker, center_id: str) -> dict[int, int | None]:
    async with db() as session:
        return await _parents(session, center_id)


async def _parents(session: AsyncSession, center_id: str) -> dict[int, int | None]:
    rows = await session.execute(select(DepartmentRow.id, DepartmentRow.parent_id)
                                 .where(DepartmentRow.center_id == center_id))
    return {d: p for d, p in rows}


async def list_departments(db: async_sessionmaker, center_id: str,
                           scope: Scope = None) -> list[DepartmentRecord]:
    counts = (select(AgentRow.department_id, func.count().label("n"))
              .where(AgentRow.center_id == center_id, AgentRow.deleted_at.is_(None))
              .group_by(AgentRow.department_id).subquery())
    query = (select(DepartmentRow, counts.c.n).outerjoin(counts, counts.c.department_id == DepartmentRow.id)
             .where(DepartmentRow.center_id == center_id).order_by(DepartmentRow.id))
    if scope is not None:
        query = query.where(DepartmentRow.id.in_(sorted(scope)))
    async with db() as session:
        return [DepartmentRecord(row.id, row.name, row.parent_id, n or 0)
                for row, n in await session.execute(query)]


async def _sibling_named(session: AsyncSession, center_id: str, parent_id: int | None, name: str,
                         other_than: int | None = None) -> bool:
    # NULL parents are distinct to the unique constraint, so top-level names are checked here.
    query = select(DepartmentRow.id).where(DepartmentRow.center_id == center_id,
                                           DepartmentRow.name == name)
    query = query.where(DepartmentRow.parent_id.is_(None) if parent_id is None
                        else DepartmentRow.parent_id == parent_id)
    ids = set(await session.scalars(query)) - {other_than}
    return bool(ids)


async def create_department(db: async_sessionmaker, center_id: str, name: str,
                            parent_id: int | None) -> int:
    """The new department's id. KeyError: no such parent; AlreadyExists: a sibling has the name."""
    try:
        async with db() as session, session.begin():
            if parent_id is not None and parent_id not in await _parents(session, center_id):
                raise KeyError(parent_id)
            if await _sibling_named(session, center_id, parent_id, name):
                raise AlreadyExists(f"a department named {name!r} exists there")
            row = DepartmentRow(center_id=center_id, name=name, parent_id=parent_id)
            session.add(row)
            await session.flush()
            return row.id
    except IntegrityError:
        raise AlreadyExists(f"a department named {name!r} exists there") from None


async def update_department(db: async_sessionmaker, center_id: str, department_id: int,
                            changes: dict) -> bool:
    """Rename and/or move (`name`, `parent_id`); False if there is no such department.
    KeyError: no such parent; DepartmentConflict: a move under its own subtree."""
    try:
        async with db() as session, session.begin():
            row = await session.get(DepartmentRow, department_id)
            if row is None or row.center_id != center_id:
                return False
            tree = await _parents(session, center_id)
            parent = changes.get("parent_id", row.parent_id)
            if parent is not None and parent not in tree:
                raise KeyError(parent)
            if makes_cycle(tree, department_id, parent):
                raise DepartmentConflict("a department cannot move under itself or its own sub-departments")
            name = changes.get("name", row.name)
            if await _sibling_named(session, center_id, parent, name, other_than=department_id):
                raise AlreadyExists(f"a department named {name!r} exists there")
            row.name, row.parent_id = name, parent
            await session.flush()
            return True
    except IntegrityError:
        raise AlreadyExists("a department with that name exists there") from None


async def delete_department(db: async_sessionmaker, center_id: str, department_id: int) -> bool:
    """False if there is no such department; DepartmentConflict while anything is in it."""
    async with db() as session, session.begin():
        row = await session.get(DepartmentRow, department_id)
        if row is None or row.center_id != center_id:
            return False
        in_use = [(what, await session.scalar(select(func.count()).select_from(table).where(*where)) or 0)
                  for what, table, where in (
                      ("sub-departments", DepartmentRow, [DepartmentRow.parent_id == department_id]),
                      ("agents", AgentRow, [AgentRow.department_id == department_id,
                                            AgentRow.deleted_at.is_(None)]),
                      ("skill groups", SkillGroupRow, [SkillGroupRow.department_id == department_id]))]
        held = [f"{n} {what}" for what, n in in_use if n]
        if held:
            raise DepartmentConflict(f"the department still has {', '.join(held)}; move or delete them first")
        # A deleted account may still name it: history keeps the agent, not the department.
        rows = await session.scalars(select(AgentRow).where(AgentRow.department_id == department_id))
        for agent in rows:
            agent.department_id = None
        await session.delete(row)
        return True


async def department_exists(db: async_sessionmaker, center_id: str, department_id: int) -> bool:
    return department_id in await parents(db, center_id)


async def staff_scope(db: async_sessionmaker, center_id: str, agent_id: str, role: str) -> Scope:
    """The departments a staff account oversees: None (all) for admins and for supervisors
    without a department, else the supervisor's department and its whole subtree. Agents
    get their department's subtree too, though their own rules (owner, participant) are
    narrower and are what the API applies to them."""
    if role == "admin":
        return None
    async with db() as session:
        department = await session.scalar(select(AgentRow.department_id).where(AgentRow.id == agent_id))
        if department is None:
            return None
        return subtree(await _parents(session, center_id), department)


async def conversation_visible(db: async_sessionmaker, center_id: str, conversation_id: str,
                               scope: Scope) -> bool:
    """Whether one conversation of this center is in `scope` (the list rule, for one row)."""
    async with db() as session:
        found = await session.scalar(select(ConversationRow.id).where(
            ConversationRow.id == conversation_id, ConversationRow.center_id == center_id,
            conversation_condition(scope, center_id)))
        return found is not None


async def scope_members(db: async_sessionmaker, center_id: str, scope: frozenset[int]
                        ) -> tuple[set[str], set[str]]:
    """The agent ids and skill group names of this center in `scope`'s departments."""
    async with db() as session:
        agents = await session.scalars(select(AgentRow.id).where(
            AgentRow.center_id == center_id, AgentRow.department_id.in_(sorted(scope))))
        groups = await session.scalars(select(SkillGroupRow.name).where(
            SkillGroupRow.center_id == center_id, SkillGroupRow.department_id.in_(sorted(scope))))
        return set(agents), set(groups)


async def visible_conversations(db: async_sessionmaker, center_id: str, conversation_ids: list[str],
                                scope: Scope) -> set[str]:
    """Those of `conversation_ids` in `scope` (one query for a list, as for one)."""
    if not conversation_ids:
        return set()
    async with db() as session:
        return set(await session.scalars(select(ConversationRow.id).where(
            ConversationRow.id.in_(conversation_ids), ConversationRow.center_id == center_id,
            conversation_condition(scope, center_id))))
