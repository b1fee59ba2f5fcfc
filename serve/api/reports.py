"""Reports (报表) for supervisors and admins: conversations and agents over a time range,
with filters and a grouping, as JSON or as CSV and XLSX downloads (README "Reports").

The figures are computed in the database (actors/reports/); this module checks who
asks and what, and renders.
"""

from __future__ import annotations

from datetime import datetime, timezone
from enum import Enum
from typing import Annotated, Any, Iterable

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel

from actors.monitor.seed import monitor_settings
from actors.reports.agent_report import AgentFigures, agent_report
from actors.reports.conversation_report import ConversationFigures, conversation_report
from actors.reports.scope import GroupBy, InvalidScope, ReportScope
from actors.reports.skill_group_report import SkillGroupFigures, skill_group_report
from actors.store.clock import as_utc
from serve.api.access import Caller, Runtime, require_role
from serve.api.scope import caller_scope
from serve.api.error_responses import AUTHENTICATED, errors
from serve.api.report_downloads import CSV_TYPE, XLSX_TYPE, csv_response, file_name, xlsx_response
from serve.api.report_headers import (NO_KEY, TOTAL, Lang, agent_columns, conversation_columns,
                                      skill_group_columns)
from serve.errors import ApiError

router = APIRouter(tags=["reports"])
Name = Annotated[str | None, Query(max_length=64)]
Moment = Annotated[datetime, Query(description="ISO 8601; without a zone, UTC")]


