"""The skill groups report: per skill group (and per hour, day, week or month, if asked), the queue
entries of its line, counted in the period they left it (the convention of ACD interval
reports: an entry is counted once, when its outcome is known), from the log's QueueLeft
rows alone.

Every entry into a group's line ends with one QueueLeft (`assigned`, `abandoned`,
`overflowed`, `timed_out`), written in the same commit as what ended it, with the
seconds it waited; a conversation assigned at once still has one (waited about 0).
So `offered` = the entries that left the line in the period, and the outcomes add up
to it. Service level is the monitor's target (center settings, monitor.answer_within_s)
applied to the wait in this group's line: answered within it / (answered + abandoned +
timed out); an overflowed entry is counted in the group it moved on to. Peak waiting
is left out: entries that span the range's edges cannot be found from a bounded scan.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Float, String, and_, case, cast, func, literal_column, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.reports.percentile import percentiles_by_key, ranked_bounds
from actors.reports.periods import chronological
from actors.reports.scope import GroupBy, InvalidScope, ReportScope, conversation_conditions
from actors.reports.sql_time import in_period
from actors.store.schema import ConversationRow, EventRow, SkillGroupRow

EVENTS = EventRow.__table__
_GROUPINGS = (GroupBy.NONE, GroupBy.DAY, GroupBy.HOUR, GroupBy.WEEK, GroupBy.MONTH)


@dataclass(frozen=True)
class SkillGroupFigures:
    skill_group: str
    period: str | None  # with group_by hour, day, week or month
    offered: int
    answered: int
    abandoned_in_queue: int
    overflowed_out: int
    timed_out: int
    wait_avg_s: float | None  # of the answered entries
    wait_p90_s: float | None
    service_level: float | None  # 0..1
    agents_served: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


FIELDS = tuple(SkillGroupFigures.__dataclass_fields__)


async def skill_group_report(db: async_sessionmaker, scope: ReportScope, group_by: GroupBy,
                             answer_within_s: float) -> list[SkillGroupFigures]:
    """Rows by skill group name (then period); groups with no entry left out."""
    if group_by not in _GROUPINGS:
        raise InvalidScope("the skill groups report is per skill group, by hour, day, week or month")
    scope.check_grouping(group_by)
    entries = _entries(scope, group_by, answer_within_s)
    async with db() as session:
        rows = (await session.execute(_totals(entries))).all()
        ranked = ranked_bounds(entries.c.wait_s, [entries.c.skill_group, entries.c.period])
        p90s = percentiles_by_key((await session.execute(ranked)).all(), 2)
    figures = [_figures(row, p90s.get((row.skill_group, row.period))) for row in rows]
    return sorted(figures, key=lambda f: (f.skill_group, chronological(f.period)))


def _entries(scope: ReportScope, group_by: GroupBy, answer_within_s: float) -> Any:
    """One row per QueueLeft in the range and the filters, with the agent who answered it
    (the conversation's next ConversationAssigned: the same commit)."""
    outcome = EVENTS.c.data["outcome"].as_string()
    waited = cast(EVENTS.c.data["waited_s"].as_float(), Float)
    period = group_by.period
    key = cast(literal_column("NULL"), String) if period is None else in_period(EVENTS.c.at, period, scope.calendar)
    assigned = EVENTS.alias("assigned")
    answered_by = (select(assigned.c.agent_id)
                   .where(assigned.c.conversation_id == EVENTS.c.conversation_id,
                          assigned.c.type == "ConversationAssigned", assigned.c.id > EVENTS.c.id)
                   .order_by(assigned.c.id).limit(1).scalar_subquery())
    answered = outcome == "assigned"
    # The filters on the conversation (channel, agent), the skill group on the entry's own.
    unscoped = ReportScope(scope.center_id, scope.since, scope.until,
                           agent_id=scope.agent_id, channel=scope.channel)
    conditions = [EVENTS.c.center_id == scope.center_id, EVENTS.c.type == "QueueLeft",
                  EVENTS.c.at >= scope.since, EVENTS.c.at < scope.until]
    if scope.skill_group is not None:
        conditions.append(EVENTS.c.skill_group == scope.skill_group)
    if scope.agent_id is not None or scope.channel is not None:
        conditions.append(EVENTS.c.conversation_id.in_(
            select(ConversationRow.id).where(*conversation_conditions(unscoped, EVENTS.c.skill_group))))
    if scope.departments is not None:  # a supervisor sees the groups of their departments
        conditions.append(EVENTS.c.skill_group.in_(
            select(SkillGroupRow.name).where(SkillGroupRow.center_id == scope.center_id,
                                             SkillGroupRow.department_id.in_(sorted(scope.departments)))))
    return (select(EVENTS.c.skill_group.label("skill_group"), key.label("period"), outcome.label("outcome"),
                   case((answered, waited)).label("wait_s"),
                   case((and_(answered, waited <= answer_within_s), 1), else_=0).label("within"),
                   case((answered, answered_by)).label("agent_id"))
            .where(*conditions).subquery("entries"))


def _totals(entries: Any) -> Any:
    def count(outcome: str) -> Any:
        return func.sum(case((entries.c.outcome == outcome, 1), else_=0))

    return (select(entries.c.skill_group, entries.c.period, func.count().label("offered"),
                   count("assigned").label("answered"), count("abandoned").label("abandoned"),
                   count("overflowed").label("overflowed"), count("timed_out").label("timed_out"),
                   func.avg(entries.c.wait_s).label("wait_avg_s"), func.sum(entries.c.within).label("within"),
                   func.count(entries.c.agent_id.distinct()).label("agents"))
            .group_by(entries.c.skill_group, entries.c.period))


def _figures(row: Any, p90: float | None) -> SkillGroupFigures:
    answered, abandoned, timed_out = int(row.answered or 0), int(row.abandoned or 0), int(row.timed_out or 0)
    concluded = answered + abandoned + timed_out
    return SkillGroupFigures(
        skill_group=row.skill_group, period=row.period, offered=int(row.offered), answered=answered,
        abandoned_in_queue=abandoned, overflowed_out=int(row.overflowed or 0), timed_out=timed_out,
        wait_avg_s=None if row.wait_avg_s is None else round(float(row.wait_avg_s), 3),
        wait_p90_s=None if p90 is None else round(p90, 3),
        service_level=round(int(row.within or 0) / concluded, 4) if concluded else None,
        agents_served=int(row.agents or 0))
