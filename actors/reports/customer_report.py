"""The customers report (客户统计): the visitors who had a conversation in a range, how
many were new and how many came back, counted by SQL aggregates (by hour, day, week or month, if
asked). Where they came from, where they are and what they wrote are in
`visitor_breakdowns` and `message_words`, over the same conversations.

The conversations counted are those the conversations report counts: requested in the
range (their ConversationRequested row in the log), in the filters (skill group, agent,
channel) and in the caller's departments. A visitor is counted once per row.

New: the visitor's first conversation with this center (the earliest of all their
conversation rows by request time, whatever the filters or departments) is one of the
conversations counted in the row. Returning: the others, who had one with the center
before. So over days, a visitor is new on the day of their first conversation only,
and the days' new visitors add up to the range's; the days' visitors do not (one who
came on two days is in both).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import String, case, cast, exists, func, literal_column, select
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlalchemy.sql import Select, Subquery

from actors.reports.periods import chronological
from actors.reports.scope import GroupBy, InvalidScope, ReportScope, conversation_conditions
from actors.reports.sql_time import in_period
from actors.store.schema import ConversationRow, EventRow

EVENTS = EventRow.__table__
CONVERSATIONS = ConversationRow.__table__
GROUPINGS = (GroupBy.NONE, GroupBy.DAY, GroupBy.HOUR, GroupBy.WEEK, GroupBy.MONTH)


@dataclass(frozen=True)
class CustomerCounts:
    period: str | None  # with group_by hour, day, week or month; None: the whole range
    visitors: int  # with a conversation counted
    new_visitors: int
    returning_visitors: int
    visitors_served: int  # with at least one of those conversations answered (assigned)
    conversations: int
    conversations_per_visitor: float | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


FIELDS = tuple(CustomerCounts.__dataclass_fields__)
NO_VISITORS = CustomerCounts(None, 0, 0, 0, 0, 0, None)


def check_grouping(scope: ReportScope, group_by: GroupBy) -> None:
    if group_by not in GROUPINGS:
        raise InvalidScope("the customers report is for the whole range, by hour, day, week or month")
    scope.check_grouping(group_by)


def counted_conversations(scope: ReportScope) -> Select:
    """The conversations the report counts (conversation_id, visitor_id, channel,
    requested_at), found by their ConversationRequested rows (the index on (center,
    type, at)); a left message outside work hours is in the group it asked for."""
    asked_for = EVENTS.c.data["requested_group"].as_string()
    group = func.coalesce(CONVERSATIONS.c.skill_group, asked_for)
    return (select(CONVERSATIONS.c.id.label("conversation_id"), CONVERSATIONS.c.visitor_id.label("visitor_id"),
                   CONVERSATIONS.c.channel.label("channel"), EVENTS.c.at.label("requested_at"))
            .select_from(EVENTS).join(CONVERSATIONS, CONVERSATIONS.c.id == EVENTS.c.conversation_id)
            .where(EVENTS.c.center_id == scope.center_id, EVENTS.c.type == "ConversationRequested",
                   EVENTS.c.at >= scope.since, EVENTS.c.at < scope.until,
                   *conversation_conditions(scope, group)))


async def customer_counts(db: async_sessionmaker, scope: ReportScope, group_by: GroupBy) -> list[CustomerCounts]:
    """One row per period with visitors, in order; for GroupBy.NONE one row (zeros when
    nobody came)."""
    check_grouping(scope, group_by)
    grouped = group_by is not GroupBy.NONE
    per_visitor = _per_visitor(_per_conversation(scope, group_by), grouped)
    async with db() as session:
        rows = (await session.execute(_totals(per_visitor, grouped))).all()
    counts = [_counts(row) for row in rows if row.visitors]
    if not grouped:
        return counts or [NO_VISITORS]
    return sorted(counts, key=lambda c: chronological(c.period))


def _per_conversation(scope: ReportScope, group_by: GroupBy) -> Subquery:
    counted = counted_conversations(scope).subquery("counted")
    earliest = CONVERSATIONS.alias("earliest")
    # The index on (visitor_id, requested_at) finds each visitor's first conversation.
    first = (select(earliest.c.id).where(earliest.c.visitor_id == counted.c.visitor_id)
             .order_by(earliest.c.requested_at, earliest.c.id).limit(1).scalar_subquery())
    assigned = EVENTS.alias("assigned")
    answered = exists().where(assigned.c.conversation_id == counted.c.conversation_id,
                              assigned.c.type == "ConversationAssigned")
    period = group_by.period
    key = cast(literal_column("NULL"), String) if period is None else in_period(counted.c.requested_at, period, scope.calendar)
    return select(key.label("period"), counted.c.visitor_id,
                  case((counted.c.conversation_id == first, 1), else_=0).label("first"),
                  case((answered, 1), else_=0).label("answered")).subquery("per_conversation")


def _per_visitor(per: Subquery, grouped: bool) -> Subquery:
    keys = [per.c.period, per.c.visitor_id] if grouped else [per.c.visitor_id]
    return (select(per.c.period if grouped else cast(literal_column("NULL"), String).label("period"),
                   func.max(per.c.first).label("new"), func.max(per.c.answered).label("served"),
                   func.count().label("conversations"))
            .group_by(*keys).subquery("per_visitor"))


def _totals(per: Subquery, grouped: bool) -> Any:
    statement = select(per.c.period if grouped else cast(literal_column("NULL"), String).label("period"),
                       func.count().label("visitors"), func.sum(per.c.new).label("new"),
                       func.sum(per.c.served).label("served"), func.sum(per.c.conversations).label("conversations"))
    # PostgreSQL refuses GROUP BY a constant: the ungrouped report is one aggregate row.
    return statement.group_by(per.c.period) if grouped else statement


def _counts(row: Any) -> CustomerCounts:
    visitors, new, conversations = int(row.visitors), int(row.new or 0), int(row.conversations or 0)
    return CustomerCounts(period=row.period, visitors=visitors, new_visitors=new, returning_visitors=visitors - new,
                          visitors_served=int(row.served or 0), conversations=conversations,
                          conversations_per_visitor=round(conversations / visitors, 2) if visitors else None)