class Format(str, Enum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


_DOWNLOADS = {200: {"content": {CSV_TYPE.split(";")[0]: {}, XLSX_TYPE: {}},
                    "description": "JSON, or a CSV or XLSX download (`format`)"}}


class Filters(BaseModel):
    skill_group: str | None
    agent_id: str | None
    channel: str | None


class ConversationReport(BaseModel):
    since: datetime
    until: datetime
    group_by: GroupBy
    filters: Filters
    rows: list[ConversationFigures]
    total: ConversationFigures


class AgentReport(BaseModel):
    since: datetime
    until: datetime
    group_by: GroupBy
    filters: Filters
    rows: list[AgentFigures]


class SkillGroupReport(BaseModel):
    since: datetime
    until: datetime
    group_by: GroupBy
    filters: Filters
    answer_within_s: float  # the service level's target (center settings, monitor)
    rows: list[SkillGroupFigures]


async def _scope(rt: Any, who: Any, since: datetime, until: datetime, skill_group: str | None,
                 agent_id: str | None, channel: str | None, group_by: GroupBy) -> ReportScope:
    require_role(who, "admin", "supervisor")
    departments = await caller_scope(rt, who)
    try:
        scope = ReportScope(who.center_id, _utc(since), _utc(until), skill_group=skill_group,
                            agent_id=agent_id, channel=channel, departments=departments)
        scope.check_grouping(group_by)
    except InvalidScope as invalid:
        raise ApiError(422, "invalid_request", str(invalid)) from None
    return scope


def _utc(value: datetime) -> datetime:
    return as_utc(value).astimezone(timezone.utc)


def _filters(scope: ReportScope) -> Filters:
    return Filters(skill_group=scope.skill_group, agent_id=scope.agent_id, channel=scope.channel)


@router.get("/api/v1/reports/conversations", response_model=ConversationReport,
            responses={**_DOWNLOADS, **errors(*AUTHENTICATED)})
async def conversations(rt: Runtime, who: Caller, since: Moment, until: Moment, skill_group: Name = None,
                        agent_id: Name = None, channel: Name = None, group_by: GroupBy = GroupBy.NONE,
                        format: Format = Format.JSON, lang: Lang = Lang.EN) -> Any:
    """The conversations requested in [since, until), grouped by `group_by`; `total` is all of them."""
    scope = await _scope(rt, who, since, until, skill_group, agent_id, channel, group_by)
    rows = await conversation_report(rt.db, scope, group_by)
    if group_by is not GroupBy.NONE:  # a p90 of all the groups is not made of the groups' p90s
        rows_of_all = await conversation_report(rt.db, scope, GroupBy.NONE)
    else:
        rows_of_all = rows
    total = rows_of_all[0] if rows_of_all else _no_conversations()
    if format is Format.JSON:
        return ConversationReport(since=scope.since, until=scope.until, group_by=group_by,
                                  filters=_filters(scope),
                                  rows=rows if group_by is not GroupBy.NONE else [total],
                                  total=total)
    fields, headers = conversation_columns(lang, group_by)
    lines = _conversation_lines(fields, rows, total, group_by, lang)
    return await _download(format, "conversations", scope, headers, lines)


def _no_conversations() -> ConversationFigures:
    return ConversationFigures(None, 0, 0, 0, 0, 0, 0, None, None, None, None, 0, None)


def _conversation_lines(fields: list[str], rows: list[ConversationFigures], total: ConversationFigures,
                        group_by: GroupBy, lang: Lang) -> Iterable[list[Any]]:
    for row in rows if group_by is not GroupBy.NONE else ():
        values = row.as_dict()
        yield [NO_KEY[lang] if row.key is None else row.key] + [values[f] for f in fields[1:]]
    values = total.as_dict()
    yield [TOTAL[lang]] + [values[f] for f in fields[1:]]


@router.get("/api/v1/reports/agents", response_model=AgentReport,
            responses={**_DOWNLOADS, **errors(*AUTHENTICATED)})
async def agents(rt: Runtime, who: Caller, since: Moment, until: Moment, skill_group: Name = None,
                 agent_id: Name = None, channel: Name = None, group_by: GroupBy = GroupBy.NONE,
                 format: Format = Format.JSON, lang: Lang = Lang.EN) -> Any:
    """Per agent (and per day or hour): presence, conversations served, messages, first
    response and ratings within [since, until)."""
    scope = await _scope(rt, who, since, until, skill_group, agent_id, channel, group_by)
    try:
        rows = await agent_report(rt.db, scope, group_by)
    except InvalidScope as invalid:
        raise ApiError(422, "invalid_request", str(invalid)) from None
    if format is Format.JSON:
        return AgentReport(since=scope.since, until=scope.until, group_by=group_by, filters=_filters(scope),
                           rows=rows)
    fields, headers = agent_columns(lang, group_by)
    lines = ([row.as_dict()[f] for f in fields] for row in rows)
    return await _download(format, "agents", scope, headers, lines)


@router.get("/api/v1/reports/skill-groups", response_model=SkillGroupReport,
            responses={**_DOWNLOADS, **errors(*AUTHENTICATED)})
async def skill_groups(rt: Runtime, who: Caller, since: Moment, until: Moment, skill_group: Name = None,
                       agent_id: Name = None, channel: Name = None, group_by: GroupBy = GroupBy.NONE,
                       format: Format = Format.JSON, lang: Lang = Lang.EN) -> Any:
    """Per skill group (and per day or hour): the entries that left its line in
    [since, until), by outcome, their waits and the service level."""
    scope = await _scope(rt, who, since, until, skill_group, agent_id, channel, group_by)
    target = (await monitor_settings(rt.db, who.center_id)).answer_within_s
    try:
        rows = await skill_group_report(rt.db, scope, group_by, target)
    except InvalidScope as invalid:
        raise ApiError(422, "invalid_request", str(invalid)) from None
    if format is Format.JSON:
        return SkillGroupReport(since=scope.since, until=scope.until, group_by=group_by,
                                filters=_filters(scope), answer_within_s=target, rows=rows)
    fields, headers = skill_group_columns(lang, group_by)
    lines = ([row.as_dict()[f] for f in fields] for row in rows)
    return await _download(format, "skill-groups", scope, headers, lines)


async def _download(format: Format, report: str, scope: ReportScope, headers: list[str],
                    lines: Iterable[list[Any]]) -> Response:
    name = file_name(report, scope.since, scope.until, format.value)
    if format is Format.CSV:
        return csv_response(headers, lines, name)
    return await xlsx_response(report, headers, lines, name)
