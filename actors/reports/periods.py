"""The periods a report groups by (`day`, `hour`, in UTC), named the same way in SQL
(actors/reports/sql_time.py) and here, so figures computed in both places meet."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from enum import Enum
from typing import Iterator

from actors.store.clock import as_utc


class Period(str, Enum):
    DAY = "day"
    HOUR = "hour"

    @property
    def length(self) -> timedelta:
        return timedelta(days=1) if self is Period.DAY else timedelta(hours=1)

    def start_of(self, at: datetime) -> datetime:
        at = as_utc(at).astimezone(timezone.utc)
        at = at.replace(minute=0, second=0, microsecond=0)
        return at.replace(hour=0) if self is Period.DAY else at

    def label(self, at: datetime) -> str:
        """`2026-12-02` for a day, `2026-12-02T07:00Z` for an hour."""
        start = self.start_of(at)
        return start.strftime("%Y-%m-%d") if self is Period.DAY else start.strftime("%Y-%m-%dT%H:00Z")

    def split(self, start: datetime, end: datetime) -> Iterator[tuple[str, float]]:
        """The seconds of [start, end) falling in each period, in order."""
        cursor = as_utc(start)
        end = as_utc(end)
        while cursor < end:
            boundary = min(end, self.start_of(cursor) + self.length)
            yield self.label(cursor), (boundary - cursor).total_seconds()
            cursor = boundary
