"""The customers report (客户统计) for supervisors and admins: the visitors who had a
conversation in a range, new and returning, where they came from, where they are, what
they browse with and what they wrote, as JSON or as a CSV or XLSX download (README
"Reports"). Same query as the other reports (serve/api/reports.py); the figures are
computed in the database (actors/reports/customer_report.py, visitor_breakdowns.py,
message_words.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from fastapi import APIRouter
from pydantic import BaseModel

from actors.reports.customer_report import CustomerCounts, check_grouping, customer_counts
from actors.reports.message_words import MessageWords, message_words
from actors.reports.scope import GroupBy
from actors.reports.visitor_breakdowns import (LISTS, PlaceShare, Share, SourceShare, VisitorBreakdowns,
                                              visitor_breakdowns)
from serve.api.access import Caller, Runtime
from serve.api.customer_headers import COLUMNS, COUNT_HEADERS, LIST_TITLES, WORDED, count_fields, value_word
from serve.api.error_responses import AUTHENTICATED, errors
from serve.api.report_downloads import Sheet, csv_response, xlsx_book_response
from serve.api.report_headers import TOTAL, Lang, key_header
from serve.api.report_query import (DOWNLOADS, DepartmentFilter, Filters, Format, Moment, Name, Zone,
                                    download_name, filters, report_scope, zone_name)
from serve.api.reports import TimeZone
from serve.region import Location

router = APIRouter(tags=["reports"])


class Place(BaseModel):
    country: str | None  # ISO 3166-1 alpha-2; None: not recorded
    province: str | None  # mainland China only
    city: str | None
    display: str | None  # "浙江 杭州", "浙江", "US"
    visitors: int


class CustomerReport(BaseModel):
    since: datetime
    until: datetime
    group_by: GroupBy
    filters: Filters
    tz: str = TimeZone
    rows: list[CustomerCounts]  # per period; with group_by none, [total]
    total: CustomerCounts
    source_kinds: list[Share]
    sources: list[SourceShare]
    search_keywords: list[Share]
    regions: list[Place]
    cities: list[Place]
    devices: list[Share]
    browsers: list[Share]
    operating_systems: list[Share]
    channels: list[Share]
    message_words: MessageWords


@router.get("/api/v1/reports/customers", response_model=CustomerReport,
            responses={**DOWNLOADS, **errors(*AUTHENTICATED, 404)})
async def customers(rt: Runtime, who: Caller, since: Moment, until: Moment, skill_group: Name = None,
                    agent_id: Name = None, channel: Name = None, group_by: GroupBy = GroupBy.NONE,
                    format: Format = Format.JSON, lang: Lang = Lang.EN, tz: Zone = None,
                    department_id: DepartmentFilter = None) -> Any:
    """The visitors with a conversation requested in [since, until) (in the filters and the
    caller's departments): counts per `group_by` (none, hour, day, week or month) and for the whole
    range, and top-20 lists of sources, regions, devices, channels and keywords."""
    scope = await report_scope(rt, who, since, until, skill_group, agent_id, channel, group_by, tz,
                               check=check_grouping, department_id=department_id)
    rows = await customer_counts(rt.db, scope, group_by)
    # The range's visitors are not the periods' added up (one who came on two days is in both).
    total = rows[0] if group_by is GroupBy.NONE else (await customer_counts(rt.db, scope, GroupBy.NONE))[0]
    breakdowns, words = await visitor_breakdowns(rt.db, scope), await message_words(rt.db, scope)
    report = CustomerReport(
        since=scope.since, until=scope.until, group_by=group_by,
        filters=filters(scope),
        tz=zone_name(scope),
        rows=rows, total=total, **_lists(breakdowns), message_words=words)
    if format is Format.JSON:
        return report
    name = download_name("customers", scope, format.value)
    if format is Format.CSV:
        header, *rest = _sheets(report, lang)
        return csv_response(header[1], _csv_lines(header[2], rest), name)
    return await xlsx_book_response(_sheets(report, lang), name)


def _lists(breakdowns: VisitorBreakdowns) -> dict[str, Any]:
    lists = {name: getattr(breakdowns, name) for name in breakdowns.__dataclass_fields__}
    for name in ("regions", "cities"):
        lists[name] = [_place(p) for p in lists[name]]
    return lists


def _place(share: PlaceShare) -> Place:
    display = Location(share.country, share.province, share.city).display
    return Place(country=share.country, province=share.province, city=share.city, display=display,
                 visitors=share.visitors)


def _sheets(report: CustomerReport, lang: Lang) -> list[Sheet]:
    """The counts, then one sheet per list (a CSV has them one after another)."""
    fields, columns = count_fields(), COLUMNS[lang]
    grouped = report.group_by is not GroupBy.NONE
    counts = [[row.period] + [getattr(row, f) for f in fields] for row in (report.rows if grouped else ())]
    counts.append([TOTAL[lang]] + [getattr(report.total, f) for f in fields])
    sheets: list[Sheet] = [(columns["sheet"], [key_header(lang, report.group_by, report.tz)]
                            + [COUNT_HEADERS[lang][f] for f in fields], counts)]
    titles = LIST_TITLES[lang]
    for name in LISTS:  # in the JSON's order
        sheets.append((titles[name], *_list_table(name, getattr(report, name), titles[name], lang)))
    words = report.message_words
    sheets.append((titles["message_words"], [titles["message_words"], columns["count"]],
                   [[w.word, w.count] for w in words.words]
                   + [[columns["messages"], words.messages], [columns["messages_read"], words.messages_read]]))
    return sheets


def _list_table(name: str, items: list[Any], title: str, lang: Lang) -> tuple[list[str], list[list[Any]]]:
    columns = COLUMNS[lang]
    if name == "sources":
        return ([title, columns["kind"], columns["visitors"]],
                [[s.name, value_word(lang, s.kind, True), s.visitors] for s in items])
    if name in ("regions", "cities"):
        return [title, columns["visitors"]], [[value_word(lang, p.display, False), p.visitors] for p in items]
    return [title, columns["visitors"]], [[value_word(lang, s.key, name in WORDED), s.visitors] for s in items]


def _csv_lines(first: Iterable[list[Any]], rest: list[Sheet]) -> Iterable[list[Any]]:
    yield from first
    for _, headers, lines in rest:
        yield []  # a blank line between two tables
        yield list(headers)
        yield from lines
