"""What every report endpoint asks (README "Reports"): the range, the filters, the viewer's
time zone, the format; who may ask (admins, supervisors in their departments); and how a
download is named and rendered. Shared by serve/api/reports.py, customer_reports.py and
left_message_reports.py.

The time zone (`tz`, an IANA name) makes the days and hours the zone's local ones; without
it, the center's own (its work hours' `timezone`), else UTC. A `since` or `until` written
without an offset is read in that zone, so `since=2026-12-02T00:00&tz=Asia/Shanghai` is
Beijing's midnight.
"""

from __future__ import annotations

from datetime import datetime, timezone, tzinfo
from enum import Enum
from typing import Annotated, Any, Callable, Iterable

from fastapi import Query
from fastapi.responses import Response
from pydantic import BaseModel

from actors.reports.center_zone import center_zone
from actors.reports.periods import UnknownZone, zone_named
from actors.reports.scope import GroupBy, InvalidScope, ReportScope
from actors.store.department_tree import subtree
from actors.store.departments import parents as department_parents
from serve.api.access import require_role
from serve.api.report_downloads import CSV_TYPE, XLSX_TYPE, csv_response, file_name, xlsx_response
from serve.api.scope import caller_scope
from serve.api.row_ids import MAX_ROW_ID
from serve.errors import ApiError

Name = Annotated[str | None, Query(max_length=64)]
DepartmentFilter = Annotated[int | None, Query(
    ge=1, le=MAX_ROW_ID, description="only this department's conversations and agents, its sub-departments' "
                      "included (within the caller's own departments; another is a 404)")]
Moment = Annotated[datetime, Query(description="ISO 8601; without an offset, local time in `tz`")]
Zone = Annotated[str | None, Query(
    max_length=64, examples=["Asia/Shanghai"],
    description="IANA time zone of the days and hours (periods, labels, downloads); default: the "
                "center's work hours' zone, else UTC. An unknown name is a 422.")]


class Format(str, Enum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


DOWNLOADS = {200: {"content": {CSV_TYPE.split(";")[0]: {}, XLSX_TYPE: {}},
                   "description": "JSON, or a CSV or XLSX download (`format`)"}}


class Filters(BaseModel):
    skill_group: str | None
    agent_id: str | None
    channel: str | None
    department_id: int | None = None


def filters(scope: ReportScope) -> Filters:
    return Filters(skill_group=scope.skill_group, agent_id=scope.agent_id, channel=scope.channel,
                   department_id=scope.department_id)


async def report_zone(rt: Any, center_id: str, tz: str | None) -> tzinfo:
    """`tz`, else the center's work hours' zone, else UTC; a 422 for an unknown name."""
    if tz is not None:
        try:
            return zone_named(tz)
        except UnknownZone as unknown:
            raise ApiError(422, "invalid_request", str(unknown)) from None
    return await center_zone(rt.db, center_id)


async def report_scope(rt: Any, who: Any, since: datetime, until: datetime, skill_group: str | None,
                       agent_id: str | None, channel: str | None, group_by: GroupBy, tz: str | None,
                       check: Callable[[ReportScope, GroupBy], None] | None = None,
                       department_id: int | None = None) -> ReportScope:
    """The caller's report: admins and supervisors only, a supervisor's within their
    departments, narrowed to `department_id`'s subtree when given; a bad range, grouping
    (`check`, default the scope's own) or zone is a 422."""
    require_role(who, "admin", "supervisor")
    departments = await caller_scope(rt, who)
    if department_id is not None:
        departments = await _narrowed(rt, who.center_id, departments, department_id)
    zone = await report_zone(rt, who.center_id, tz)
    try:
        scope = ReportScope(who.center_id, _utc(since, zone), _utc(until, zone), skill_group=skill_group,
                            agent_id=agent_id, channel=channel, departments=departments, zone=zone,
                            department_id=department_id)
        (check or ReportScope.check_grouping)(scope, group_by)
    except InvalidScope as invalid:
        raise ApiError(422, "invalid_request", str(invalid)) from None
    return scope


async def _narrowed(rt: Any, center_id: str, scope: frozenset[int] | None, department_id: int) -> frozenset[int]:
    """The department and those under it; one outside the caller's scope is not theirs to
    name, and answers as one that does not exist."""
    if scope is not None and department_id not in scope:
        raise ApiError(404, "not_found", "no such department")
    inside = subtree(await department_parents(rt.db, center_id), department_id)
    if not inside:
        raise ApiError(404, "not_found", "no such department")
    return inside


def _utc(value: datetime, zone: tzinfo) -> datetime:
    local = value if value.tzinfo else value.replace(tzinfo=zone)
    return local.astimezone(timezone.utc)


def zone_name(scope: ReportScope) -> str:
    return scope.calendar.name


def download_name(report: str, scope: ReportScope, extension: str) -> str:
    """The file's dates are the zone's local ones, as its rows are."""
    return file_name(report, scope.since.astimezone(scope.zone), scope.until.astimezone(scope.zone), extension)


async def download(format: Format, report: str, scope: ReportScope, headers: list[str],
                   lines: Iterable[list[Any]]) -> Response:
    name = download_name(report, scope, format.value)
    if format is Format.CSV:
        return csv_response(headers, lines, name)
    return await xlsx_response(report, headers, lines, name)
