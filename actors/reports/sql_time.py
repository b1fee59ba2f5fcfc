"""Time arithmetic in SQL that SQLite and PostgreSQL spell differently: the seconds
between two timestamps, and the local period (hour, day, week, month, in the report's zone) a
timestamp falls in.

SQLite keeps SQLAlchemy's timestamps as UTC text ('2026-12-02 07:21:19.123456'),
which julianday() and strftime() read; PostgreSQL has real timestamps.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import DateTime, Float, Integer, String, case, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from actors.reports.periods import Period, Span, ZoneCalendar


class seconds_between(FunctionElement):
    """`later - earlier` in seconds (a float; NULL if either is NULL)."""

    type = Float()
    inherit_cache = True
    name = "seconds_between"


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element: seconds_between, compiler: Any, **kw: Any) -> str:
    earlier, later = (compiler.process(c, **kw) for c in element.clauses)
    return f"((julianday({later}) - julianday({earlier})) * 86400.0)"


@compiles(seconds_between, "postgresql")
def _seconds_postgres(element: seconds_between, compiler: Any, **kw: Any) -> str:
    earlier, later = (compiler.process(c, **kw) for c in element.clauses)
    return f"EXTRACT(EPOCH FROM ({later} - {earlier}))"


class period_label(FunctionElement):
    """The label of the period a timestamp falls in, the timestamp shifted by a bound
    offset (seconds) and, for an hour, followed by a bound suffix (`Z`, `+08:00`), as
    actors.reports.periods.ZoneCalendar names it. One subclass per period: the period is
    in the SQL text, so it must be in the class (a bound value would not be part of
    SQLAlchemy's statement cache key)."""

    type = String()
    inherit_cache = True
    name = "period_label"
    period: Period = Period.DAY


class _day_of(period_label):
    inherit_cache = True
    period = Period.DAY


class _hour_of(period_label):
    inherit_cache = True
    period = Period.HOUR


class _week_of(period_label):
    inherit_cache = True
    period = Period.WEEK


class _month_of(period_label):
    inherit_cache = True
    period = Period.MONTH


_KINDS = {Period.DAY: _day_of, Period.HOUR: _hour_of, Period.WEEK: _week_of, Period.MONTH: _month_of}
# A week is labelled by its Monday: back 6 days, then on to the next Monday (or the same day).
_SQLITE_FORMATS = {Period.DAY: "%Y-%m-%d", Period.HOUR: "%Y-%m-%dT%H:00", Period.WEEK: "%Y-%m-%d",
                   Period.MONTH: "%Y-%m"}
_SQLITE_AFTER = {Period.WEEK: ", '-6 days', 'weekday 1'"}
# PostgreSQL's weeks (date_trunc) begin on Monday too.
_POSTGRES_FORMATS = {Period.DAY: "YYYY-MM-DD", Period.HOUR: 'YYYY-MM-DD"T"HH24:00', Period.WEEK: "YYYY-MM-DD",
                     Period.MONTH: "YYYY-MM"}


@compiles(period_label, "sqlite")
def _period_sqlite(element: period_label, compiler: Any, **kw: Any) -> str:
    at, offset, *suffix = (compiler.process(c, **kw) for c in element.clauses)
    period = element.period
    label = (f"strftime('{_SQLITE_FORMATS[period]}', {at}, ({offset}) || ' seconds'"
             f"{_SQLITE_AFTER.get(period, '')})")
    return f"({label} || {suffix[0]})" if suffix else label


@compiles(period_label, "postgresql")
def _period_postgres(element: period_label, compiler: Any, **kw: Any) -> str:
    at, offset, *suffix = (compiler.process(c, **kw) for c in element.clauses)
    local = f"(({at} AT TIME ZONE 'UTC') + CAST({offset} AS INTEGER) * INTERVAL '1 second')"
    if element.period is Period.WEEK:
        local = f"date_trunc('week', {local})"
    label = f"to_char({local}, '{_POSTGRES_FORMATS[element.period]}')"
    return f"({label} || CAST({suffix[0]} AS VARCHAR))" if suffix else label


def in_period(at: ColumnElement[Any], period: Period, calendar: ZoneCalendar) -> ColumnElement[Any]:
    """The local period `at` falls in: one label per span of the range's offsets, the
    first span's also before the range, the last one's after it."""
    kind = _KINDS[period]

    def label(span: Span) -> ColumnElement[Any]:
        offset = literal(span.offset_s, Integer())
        # A day's label has no offset; an hour's ends with it (a bound value PostgreSQL
        # could not type if the SQL did not use it).
        return kind(at, offset, literal(span.suffix, String())) if period is Period.HOUR else kind(at, offset)

    *changing, last = calendar.spans
    if not changing:
        return label(last)
    return case(*((at < literal(span.end, DateTime(timezone=True)), label(span)) for span in changing),
                else_=label(last))
