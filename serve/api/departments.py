"""Departments (部门): `/api/v1/admin/departments` (admins change, supervisors read their scope).

A tree per center, answered flat with parent ids (and each department's agent
count) so a console draws it without another call. A name is unique among its
siblings; a move under the department's own subtree is refused (409), and so is
deleting a department that still has sub-departments, agents or skill groups.
A supervisor sees the departments in their scope only; others are not found.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from actors.store import departments as store
from actors.store.departments import DepartmentConflict, DepartmentRecord
from actors.store.records import AlreadyExists
from serve.api.access import Caller, Runtime, require_role
from serve.api.error_responses import AUTHENTICATED, errors
from serve.api.reloads import reload_monitor_departments
from serve.api.scope import caller_scope
from serve.api.row_ids import RowIdField, RowIdPath
from serve.errors import ApiError

router = APIRouter(prefix="/api/v1/admin/departments", tags=["departments"])
DepartmentName = Annotated[str, Field(min_length=1, max_length=200)]


class DepartmentBody(BaseModel):
    name: DepartmentName
    parent_id: RowIdField | None = None


class DepartmentChange(BaseModel):
    """Only the fields given change; `parent_id: null` makes it a top-level department."""

    name: DepartmentName | None = None
    parent_id: RowIdField | None = None


class DepartmentOut(BaseModel):
    id: int
    name: str
    parent_id: int | None
    agent_count: int


class DepartmentList(BaseModel):
    departments: list[DepartmentOut]


def department_out(record: DepartmentRecord) -> DepartmentOut:
    return DepartmentOut(id=record.id, name=record.name, parent_id=record.parent_id,
                         agent_count=record.agent_count)


def _no_parent(parent_id: object) -> ApiError:
    return ApiError(422, "unknown_department", f"no department {parent_id}")


@router.get("", response_model=DepartmentList, responses=errors(*AUTHENTICATED))
async def list_departments(rt: Runtime, who: Caller) -> DepartmentList:
    require_role(who, "admin", "supervisor")
    records = await store.list_departments(rt.db, rt.center_id, await caller_scope(rt, who))
    return DepartmentList(departments=[department_out(r) for r in records])


async def _department(rt: Runtime, who: Caller, department_id: int) -> DepartmentOut:
    scope = await caller_scope(rt, who)
    found = [r for r in await store.list_departments(rt.db, rt.center_id, scope) if r.id == department_id]
    if not found:
        raise ApiError(404, "not_found", "no such department")
    return department_out(found[0])


@router.post("", response_model=DepartmentOut, responses=errors(*AUTHENTICATED, 409))
async def create_department(body: DepartmentBody, rt: Runtime, who: Caller) -> DepartmentOut:
    require_role(who, "admin")
    try:
        department_id = await store.create_department(rt.db, rt.center_id, body.name.strip(), body.parent_id)
    except KeyError:
        raise _no_parent(body.parent_id) from None
    except AlreadyExists as error:
        raise ApiError(409, "already_exists", str(error)) from None
    await reload_monitor_departments(rt)
    return await _department(rt, who, department_id)


@router.get("/{department_id}", response_model=DepartmentOut, responses=errors(*AUTHENTICATED, 404))
async def get_department(department_id: RowIdPath, rt: Runtime, who: Caller) -> DepartmentOut:
    require_role(who, "admin", "supervisor")
    return await _department(rt, who, department_id)


@router.patch("/{department_id}", response_model=DepartmentOut, responses=errors(*AUTHENTICATED, 404, 409))
async def update_department(department_id: RowIdPath, body: DepartmentChange, rt: Runtime,
                            who: Caller) -> DepartmentOut:
    require_role(who, "admin")
    changes = body.model_dump(include=body.model_fields_set)
    if changes.get("name", "") is None:
        del changes["name"]  # a department always has a name
    elif "name" in changes:
        changes["name"] = changes["name"].strip()
    try:
        found = await store.update_department(rt.db, rt.center_id, department_id, changes)
    except KeyError:
        raise _no_parent(changes.get("parent_id")) from None
    except AlreadyExists as error:
        raise ApiError(409, "already_exists", str(error)) from None
    except DepartmentConflict as error:
        raise ApiError(409, "cycle", str(error)) from None
    if not found:
        raise ApiError(404, "not_found", "no such department")
    await reload_monitor_departments(rt)
    return await _department(rt, who, department_id)


@router.delete("/{department_id}", status_code=204, response_class=Response,
               responses=errors(*AUTHENTICATED, 404, 409))
async def delete_department(department_id: RowIdPath, rt: Runtime, who: Caller) -> Response:
    require_role(who, "admin")
    try:
        found = await store.delete_department(rt.db, rt.center_id, department_id)
    except DepartmentConflict as error:
        raise ApiError(409, "in_use", str(error)) from None
    if not found:
        raise ApiError(404, "not_found", "no such department")
    await reload_monitor_departments(rt)
    return Response(status_code=204)
