"""What a report covers: a center, a time range, the filters and the viewer's time zone
(a value, so the SQL of every report reads its conditions from one place).

Departments (部门): `departments` is the caller's scope (a supervisor's department and
its subtree, None for all; actors/store/department_scope.py); `conversation_conditions`
and the agent report's account query restrict to it, so no report knows more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from functools import cached_property
from enum import Enum
from typing import Any

from sqlalchemy import ColumnElement

from actors.reports.periods import UTC, Period, ZoneCalendar
from actors.store.department_scope import conversation_condition
from actors.store.schema import ConversationRow

MAX_RANGE = timedelta(days=366)
# An hourly report over a year would be 8,784 rows per agent: hours are for a month at most.
MAX_HOURLY_RANGE = timedelta(days=31)


class GroupBy(str, Enum):
    NONE = "none"
    DAY = "day"
    HOUR = "hour"
    WEEK = "week"  # from Monday
    MONTH = "month"
    SKILL_GROUP = "skill_group"
    AGENT = "agent"

    @property
    def period(self) -> Period | None:
        return {GroupBy.DAY: Period.DAY, GroupBy.HOUR: Period.HOUR, GroupBy.WEEK: Period.WEEK,
                GroupBy.MONTH: Period.MONTH}.get(self)


class InvalidScope(ValueError):
    pass


@dataclass(frozen=True)
class ReportScope:
    center_id: str
    since: datetime  # inclusive, aware UTC
    until: datetime  # exclusive, aware UTC
    skill_group: str | None = None
    agent_id: str | None = None
    channel: str | None = None
    departments: frozenset[int] | None = None
    zone: tzinfo = UTC  # the viewer's: days and hours are this zone's local ones
    department_id: int | None = None  # the filter asked for (`departments` is already narrowed to it)

    def __post_init__(self) -> None:
        if self.since.tzinfo is None or self.until.tzinfo is None:
            raise InvalidScope("since and until need a time zone (2026-12-01T00:00:00Z)")
        if self.until <= self.since:
            raise InvalidScope("until must be after since")
        if self.until - self.since > MAX_RANGE:
            raise InvalidScope("since and until are at most 366 days apart")

    def check_grouping(self, group_by: GroupBy) -> None:
        if group_by is GroupBy.HOUR and self.until - self.since > MAX_HOURLY_RANGE:
            raise InvalidScope("group_by=hour covers at most 31 days")

    @cached_property
    def calendar(self) -> ZoneCalendar:
        """The zone's local days and hours over the range (its offset changes found once)."""
        return ZoneCalendar(self.zone, self.since, self.until)


def conversation_conditions(scope: ReportScope, skill_group: ColumnElement[Any] | None = None
                            ) -> list[ColumnElement[bool]]:
    """The conversations a report counts: this center's, in the filters. A conversation's
    skill group and agent are its last ones (the group that served it or where it was
    waiting when it ended, the agent who held it last); `skill_group` stands in for
    the row's group where a report knows better (the group a left message asked for)."""
    row = ConversationRow
    conditions: list[ColumnElement[bool]] = [row.center_id == scope.center_id]
    if scope.departments is not None:
        conditions.append(conversation_condition(scope.departments, scope.center_id))
    group = row.skill_group if skill_group is None else skill_group
    for column, value in ((group, scope.skill_group), (row.agent_id, scope.agent_id),
                          (row.channel, scope.channel)):
        if value is not None:
            conditions.append(column == value)
    return conditions
