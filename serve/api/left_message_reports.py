"""The left messages report (留言统计) for supervisors and admins: the messages left in a
range and what had become of them by its end (actors/reports/left_message_report.py), as
JSON or as CSV and XLSX downloads, with the query, scope and checks of the other reports
(serve/api/reports.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from fastapi import APIRouter
from pydantic import BaseModel

from actors.reports.left_message_report import NONE, LeftMessageFigures, left_message_report
from actors.reports.scope import GroupBy
from serve.api.access import Caller, Runtime
from serve.api.error_responses import AUTHENTICATED, errors
from serve.api.left_message_report_headers import left_message_columns
from serve.api.report_headers import NO_KEY, TOTAL, Lang
from serve.api.report_query import (DOWNLOADS, DepartmentFilter, Filters, Format, Moment, Name, Zone,
                                    download, filters, report_scope, zone_name)
from serve.api.reports import TimeZone

router = APIRouter(tags=["reports"])


class LeftMessageReport(BaseModel):
    since: datetime
    until: datetime
    group_by: GroupBy
    filters: Filters
    tz: str = TimeZone
    rows: list[LeftMessageFigures]
    total: LeftMessageFigures


@router.get("/api/v1/reports/left-messages", response_model=LeftMessageReport,
            responses={**DOWNLOADS, **errors(*AUTHENTICATED, 404)})
async def left_messages(rt: Runtime, who: Caller, since: Moment, until: Moment, skill_group: Name = None,
                        agent_id: Name = None, channel: Name = None, group_by: GroupBy = GroupBy.NONE,
                        format: Format = Format.JSON, lang: Lang = Lang.EN, tz: Zone = None,
                        department_id: DepartmentFilter = None) -> Any:
    """The messages left in [since, until), grouped by `group_by`, each as it stood at `until`:
    assigned, replied (in the widget or by email first), closed without a reply, still open,
    and the time to the first reply; `total` is all of them. `agent_id` and `group_by=agent`
    are the agent each was last assigned to."""
    scope = await report_scope(rt, who, since, until, skill_group, agent_id, channel, group_by, tz,
                               department_id=department_id)
    rows = await left_message_report(rt.db, scope, group_by)
    # A p90 of all the groups is not made of the groups' p90s: asked for on its own.
    every = rows if group_by is GroupBy.NONE else await left_message_report(rt.db, scope, GroupBy.NONE)
    total = every[0] if every else NONE
    if format is Format.JSON:
        return LeftMessageReport(since=scope.since, until=scope.until, group_by=group_by, filters=filters(scope),
                                 tz=zone_name(scope),
                                 rows=rows if group_by is not GroupBy.NONE else [total], total=total)
    fields, headers = left_message_columns(lang, group_by, zone_name(scope))
    return await download(format, "left-messages", scope, headers, _lines(fields, rows, total, group_by, lang))


def _lines(fields: list[str], rows: list[LeftMessageFigures], total: LeftMessageFigures, group_by: GroupBy,
           lang: Lang) -> Iterable[list[Any]]:
    for row in rows if group_by is not GroupBy.NONE else ():
        values = row.as_dict()
        yield [NO_KEY[lang] if row.key is None else row.key] + [values[f] for f in fields[1:]]
    values = total.as_dict()
    yield [TOTAL[lang]] + [values[f] for f in fields[1:]]
