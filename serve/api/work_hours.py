"""Work hours (工作时间) of the center and of each skill group.

`/api/v1/admin/work-hours` holds the center's hours, `/api/v1/admin/skill-groups/{name}/work-hours`
a group's own (which replace the center's for that group). No hours: always open
(the center) or the center's hours (a group). The shape is actors/routing/work_hours.py's:
`{timezone, weekly: {mon..sun|weekdays|weekends|daily: ["HH:MM-HH:MM", ...]}, closed_dates}`.
A change is tried on the center's parser first and counts from the next chat request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from actors.store.centers import get_center, set_center_routing
from actors.store.skill_groups import get_skill_group
from serve.api.access import Caller, Runtime, require_role
from serve.api.error_responses import AUTHENTICATED, errors
from serve.api.reloads import reload_center
from serve.api.routing_check import checked_routing, stored_routing
from serve.api.skill_groups import change_group
from serve.errors import ApiError

router = APIRouter(prefix="/api/v1/admin", tags=["work hours"])
Span = Annotated[str, Field(min_length=1, max_length=11, examples=["09:00-18:00"])]
GroupName = Annotated[str, Field(min_length=1, max_length=64)]


class WorkHours(BaseModel):
    model_config = ConfigDict(extra="forbid")
    timezone: Annotated[str, Field(min_length=1, max_length=64)] = "UTC"
    weekly: dict[str, Annotated[list[Span], Field(max_length=24)]] = {}
    closed_dates: Annotated[list[Annotated[str, Field(max_length=10)]], Field(max_length=1000)] = []


class WorkHoursOut(BaseModel):
    """`work_hours` null: always open (the center) or the center's hours (a group)."""

    work_hours: WorkHours | None


async def _center_hours_changed(rt: Runtime, hours: dict | None) -> WorkHoursOut:
    config = await stored_routing(rt)
    checked_routing({**config, "work_hours": hours})
    center = await get_center(rt.db, rt.center_id)
    await set_center_routing(rt.db, rt.center_id, {**(center.routing or {}), "work_hours": hours})
    await reload_center(rt)
    return WorkHoursOut(work_hours=hours)


@router.get("/work-hours", response_model=WorkHoursOut, responses=errors(*AUTHENTICATED))
async def center_hours(rt: Runtime, who: Caller) -> WorkHoursOut:
    require_role(who, "admin", "supervisor")
    return WorkHoursOut(work_hours=(await stored_routing(rt)).get("work_hours"))


@router.put("/work-hours", response_model=WorkHoursOut, responses=errors(*AUTHENTICATED))
async def set_center_hours(body: WorkHours, rt: Runtime, who: Caller) -> WorkHoursOut:
    require_role(who, "admin")
    return await _center_hours_changed(rt, body.model_dump())


@router.delete("/work-hours", response_model=WorkHoursOut, responses=errors(*AUTHENTICATED))
async def clear_center_hours(rt: Runtime, who: Caller) -> WorkHoursOut:
    """Always open."""
    require_role(who, "admin")
    return await _center_hours_changed(rt, None)


async def _group(rt: Runtime, name: str):
    row = await get_skill_group(rt.db, rt.center_id, name)
    if row is None:
        raise ApiError(404, "not_found", f"no skill group {name!r}")
    return row


@router.get("/skill-groups/{name}/work-hours", response_model=WorkHoursOut,
            responses=errors(*AUTHENTICATED, 404))
async def group_hours(name: str, rt: Runtime, who: Caller) -> WorkHoursOut:
    require_role(who, "admin", "supervisor")
    return WorkHoursOut(work_hours=(await _group(rt, name)).work_hours)


@router.put("/skill-groups/{name}/work-hours", response_model=WorkHoursOut,
            responses=errors(*AUTHENTICATED, 404))
async def set_group_hours(name: str, body: WorkHours, rt: Runtime, who: Caller) -> WorkHoursOut:
    require_role(who, "admin")
    changed = await change_group(rt, await _group(rt, name), {"work_hours": body.model_dump()})
    return WorkHoursOut(work_hours=changed.work_hours)


@router.delete("/skill-groups/{name}/work-hours", response_model=WorkHoursOut,
               responses=errors(*AUTHENTICATED, 404))
async def clear_group_hours(name: str, rt: Runtime, who: Caller) -> WorkHoursOut:
    """The center's hours apply to the group again."""
    require_role(who, "admin")
    await change_group(rt, await _group(rt, name), {"work_hours": None})
    return WorkHoursOut(work_hours=None)
