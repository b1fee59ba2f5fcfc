"""Time in each presence (online, away, offline) within a report's range, from an
agent's presence history (AgentStatusChanged rows in log order).

A fold over a stream: rows go in one at a time, ordered by time, so the agents
report keeps one tally per agent, never the history.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from actors.reports.periods import UTC, Period, ZoneCalendar
from actors.store.clock import as_utc

# An agent with no presence history before the range had never signed in.
NEVER_SEEN = "offline"


class PresenceTally:
    """Seconds per (period label or None, status) of [since, until) for one agent."""

    def __init__(self, since: datetime, until: datetime, status_at_since: str | None,
                 period: Period | None = None, calendar: ZoneCalendar | None = None) -> None:
        self.until = as_utc(until)
        self.period = period
        # The zone's local periods (UTC unless the report is in another zone).
        self.calendar = calendar or ZoneCalendar(UTC, since, until)
        self._from = as_utc(since)
        self._status = status_at_since or NEVER_SEEN
        self.seconds: dict[tuple[str | None, str], float] = defaultdict(float)

    def change(self, at: datetime, status: str) -> None:
        """The agent's presence became `status` at `at` (rows must come in time order)."""
        at = min(max(as_utc(at), self._from), self.until)
        self._count(at)
        self._from, self._status = at, status

    def close(self) -> dict[tuple[str | None, str], float]:
        """The tally up to `until`; nothing may change after."""
        self._count(self.until)
        self._from = self.until
        return dict(self.seconds)

    def _count(self, end: datetime) -> None:
        if end <= self._from:
            return
        if self.period is None:
            self.seconds[(None, self._status)] += (end - self._from).total_seconds()
            return
        for label, seconds in self.calendar.split(self.period, self._from, end):
            self.seconds[(label, self._status)] += seconds
