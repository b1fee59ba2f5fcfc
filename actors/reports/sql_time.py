"""Time arithmetic in SQL that SQLite and PostgreSQL spell differently: the seconds
between two timestamps, and the period (day, hour; UTC) a timestamp falls in.

SQLite keeps SQLAlchemy's timestamps as UTC text ('2026-12-02 07:21:19.123456'),
which julianday() and strftime() read; PostgreSQL has real timestamps.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from actors.reports.periods import Period


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
    """The label of the period a timestamp falls in, as actors.reports.periods names it.
    One subclass per period: the period is in the SQL text, so it must be in the class
    (a bound value would not be part of SQLAlchemy's statement cache key)."""

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


_SQLITE_FORMATS = {Period.DAY: "%Y-%m-%d", Period.HOUR: "%Y-%m-%dT%H:00Z"}
_POSTGRES_FORMATS = {Period.DAY: "YYYY-MM-DD", Period.HOUR: 'YYYY-MM-DD"T"HH24:00"Z"'}


@compiles(period_label, "sqlite")
def _period_sqlite(element: period_label, compiler: Any, **kw: Any) -> str:
    (at,) = (compiler.process(c, **kw) for c in element.clauses)
    return f"strftime('{_SQLITE_FORMATS[element.period]}', {at})"


@compiles(period_label, "postgresql")
def _period_postgres(element: period_label, compiler: Any, **kw: Any) -> str:
    (at,) = (compiler.process(c, **kw) for c in element.clauses)
    return f"to_char({at} AT TIME ZONE 'UTC', '{_POSTGRES_FORMATS[element.period]}')"


def in_period(at: ColumnElement[Any], period: Period) -> period_label:
    return (_day_of if period is Period.DAY else _hour_of)(at)
