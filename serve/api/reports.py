"""Reports (报表) for supervisors and admins: conversations, agents and skill groups over a
time range, with filters, a grouping and the viewer's time zone, as JSON or as CSV and XLSX
downloads (README "Reports"; the query they share: serve/api/report_query.py).

The figures are computed in the database (actors/reports/); this module checks who
asks and what, and renders.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from fastapi import APIRouter
from pydantic import BaseModel, Field

from actors.monitor.seed import monitor_settings
from actors.reports.agent_report import AgentFigures, agent_report
from actors.reports.conversation_report import ConversationFigures, conversation_report
from actors.reports.scope import GroupBy, InvalidScope
from actors.reports.skill_group_report import SkillGroupFigures, skill_group_report
from serve.api.access import Caller, Runtime
from serve.api.error_responses import AUTHENTICATED, errors
from serve.api.report_headers import (NO_KEY, TOTAL, Lang, agent_columns, conversation_columns,
                                      skill_group_columns)
from serve.api.report_query import (DOWNLOADS, DepartmentFilter, Filters, Format, Moment, Name, Zone,
                                    download, filters, report_scope, zone_name)
from serve.errors import ApiError

router = APIRouter(tags=["reports"])
# The zone a report's days and hours are in (an IANA name), as the response says it.
TimeZone = Field(examples=["Asia/Shanghai"], description="IANA zone of the periods' local days and hours")


class ConversationReport(BaseModel):
    since: datetime
    until: datetime
    group_by: GroupBy
    filters: Filters
    tz: str = TimeZone
    rows: list[ConversationFigures]
    total: ConversationFigures


class AgentReport(BaseModel):
    since: datetime
    until: datetime
    group_by: GroupBy
    filters: Filters
    tz: str = TimeZone
    rows: list[AgentFigures]


class SkillGroupReport(BaseModel):
    since: datetime
    until: datetime
    group_by: GroupBy
    filters: Filters
    tz: str = TimeZone
    answer_within_s: float  # the service level's target (center settings, monitor)
    rows: list[SkillGroupFigures]


@router.get("/api/v1/reports/conversations", response_model=ConversationReport,
            responses={**DOWNLOADS, **errors(*AUTHENTICATED, 404)})
async def conversations(rt: Runtime, who: Caller, since: Moment, until: Moment, skill_group: Name = None,
                        agent_id: Name = None, channel: Name = None, group_by: GroupBy = GroupBy.NONE,
                        format: Format = Format.JSON, lang: Lang = Lang.EN, tz: Zone = None,
                        department_id: DepartmentFilter = None) -> Any:
    """The conversations requested in [since, until), grouped by `group_by`; `total` is all of them."""
    scope = await report_scope(rt, who, since, until, skill_group, agent_id, channel, group_by, tz,
                               department_id=department_id)
    rows = await conversation_report(rt.db, scope, group_by)
    if group_by is not GroupBy.NONE:  # a p90 of all the groups is not made of the groups' p90s
        rows_of_all = await conversation_report(rt.db, scope, GroupBy.NONE)
    else:
        rows_of_all = rows
    total = rows_of_all[0] if rows_of_all else _no_conversations()
    if format is Format.JSON:
        return ConversationReport(since=scope.since, until=scope.until, group_by=group_by,
                                  filters=filters(scope), tz=zone_name(scope),
                                  rows=rows if group_by is not GroupBy.NONE else [total],
                                  total=total)
    fields, headers = conversation_columns(lang, group_by, zone_name(scope))
    lines = _conversation_lines(fields, rows, total, group_by, lang)
    return await download(format, "conversations", scope, headers, lines)


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
            responses={**DOWNLOADS, **errors(*AUTHENTICATED, 404)})
async def agents(rt: Runtime, who: Caller, since: Moment, until: Moment, skill_group: Name = None,
                 agent_id: Name = None, channel: Name = None, group_by: GroupBy = GroupBy.NONE,
                 format: Format = Format.JSON, lang: Lang = Lang.EN, tz: Zone = None,
                        department_id: DepartmentFilter = None) -> Any:
    """Per agent (and per hour, day, week or month): presence, conversations served, messages, first
    response and ratings within [since, until)."""
    scope = await report_scope(rt, who, since, until, skill_group, agent_id, channel, group_by, tz,
                               department_id=department_id)
    try:
        rows = await agent_report(rt.db, scope, group_by)
    except InvalidScope as invalid:
        raise ApiError(422, "invalid_request", str(invalid)) from None
    if format is Format.JSON:
        return AgentReport(since=scope.since, until=scope.until, group_by=group_by, filters=filters(scope),
                           tz=zone_name(scope), rows=rows)
    fields, headers = agent_columns(lang, group_by, zone_name(scope))
    lines = ([row.as_dict()[f] for f in fields] for row in rows)
    return await download(format, "agents", scope, headers, lines)


@router.get("/api/v1/reports/skill-groups", response_model=SkillGroupReport,
            responses={**DOWNLOADS, **errors(*AUTHENTICATED, 404)})
async def skill_groups(rt: Runtime, who: Caller, since: Moment, until: Moment, skill_group: Name = None,
                       agent_id: Name = None, channel: Name = None, group_by: GroupBy = GroupBy.NONE,
                       format: Format = Format.JSON, lang: Lang = Lang.EN, tz: Zone = None,
                        department_id: DepartmentFilter = None) -> Any:
    """Per skill group (and per hour, day, week or month): the entries that left its line in
    [since, until), by outcome, their waits and the service level."""
    scope = await report_scope(rt, who, since, until, skill_group, agent_id, channel, group_by, tz,
                               department_id=department_id)
    target = (await monitor_settings(rt.db, who.center_id)).answer_within_s
    try:
        rows = await skill_group_report(rt.db, scope, group_by, target)
    except InvalidScope as invalid:
        raise ApiError(422, "invalid_request", str(invalid)) from None
    if format is Format.JSON:
        return SkillGroupReport(since=scope.since, until=scope.until, group_by=group_by,
                                filters=filters(scope), tz=zone_name(scope), answer_within_s=target, rows=rows)
    fields, headers = skill_group_columns(lang, group_by, zone_name(scope))
    lines = ([row.as_dict()[f] for f in fields] for row in rows)
    return await download(format, "skill-groups", scope, headers, lines)
