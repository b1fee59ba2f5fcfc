"""The center's staff by skill group, with each agent's chosen status and load: what a
transfer dialog shows. Three statements however many agents; an agent in no group is
listed under no group (`None`). With a supervisor's scope (department_scope.py), only
the agents and skill groups of those departments: the targets they may hand to."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.store.department_scope import Scope, agent_condition, agent_in_scope
from actors.store.schema import AgentRow, AgentSkillRow, ConversationRow, SkillGroupRow


@dataclass(frozen=True)
class StaffEntry:
    agent_id: str
    display_name: str
    role: str
    status: str
    active: int  # open conversations they own
    max_concurrent: int


@dataclass(frozen=True)
class GroupEntry:
    name: str | None
    display_name: str
    agents: list[StaffEntry]


async def staff_directory(db: async_sessionmaker, center_id: str, scope: Scope = None) -> list[GroupEntry]:
    async with db() as session:
        agents = list(await session.scalars(
            select(AgentRow).where(AgentRow.center_id == center_id, AgentRow.deleted_at.is_(None),
                                   AgentRow.disabled_at.is_(None), agent_condition(scope))
            .order_by(AgentRow.display_name)))
        load = dict((await session.execute(
            select(ConversationRow.agent_id, func.count())
            .where(ConversationRow.center_id == center_id, ConversationRow.status == "assigned")
            .group_by(ConversationRow.agent_id))).all())
        groups = [g for g in await session.scalars(
            select(SkillGroupRow).where(SkillGroupRow.center_id == center_id).order_by(SkillGroupRow.name))
            if agent_in_scope(scope, g.department_id)]
        memberships = (await session.execute(
            select(AgentSkillRow.agent_id, AgentSkillRow.skill_group_id)
            .join(AgentRow, AgentRow.id == AgentSkillRow.agent_id)
            .where(AgentRow.center_id == center_id))).all()
    entries = {a.id: StaffEntry(a.id, a.display_name, a.role, a.status, load.get(a.id, 0), a.max_concurrent)
               for a in agents}
    members: dict[int, list[StaffEntry]] = {}
    grouped: set[str] = set()
    for agent_id, group_id in memberships:
        if agent_id in entries:
            members.setdefault(group_id, []).append(entries[agent_id])
            grouped.add(agent_id)
    order = {agent_id: i for i, agent_id in enumerate(entries)}
    listed = [GroupEntry(g.name, g.display_name or g.name,
                         sorted(members.get(g.id, []), key=lambda e: order[e.agent_id])) for g in groups]
    ungrouped = [e for agent_id, e in entries.items() if agent_id not in grouped]
    if ungrouped:
        listed.append(GroupEntry(None, "", ungrouped))
    return listed
