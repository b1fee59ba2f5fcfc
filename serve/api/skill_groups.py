"""Skill groups (技能组): `/api/v1/admin/skill-groups` (admins change, supervisors read).

A group's name is its key everywhere (conversations, overflow targets, rules),
so it cannot be renamed. Every change is tried on the center's own routing
parser first (serve/api/routing_check.py) and, once stored, reaches the center
and the group's queue at once: a new group is routable by the next request.
A group the router still needs (the default, an overflow target, a rule's
target) or with visitors waiting cannot be deleted (409).
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from actors.bot.settings import parse_bot_settings
from actors.store import skill_groups as store
from actors.store.centers import group_config
from actors.store.records import AlreadyExists
from actors.store.schema import SkillGroupRow
from serve.api.access import Caller, Runtime, require_role
from serve.api.scope import known_department
from serve.api.error_responses import AUTHENTICATED, errors
from serve.api.paging import Page
from serve.api.reloads import reload_agents, reload_center, reload_monitor_departments, reload_queues
from serve.api.routing_check import checked_routing, refuse_reserved, stored_routing
from serve.api.row_ids import RowIdField
from serve.errors import ApiError

router = APIRouter(prefix="/api/v1/admin/skill-groups", tags=["skill groups"])
GROUP_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
Seconds = Annotated[float, Field(gt=0, le=86400)]


class SkillGroupBody(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=64)]
    display_name: Annotated[str, Field(max_length=200)] | None = None
    queue_timeout_s: Seconds | None = None
    overflow_to: Annotated[str, Field(max_length=64)] | None = None
    work_hours: dict[str, Any] | None = None
    department_id: RowIdField | None = None
    bot: dict[str, Any] | None = None  # its FAQ bot (actors/bot/settings.py); null: none


class SkillGroupChange(BaseModel):
    """Only the fields given change; null clears `queue_timeout_s`, `overflow_to`
    and `work_hours` (wait without limit, no overflow, the center's hours)."""

    display_name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    queue_timeout_s: Seconds | None = None
    overflow_to: Annotated[str, Field(max_length=64)] | None = None
    work_hours: dict[str, Any] | None = None
    # null takes the group out of its department.
    department_id: RowIdField | None = None
    # Its FAQ bot: {enabled, name, greeting, threshold, max_unanswered, handoff_keywords,
    # out_of_hours}, each optional (actors/bot/settings.py); null: no bot.
    bot: dict[str, Any] | None = None


class SkillGroupOut(BaseModel):
    id: int
    name: str
    display_name: str
    queue_timeout_s: float | None
    overflow_to: str | None
    work_hours: dict[str, Any] | None
    department_id: int | None
    bot: dict[str, Any] | None = None  # with every setting, defaults filled in


class SkillGroupList(BaseModel):
    skill_groups: list[SkillGroupOut]
    next_offset: int | None


def group_out(row: SkillGroupRow) -> SkillGroupOut:
    return SkillGroupOut(id=row.id, name=row.name, display_name=row.display_name,
                         queue_timeout_s=row.queue_timeout_s, overflow_to=row.overflow_to,
                         work_hours=row.work_hours, department_id=row.department_id,
                         bot=_bot_out(row.bot))


def _bot_out(stored: dict[str, Any] | None) -> dict[str, Any] | None:
    try:
        bot = parse_bot_settings(stored)
    except ValueError:  # refused before storing; a hand-edited row shows as stored
        return stored
    return bot.to_json() if bot is not None else None


def _normalized_bot(changes: dict[str, Any]) -> dict[str, Any]:
    """The bot as stored: every setting, checked (422 naming the first problem)."""
    if changes.get("bot") is None:
        return changes
    try:
        bot = parse_bot_settings(changes["bot"])
    except ValueError as error:
        raise ApiError(422, "invalid_request", str(error)) from None
    return {**changes, "bot": bot.to_json()}


def _with_group(config: dict[str, Any], group: dict[str, Any]) -> dict[str, Any]:
    others = [g for g in config["skill_groups"] if g["name"] != group["name"]]
    return {**config, "skill_groups": [*others, group]}


@router.post("", response_model=SkillGroupOut, responses=errors(*AUTHENTICATED, 409))
async def create_skill_group(body: SkillGroupBody, rt: Runtime, who: Caller) -> SkillGroupOut:
    require_role(who, "admin")
    refuse_reserved(body.name)
    if not GROUP_NAME.match(body.name):
        raise ApiError(422, "invalid_request", "name: lower-case letters, digits, - and _ only")
    config = await stored_routing(rt)
    if any(g["name"] == body.name for g in config["skill_groups"]):
        raise ApiError(409, "already_exists", f"skill group {body.name!r} exists")
    group = _normalized_bot({"name": body.name, "display_name": body.display_name or body.name,
                             "queue_timeout_s": body.queue_timeout_s, "overflow_to": body.overflow_to,
                             "work_hours": body.work_hours, "bot": body.bot})
    checked_routing(_with_group(config, group))
    await known_department(rt, body.department_id)
    try:
        row = await store.create_skill_group(rt.db, rt.center_id, **group, department_id=body.department_id)
    except AlreadyExists as error:
        raise ApiError(409, "already_exists", str(error)) from None
    await reload_center(rt)
    await reload_queues(rt, [row.name])
    if body.department_id is not None:
        await reload_monitor_departments(rt)
    return group_out(row)


@router.get("", response_model=SkillGroupList, responses=errors(*AUTHENTICATED))
async def list_skill_groups(rt: Runtime, who: Caller, page: Page) -> SkillGroupList:
    require_role(who, "admin", "supervisor")
    rows, next_offset = page.cut(await store.list_skill_groups(rt.db, rt.center_id, page.fetch, page.offset))
    return SkillGroupList(skill_groups=[group_out(r) for r in rows], next_offset=next_offset)


async def _group(rt: Runtime, name: str) -> SkillGroupRow:
    row = await store.get_skill_group(rt.db, rt.center_id, name)
    if row is None:
        raise ApiError(404, "not_found", f"no skill group {name!r}")
    return row


@router.get("/{name}", response_model=SkillGroupOut, responses=errors(*AUTHENTICATED, 404))
async def get_skill_group(name: str, rt: Runtime, who: Caller) -> SkillGroupOut:
    require_role(who, "admin", "supervisor")
    return group_out(await _group(rt, name))


@router.patch("/{name}", response_model=SkillGroupOut, responses=errors(*AUTHENTICATED, 404))
async def update_skill_group(name: str, body: SkillGroupChange, rt: Runtime, who: Caller) -> SkillGroupOut:
    require_role(who, "admin")
    changes = body.model_dump(include=body.model_fields_set)
    if changes.get("display_name", "") is None:
        del changes["display_name"]  # a group always has a display name
    return await change_group(rt, await _group(rt, name), changes)


async def change_group(rt: Runtime, row: SkillGroupRow, changes: dict[str, Any]) -> SkillGroupOut:
    """Check the changed group on the center's parser, store it, make it live."""
    changes = _normalized_bot(changes)
    config = await stored_routing(rt)
    # The department is not routing: the parser never sees it.
    routing = {key: value for key, value in changes.items() if key != "department_id"}
    checked_routing(_with_group(config, {**group_config(row), **routing}))
    if "department_id" in changes:
        await known_department(rt, changes["department_id"])
    updated = await store.update_skill_group(rt.db, rt.center_id, row.name, changes)
    if updated is None:
        raise ApiError(404, "not_found", f"no skill group {row.name!r}")
    await reload_center(rt)
    await reload_queues(rt, [row.name])
    if "department_id" in changes:
        await reload_monitor_departments(rt)
    return group_out(updated)


@router.delete("/{name}", status_code=204, response_class=Response,
               responses=errors(*AUTHENTICATED, 404, 409))
async def delete_skill_group(name: str, rt: Runtime, who: Caller) -> Response:
    require_role(who, "admin")
    await _group(rt, name)
    config = await stored_routing(rt)
    # Still needed by the router (the default, an overflow target, a rule): 409.
    checked_routing({**config, "skill_groups": [g for g in config["skill_groups"] if g["name"] != name]},
                    status=409, code="in_use")
    waiting = await store.waiting_count(rt.db, rt.center_id, name)
    if waiting:
        raise ApiError(409, "in_use", f"{waiting} visitors are waiting in {name!r}; "
                                      "wait until they are served or move them first")
    members = await store.delete_skill_group(rt.db, rt.center_id, name) or []
    await reload_center(rt)
    await reload_queues(rt, [name])
    await reload_agents(rt, members)
    return Response(status_code=204)
