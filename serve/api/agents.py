"""Staff accounts: `/api/v1/admin/agents` (admins change, supervisors read).

Every change reaches the agent's entity and the queues concerned at once
(serve/api/reloads.py): a lowered cap counts from the next offer, a group left
stops offering. Disabling or deleting an account, a new password or a new role
revoke the account's tokens (serve/account_check.py); a disabled agent goes
offline and gets no conversations; a deleted one also leaves every group and
frees its username. An admin cannot disable, delete or demote themself, so a
center always keeps the admin who could undo it.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from actors.store import agents as store
from actors.store.agents import AgentRecord
from actors.store.department_scope import Scope, agent_in_scope
from actors.store.records import AlreadyExists, UnknownSkillGroup
from serve.api.access import Caller, Runtime, require_role
from serve.api.error_responses import AUTHENTICATED, errors
from serve.api.paging import Page
from serve.api.reloads import reload_agents, reload_monitor_departments, reload_queues
from serve.api.scope import caller_scope, known_department
from serve.api.row_ids import RowIdField, RowIdQuery
from config.seed import ADMIN_USERNAME
from serve.auth import Principal, hash_password
from serve.errors import ApiError

router = APIRouter(prefix="/api/v1/admin/agents", tags=["agents"])
Role = Literal["admin", "supervisor", "agent"]


class SkillLevel(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=64)]
    level: Annotated[int, Field(ge=1, le=10)] = 1


class AgentBody(BaseModel):
    username: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")]
    password: Annotated[str, Field(min_length=6, max_length=200)]
    display_name: Annotated[str, Field(min_length=1, max_length=200)]
    max_concurrent: Annotated[int, Field(ge=1, le=100)]
    skill_groups: list[SkillLevel] = []
    role: Role = "agent"
    department_id: RowIdField | None = None


class AgentChange(BaseModel):
    """Only the fields given change; `skill_groups` replaces the whole list."""

    display_name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    password: Annotated[str, Field(min_length=6, max_length=200)] | None = None
    max_concurrent: Annotated[int, Field(ge=1, le=100)] | None = None
    skill_groups: list[SkillLevel] | None = None
    role: Role | None = None
    # null takes the account out of its department.
    department_id: RowIdField | None = None


class AgentOut(BaseModel):
    agent_id: str
    username: str
    display_name: str
    role: Role
    max_concurrent: int
    status: str
    skill_groups: list[SkillLevel]
    disabled: bool
    deleted: bool
    department_id: int | None


class AgentList(BaseModel):
    agents: list[AgentOut]
    next_offset: int | None


def agent_out(record: AgentRecord) -> AgentOut:
    return AgentOut(agent_id=record.id, username=record.username, display_name=record.display_name,
                    role=record.role, max_concurrent=record.max_concurrent, status=record.status,
                    skill_groups=[SkillLevel(name=n, level=lvl) for n, lvl in sorted(record.skills.items())],
                    disabled=record.disabled, deleted=record.deleted, department_id=record.department_id)


def _skills(levels: list[SkillLevel]) -> dict[str, int]:
    return {s.name: s.level for s in levels}


@router.post("", response_model=AgentOut, responses=errors(*AUTHENTICATED, 409))
async def create_agent(body: AgentBody, rt: Runtime, who: Caller) -> AgentOut:
    require_role(who, "admin")
    await known_department(rt, body.department_id)
    password_hash = await asyncio.to_thread(hash_password, body.password, rt.settings.password_cost)
    try:
        agent_id = await store.create_agent(rt.db, rt.center_id, body.username, password_hash,
                                            body.display_name, body.role, body.max_concurrent,
                                            _skills(body.skill_groups), body.department_id)
    except AlreadyExists as error:
        raise ApiError(409, "already_exists", str(error)) from None
    except UnknownSkillGroup as error:
        raise ApiError(422, "unknown_skill_group", str(error)) from None
    if body.department_id is not None:
        await reload_monitor_departments(rt)
    return agent_out(await store.get_agent(rt.db, agent_id))


@router.get("", response_model=AgentList, responses=errors(*AUTHENTICATED))
async def list_agents(rt: Runtime, who: Caller, page: Page, include_deleted: bool = False,
                      department_id: RowIdQuery = None) -> AgentList:
    """A supervisor sees only the agents in their department scope."""
    require_role(who, "admin", "supervisor")
    rows = await store.list_agents(rt.db, rt.center_id, page.fetch, page.offset, include_deleted,
                                   scope=await caller_scope(rt, who), department_id=department_id)
    records, next_offset = page.cut(rows)
    return AgentList(agents=[agent_out(r) for r in records], next_offset=next_offset)


async def _agent(rt: Runtime, agent_id: str, scope: Scope = None) -> AgentRecord:
    record = await store.get_agent(rt.db, agent_id)
    if (record is None or record.center_id != rt.center_id
            or not agent_in_scope(scope, record.department_id)):
        raise ApiError(404, "not_found", "no such agent")
    return record


@router.get("/{agent_id}", response_model=AgentOut, responses=errors(*AUTHENTICATED, 404))
async def get_agent(agent_id: str, rt: Runtime, who: Caller) -> AgentOut:
    require_role(who, "admin", "supervisor")
    return agent_out(await _agent(rt, agent_id, await caller_scope(rt, who)))


def _not_yourself(who: Principal, agent_id: str, what: str) -> None:
    if who.id == agent_id:
        raise ApiError(409, "own_account", f"an admin cannot {what} their own account")


@router.patch("/{agent_id}", response_model=AgentOut, responses=errors(*AUTHENTICATED, 404, 409))
async def update_agent(agent_id: str, body: AgentChange, rt: Runtime, who: Caller) -> AgentOut:
    require_role(who, "admin")
    current = await _agent(rt, agent_id)
    if current.deleted:
        raise ApiError(409, "deleted", "the account is deleted")
    if body.role is not None and body.role != "admin":
        _not_yourself(who, agent_id, "demote")
    changes = {key: value for key, value in body.model_dump(exclude={"password", "skill_groups"}).items()
               if value is not None}
    if "department_id" in body.model_fields_set:
        await known_department(rt, body.department_id)
        changes["department_id"] = body.department_id
    if body.password is not None and current.username == ADMIN_USERNAME and rt.settings.admin_password:
        # It would be set back to KEFU_ADMIN_PASSWORD at the next start (config/seed.py).
        raise ApiError(409, "managed_by_environment",
                       "the built-in admin's password is KEFU_ADMIN_PASSWORD; change it there")
    if body.password is not None:
        changes["password_hash"] = await asyncio.to_thread(hash_password, body.password,
                                                           rt.settings.password_cost)
    skills = _skills(body.skill_groups) if body.skill_groups is not None else None
    try:
        before, after = await store.update_agent(rt.db, agent_id, changes, skills)
    except UnknownSkillGroup as error:
        raise ApiError(422, "unknown_skill_group", str(error)) from None
    await _changed(rt, before, after)
    return agent_out(after)


async def _changed(rt: Runtime, before: AgentRecord, after: AgentRecord) -> None:
    """The agent reads its record again and tells the groups it is in; a group it
    left no longer hears from it, so that queue reloads its members."""
    await reload_agents(rt, [after.id])
    await reload_queues(rt, set(before.skills) - set(after.skills))
    if before.department_id != after.department_id:
        await reload_monitor_departments(rt)


@router.post("/{agent_id}/disable", response_model=AgentOut, responses=errors(*AUTHENTICATED, 404, 409))
async def disable_agent(agent_id: str, rt: Runtime, who: Caller) -> AgentOut:
    return await _set_disabled(agent_id, rt, who, True)


@router.post("/{agent_id}/enable", response_model=AgentOut, responses=errors(*AUTHENTICATED, 404, 409))
async def enable_agent(agent_id: str, rt: Runtime, who: Caller) -> AgentOut:
    return await _set_disabled(agent_id, rt, who, False)


async def _set_disabled(agent_id: str, rt: Runtime, who: Principal, disabled: bool) -> AgentOut:
    require_role(who, "admin")
    current = await _agent(rt, agent_id)
    if current.deleted:
        raise ApiError(409, "deleted", "the account is deleted")
    _not_yourself(who, agent_id, "disable")
    if current.disabled == disabled:
        return agent_out(current)
    before, after = await store.set_disabled(rt.db, agent_id, disabled)
    await _changed(rt, before, after)
    return agent_out(after)


@router.delete("/{agent_id}", status_code=204, response_class=Response,
               responses=errors(*AUTHENTICATED, 404, 409))
async def delete_agent(agent_id: str, rt: Runtime, who: Caller) -> Response:
    require_role(who, "admin")
    current = await _agent(rt, agent_id)
    _not_yourself(who, agent_id, "delete")
    if not current.deleted:
        before, after = await store.delete_agent(rt.db, agent_id)
        await _changed(rt, before, after)
    return Response(status_code=204)
