"""Who is who among the staff: `GET /api/v1/directory` (the transfer dialog's tree of
skill groups and agents with status and load) and `GET /api/v1/agents/me`."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

from actors.store import agents as agent_store
from actors.store.directory import staff_directory
from serve.api.access import Caller, Runtime
from serve.api.agents import SkillLevel
from serve.api.error_responses import AUTHENTICATED, errors
from serve.api.scope import caller_scope
from serve.auth import Principal
from serve.errors import ApiError

router = APIRouter(tags=["agents"])
Role = Literal["admin", "supervisor", "agent"]


class DirectoryAgent(BaseModel):
    agent_id: str
    display_name: str
    role: Role
    status: str  # chosen presence: online, away, offline
    active: int  # open conversations owned
    max_concurrent: int


class DirectoryGroup(BaseModel):
    name: str | None  # null: agents in no skill group
    display_name: str
    agents: list[DirectoryAgent]


class Directory(BaseModel):
    groups: list[DirectoryGroup]


class Me(BaseModel):
    agent_id: str
    username: str
    display_name: str
    role: Role
    max_concurrent: int
    skill_groups: list[SkillLevel]


def _staff(who: Principal) -> None:
    if not who.is_staff:
        raise ApiError(403, "forbidden", "this is for staff")


@router.get("/api/v1/directory", response_model=Directory, responses=errors(*AUTHENTICATED))
async def directory(rt: Runtime, who: Caller) -> Directory:
    """A supervisor of departments gets only theirs (whom they may transfer to); agents
    and admins the whole center."""
    _staff(who)
    scope = await caller_scope(rt, who) if who.may_oversee() else None
    groups = await staff_directory(rt.db, rt.center_id, scope)
    return Directory(groups=[
        DirectoryGroup(name=g.name, display_name=g.display_name, agents=[
            DirectoryAgent(agent_id=a.agent_id, display_name=a.display_name, role=a.role, status=a.status,
                           active=a.active, max_concurrent=a.max_concurrent) for a in g.agents])
        for g in groups])


@router.get("/api/v1/agents/me", response_model=Me, responses=errors(*AUTHENTICATED))
async def me(rt: Runtime, who: Caller) -> Me:
    _staff(who)
    record = await agent_store.get_agent(rt.db, who.id)
    if record is None:
        raise ApiError(401, "unauthorized", "the account is gone")
    return Me(agent_id=record.id, username=record.username, display_name=record.display_name,
              role=record.role, max_concurrent=record.max_concurrent,
              skill_groups=[SkillLevel(name=n, level=lvl) for n, lvl in sorted(record.skills.items())])
