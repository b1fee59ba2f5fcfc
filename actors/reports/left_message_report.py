"""The left messages report (留言统计): the messages left in a range, and what had become of
each by the range's end, from the event log's LeftMessage* rows (actors/events.md).

Why the log and not the pool's columns on the conversation: the columns hold the pool as
it is now (the state, the current assignee, the way of the *last* reply), overwritten by
every change, so a report of last month would change as this month's work goes on. The
log keeps each fact with its moment: the figures of a range are those facts before
`until`, and a past range always reads the same.

A left message counts in the range it was left in (its LeftMessageSubmitted), grouped by
that moment (day, hour), its skill group (the one it was left for) or its agent (the last
one it was assigned to before `until`; none: never assigned). Then, as of `until`:
assigned (to an agent at least once), replied (at least once; `replied_in_widget` and
`replied_by_email` split them by the first reply's way, so they add up to `replied`),
closed without a reply, and still open (neither replied nor closed), so that
submitted = replied + closed_without_reply + still_open. Time to the first reply: from
leaving it to the first reply, for the replied ones (average and p90).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

from sqlalchemy import and_, case, func, literal_column, or_, select
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlalchemy.sql import Subquery

from actors.reports.percentile import percentiles_by_key, ranked_bounds
from actors.reports.periods import chronological
from actors.reports.scope import GroupBy, ReportScope, conversation_conditions
from actors.reports.sql_time import in_period, seconds_between
from actors.store.schema import ConversationRow, EventRow

EVENTS = EventRow.__table__
CONVERSATIONS = ConversationRow.__table__
_FACT_TYPES = ("LeftMessageSubmitted", "LeftMessageAssigned", "LeftMessageReplied", "LeftMessageClosed")


@dataclass(frozen=True)
class LeftMessageFigures:
    key: str | None  # the period, skill group or agent id; None: all of them (or no group, no agent)
    submitted: int
    assigned: int
    replied: int
    replied_in_widget: int
    replied_by_email: int
    closed_without_reply: int
    still_open: int
    first_reply_avg_s: float | None
    first_reply_p90_s: float | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


FIELDS = tuple(LeftMessageFigures.__dataclass_fields__)
NONE = LeftMessageFigures(None, 0, 0, 0, 0, 0, 0, 0, None, None)


async def left_message_report(db: async_sessionmaker, scope: ReportScope,
                              group_by: GroupBy) -> list[LeftMessageFigures]:
    """One row per group in key order, the one without a key last (one row, key None,
    for GroupBy.NONE; none at all when nothing was left)."""
    scope.check_grouping(group_by)
    per = _per_message(scope, group_by)
    grouped = group_by is not GroupBy.NONE
    async with db() as session:
        rows = (await session.execute(_totals(per, grouped))).all()
        ranked = ranked_bounds(per.c.first_reply_s, [per.c.key], grouped)
        p90s = percentiles_by_key((await session.execute(ranked)).all(), 1)
    rows = sorted((row for row in rows if row.submitted), key=lambda r: (r.key is None, chronological(r.key)))
    return [_figures(row, p90s.get((row.key,))) for row in rows]


def _cohort(scope: ReportScope) -> Any:
    """The left messages submitted in the range, in the filters on their conversation
    (its channel, its skill group, the caller's departments; the agent is the pool's, below)."""
    on_conversation = replace(scope, agent_id=None)
    return (select(EVENTS.c.conversation_id)
            .join(CONVERSATIONS, CONVERSATIONS.c.id == EVENTS.c.conversation_id)
            .where(EVENTS.c.center_id == scope.center_id, EVENTS.c.type == "LeftMessageSubmitted",
                   EVENTS.c.at >= scope.since, EVENTS.c.at < scope.until,
                   *conversation_conditions(on_conversation)))


def _facts(scope: ReportScope) -> Subquery:
    """Per left message of the cohort, its facts before `until`."""
    kind, via = EVENTS.c.type, EVENTS.c.data["via"].as_string()

    def first(condition: Any, column: Any) -> Any:
        return func.min(case((condition, column)))

    replied = kind == "LeftMessageReplied"
    return (select(EVENTS.c.conversation_id.label("conversation_id"),
                   first(kind == "LeftMessageSubmitted", EVENTS.c.at).label("submitted_at"),
                   func.max(case((kind == "LeftMessageSubmitted", EVENTS.c.skill_group))).label("skill_group"),
                   func.max(case((kind == "LeftMessageAssigned", EVENTS.c.id))).label("last_assigned_id"),
                   first(replied, EVENTS.c.at).label("first_reply_at"),
                   # The log's ids grow in commit order: the first reply is the lowest id.
                   first(replied, EVENTS.c.id).label("first_reply_id"),
                   first(and_(replied, via == "widget"), EVENTS.c.id).label("first_widget_id"),
                   func.max(case((kind == "LeftMessageClosed", 1), else_=0)).label("closed"))
            # A message's facts follow its submission: `at >= since` lets the index on
            # (center, type, at) narrow the scan before the cohort does.
            .where(EVENTS.c.center_id == scope.center_id, EVENTS.c.type.in_(_FACT_TYPES),
                   EVENTS.c.at >= scope.since, EVENTS.c.at < scope.until,
                   EVENTS.c.conversation_id.in_(_cohort(scope)))
            .group_by(EVENTS.c.conversation_id).subquery("facts"))


def _per_message(scope: ReportScope, group_by: GroupBy) -> Subquery:
    facts = _facts(scope)
    assignment = EVENTS.alias("assignment")
    agent = assignment.c.agent_id
    replied = facts.c.first_reply_id.is_not(None)
    period = group_by.period
    if period is not None:
        key = in_period(facts.c.submitted_at, period, scope.calendar)
    elif group_by is GroupBy.SKILL_GROUP:
        key = facts.c.skill_group
    elif group_by is GroupBy.AGENT:
        key = agent
    else:
        key = literal_column("NULL")
    statement = (
        select(key.label("key"),
               case((facts.c.last_assigned_id.is_not(None), 1), else_=0).label("assigned"),
               case((replied, 1), else_=0).label("replied"),
               case((and_(replied, facts.c.first_widget_id == facts.c.first_reply_id), 1), else_=0).label("widget"),
               case((and_(replied, or_(facts.c.first_widget_id.is_(None),
                                       facts.c.first_widget_id != facts.c.first_reply_id)), 1), else_=0
                    ).label("email"),
               case((and_(~replied, facts.c.closed == 1), 1), else_=0).label("closed_unreplied"),
               case((and_(~replied, facts.c.closed == 0), 1), else_=0).label("still_open"),
               seconds_between(facts.c.submitted_at, facts.c.first_reply_at).label("first_reply_s"))
        .select_from(facts)
        .outerjoin(assignment, assignment.c.id == facts.c.last_assigned_id))
    if scope.agent_id is not None:
        statement = statement.where(agent == scope.agent_id)
    return statement.subquery("per_message")


def _totals(per: Subquery, grouped: bool) -> Any:
    key = per.c.key if grouped else literal_column("NULL").label("key")
    statement = select(key, func.count().label("submitted"), func.sum(per.c.assigned).label("assigned"),
                       func.sum(per.c.replied).label("replied"), func.sum(per.c.widget).label("widget"),
                       func.sum(per.c.email).label("email"),
                       func.sum(per.c.closed_unreplied).label("closed_unreplied"),
                       func.sum(per.c.still_open).label("still_open"),
                       func.avg(per.c.first_reply_s).label("first_reply_avg_s"))
    # PostgreSQL refuses GROUP BY a constant: the ungrouped report is one aggregate row.
    return statement.group_by(per.c.key) if grouped else statement


def _figures(row: Any, p90: float | None) -> LeftMessageFigures:
    return LeftMessageFigures(
        key=row.key, submitted=int(row.submitted), assigned=int(row.assigned or 0), replied=int(row.replied or 0),
        replied_in_widget=int(row.widget or 0), replied_by_email=int(row.email or 0),
        closed_without_reply=int(row.closed_unreplied or 0), still_open=int(row.still_open or 0),
        first_reply_avg_s=None if row.first_reply_avg_s is None else round(float(row.first_reply_avg_s), 3),
        first_reply_p90_s=None if p90 is None else round(p90, 3))
