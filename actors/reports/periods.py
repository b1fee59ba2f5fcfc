"""The periods a report groups by (`hour`, `day`, `week`, `month`) in the viewer's time zone, named the
same way in SQL (actors/reports/sql_time.py) and here, so figures computed in both
places meet.

A zone's offset can change inside a range (daylight saving time): the range is cut
into spans of one offset (`ZoneCalendar.spans`), and within a span a local period is
the UTC time shifted by that span's offset, floored. SQL does the same with one bound
offset per span, so SQLite and PostgreSQL bucket alike and no database needs the zone
database. A local day across the March change is 23 hours long and keeps one label;
the hour repeated in November has two, told apart by their offsets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from enum import Enum
from typing import Iterator
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from actors.store.clock import as_utc

UTC = ZoneInfo("UTC")
# Offsets change at most a few times a year and never twice in a day: a daily probe
# finds every change, then bisection finds its second.
_PROBE = timedelta(days=1)


class Period(str, Enum):
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"  # from Monday, labelled by that Monday's date
    MONTH = "month"


_LABELS = {Period.DAY: "%Y-%m-%d", Period.WEEK: "%Y-%m-%d", Period.MONTH: "%Y-%m"}


class UnknownZone(ValueError):
    pass


def zone_named(name: str) -> ZoneInfo:
    """The IANA zone `name` (Asia/Shanghai); UnknownZone if there is none."""
    try:
        if not name or name.startswith(("/", ".")) or ".." in name:
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UnknownZone(f"unknown time zone {name!r}: use an IANA name such as Asia/Shanghai") from None


@dataclass(frozen=True)
class Span:
    """[start, end) in UTC, during which the zone is `offset_s` seconds ahead of UTC."""
    start: datetime
    end: datetime
    offset_s: int

    @property
    def suffix(self) -> str:
        """The offset as an hour label ends: `Z` for UTC, `+08:00`, `-05:00`."""
        if self.offset_s == 0:
            return "Z"
        sign, seconds = ("+" if self.offset_s > 0 else "-"), abs(self.offset_s)
        return f"{sign}{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def offset_at(zone: tzinfo, at: datetime) -> int:
    return int(as_utc(at).astimezone(zone).utcoffset().total_seconds())  # type: ignore[union-attr]


@dataclass(frozen=True)
class ZoneCalendar:
    """A zone's local days and hours over [since, until)."""
    zone: tzinfo
    since: datetime
    until: datetime
    spans: tuple[Span, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "spans", tuple(_spans(self.zone, as_utc(self.since), as_utc(self.until))))

    @property
    def name(self) -> str:
        return str(getattr(self.zone, "key", self.zone))

    def span_of(self, at: datetime) -> Span:
        at = as_utc(at)
        for span in self.spans[:-1]:
            if at < span.end:
                return span
        return self.spans[-1]

    def label(self, period: Period, at: datetime) -> str:
        """`2026-12-02T15:00+08:00` (UTC: `...T07:00Z`) for an hour, `2026-12-02` for a day,
        the Monday `2026-11-30` for its week, `2026-12` for a month."""
        span = self.span_of(at)
        local = _period_start(period, as_utc(at).astimezone(timezone.utc) + timedelta(seconds=span.offset_s))
        if period is Period.HOUR:
            return local.strftime("%Y-%m-%dT%H:00") + span.suffix
        return local.strftime(_LABELS[period])

    def _next_boundary(self, period: Period, at: datetime) -> datetime:
        """The next start of a local period after `at`, or the end of its span."""
        span = self.span_of(at)
        shift = timedelta(seconds=span.offset_s)
        start = _period_start(period, as_utc(at).astimezone(timezone.utc) + shift)
        boundary = _period_after(period, start) - shift
        return boundary if span is self.spans[-1] else min(boundary, span.end)

    def split(self, period: Period, start: datetime, end: datetime) -> Iterator[tuple[str, float]]:
        """The seconds of [start, end) falling in each local period, in order (a period cut
        by an offset change comes in two parts with the same label)."""
        cursor, end = as_utc(start), as_utc(end)
        while cursor < end:
            boundary = min(end, self._next_boundary(period, cursor))
            yield self.label(period, cursor), (boundary - cursor).total_seconds()
            cursor = boundary


def chronological(label: str | None) -> str:
    """A row's key as it sorts in time: an hour's by its UTC instant (Berlin's repeated
    October hour `02:00+02:00` before `02:00+01:00`, which text order would swap), any
    other key as it is (None first)."""
    if label and label[10:11] == "T":
        try:
            instant = datetime.fromisoformat(label.replace("Z", "+00:00"))
        except ValueError:
            return label
        if instant.tzinfo is not None:
            return instant.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M")
    return label or ""


def _period_start(period: Period, local: datetime) -> datetime:
    """The start of the period `local` (a shifted clock time) falls in."""
    start = local.replace(minute=0, second=0, microsecond=0)
    if period is Period.HOUR:
        return start
    start = start.replace(hour=0)
    if period is Period.WEEK:
        return start - timedelta(days=start.weekday())
    return start.replace(day=1) if period is Period.MONTH else start


def _period_after(period: Period, start: datetime) -> datetime:
    if period is Period.MONTH:
        return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
    return start + {Period.HOUR: timedelta(hours=1), Period.DAY: timedelta(days=1),
                    Period.WEEK: timedelta(days=7)}[period]


def _spans(zone: tzinfo, since: datetime, until: datetime) -> Iterator[Span]:
    start, offset = since, offset_at(zone, since)
    probe = since
    while probe < until:
        step = min(probe + _PROBE, until)
        if offset_at(zone, step) != offset:
            change = _change_between(zone, probe, step, offset)
            yield Span(start, change, offset)
            start, offset = change, offset_at(zone, change)
        probe = step
    yield Span(start, until, offset)


def _change_between(zone: tzinfo, before: datetime, after: datetime, offset: int) -> datetime:
    """The first whole second in (before, after] whose offset is not `offset` (zones
    change on whole seconds)."""
    low, high = int(before.timestamp()), -int(-after.timestamp() // 1)
    while high - low > 1:
        middle = (low + high) // 2
        if offset_at(zone, datetime.fromtimestamp(middle, timezone.utc)) == offset:
            low = middle
        else:
            high = middle
    return datetime.fromtimestamp(high, timezone.utc)
