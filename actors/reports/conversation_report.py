"""The conversations report: the conversations requested in a range, with what
happened to each, counted by SQL aggregates and grouped by a period, skill group
or agent. Only the grouped rows (and two ranked waits per group, for the p90) come
back to Python.

Per conversation: answered (assigned at least once), abandoned in queue (the
visitor ended it waiting), left message, overflowed (its wait ran out in a group
and it moved on), transfers, wait (requested to first assignment), first response
(first assignment to the first public agent message), duration (requested to
ended, for answered conversations that ended) and its rating. The FAQ bot's: served
by the bot first, resolved by it (never handed off, never reached a person or a left
message), handed off, and the rating of those it resolved. Times are the log's
(the `at` of ConversationRequested, ConversationAssigned, ConversationEnded), the
first response's end the message's own timestamp.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import and_, case, func, literal_column, select
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlalchemy.sql import Subquery

from actors.reports.percentile import percentiles_by_key, ranked_bounds
from actors.reports.periods import chronological
from actors.reports.scope import GroupBy, ReportScope, conversation_conditions
from actors.reports.sql_time import in_period, seconds_between
from actors.store.schema import ConversationRow, EventRow, MessageRow

EVENTS = EventRow.__table__
CONVERSATIONS = ConversationRow.__table__
MESSAGES = MessageRow.__table__
_FACT_TYPES = ("ConversationRequested", "ConversationAssigned", "QueueLeft", "MessageLeft",
               "ConversationTransferred", "ConversationEnded", "BotEngaged", "BotHandedOff")


@dataclass(frozen=True)
class ConversationFigures:
    key: str | None  # the period, skill group or agent id; None: all of them
    conversations: int
    answered: int
    abandoned_in_queue: int
    left_messages: int
    overflowed: int
    transfers: int
    wait_avg_s: float | None
    wait_p90_s: float | None
    first_response_avg_s: float | None
    duration_avg_s: float | None
    ratings: int
    rating_avg: float | None
    bot_served: int = 0
    bot_resolved: int = 0
    bot_handed_off: int = 0
    bot_rating_avg: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


FIELDS = tuple(ConversationFigures.__dataclass_fields__)


async def conversation_report(db: async_sessionmaker, scope: ReportScope,
                              group_by: GroupBy) -> list[ConversationFigures]:
    """One row per group, in key order (one row, key None, for GroupBy.NONE)."""
    scope.check_grouping(group_by)
    per = _per_conversation(scope, group_by)
    grouped = group_by is not GroupBy.NONE
    async with db() as session:
        rows = (await session.execute(_totals(per, grouped))).all()
        ranked = ranked_bounds(per.c.wait_s, [per.c.key], grouped)
        p90s = percentiles_by_key((await session.execute(ranked)).all(), 1)
    # Keys in order, the group without one (no agent, no skill group) last on both backends.
    rows = sorted((row for row in rows if row.conversations), key=lambda r: (r.key is None, chronological(r.key)))
    return [_figures(row, p90s.get((row.key,))) for row in rows]


def _cohort(scope: ReportScope):
    """The conversations requested in the range, by their ConversationRequested rows (the
    index on (center, type, at) finds them), in the filters."""
    return (select(EVENTS.c.conversation_id)
            .join(CONVERSATIONS, CONVERSATIONS.c.id == EVENTS.c.conversation_id)
            .where(EVENTS.c.center_id == scope.center_id, EVENTS.c.type == "ConversationRequested",
                   EVENTS.c.at >= scope.since, EVENTS.c.at < scope.until,
                   *conversation_conditions(scope, _skill_group(CONVERSATIONS.c.skill_group, _asked_for()))))


def _asked_for() -> Any:
    return EVENTS.c.data["requested_group"].as_string()


def _skill_group(last: Any, asked_for: Any) -> Any:
    """The group a conversation was last in; for one that never entered a line (a left
    message outside work hours), the group it asked for."""
    return func.coalesce(last, asked_for)


def _event_facts(scope: ReportScope) -> Subquery:
    def flag(condition: Any) -> Any:
        return func.max(case((condition, 1), else_=0))

    kind, outcome = EVENTS.c.type, EVENTS.c.data["outcome"].as_string()
    queue_left = kind == "QueueLeft"
    def first(of: str) -> Any:
        return func.min(case((kind == of, EVENTS.c.at)))

    return (select(EVENTS.c.conversation_id.label("conversation_id"),
                   first("ConversationRequested").label("requested_at"),
                   func.max(case((kind == "ConversationRequested", _asked_for()))).label("asked_for"),
                   first("ConversationAssigned").label("first_assigned_at"),
                   first("ConversationEnded").label("ended_at"),
                   flag(and_(queue_left, outcome == "abandoned")).label("abandoned"),
                   flag(and_(queue_left, outcome == "overflowed")).label("overflowed"),
                   flag(kind == "MessageLeft").label("left_message"),
                   flag(kind == "BotEngaged").label("bot_served"),
                   flag(kind == "BotHandedOff").label("bot_handed_off"),
                   func.sum(case((kind == "ConversationTransferred", 1), else_=0)).label("transfers"))
            # Events of a conversation come after its request: `at >= since` lets the
            # index on (center, type, at) narrow the scan before the cohort does.
            .where(EVENTS.c.center_id == scope.center_id, EVENTS.c.type.in_(_FACT_TYPES),
                   EVENTS.c.at >= scope.since, EVENTS.c.conversation_id.in_(_cohort(scope)))
            .group_by(EVENTS.c.conversation_id).subquery("facts"))


def _first_replies(scope: ReportScope) -> Subquery:
    return (select(MESSAGES.c.conversation_id.label("conversation_id"),
                   func.min(MESSAGES.c.ts).label("first_reply_at"))
            .where(MESSAGES.c.sender_kind == "agent", MESSAGES.c.visibility == "public",
                   MESSAGES.c.conversation_id.in_(_cohort(scope)))
            .group_by(MESSAGES.c.conversation_id).subquery("replies"))


def _group_key(scope: ReportScope, group_by: GroupBy, facts: Subquery) -> Any:
    period = group_by.period
    if period is not None:
        return in_period(facts.c.requested_at, period, scope.calendar)
    if group_by is GroupBy.SKILL_GROUP:
        return _skill_group(CONVERSATIONS.c.skill_group, facts.c.asked_for)
    if group_by is GroupBy.AGENT:
        return CONVERSATIONS.c.agent_id
    return literal_column("NULL")


def _per_conversation(scope: ReportScope, group_by: GroupBy) -> Subquery:
    facts, replies = _event_facts(scope), _first_replies(scope)
    answered = facts.c.first_assigned_at.is_not(None)
    resolved = and_(facts.c.bot_served == 1, facts.c.bot_handed_off == 0, ~answered, facts.c.left_message == 0)
    return (select(_group_key(scope, group_by, facts).label("key"),
                   case((answered, 1), else_=0).label("answered"),
                   facts.c.bot_served, facts.c.bot_handed_off, case((resolved, 1), else_=0).label("bot_resolved"),
                   case((resolved, CONVERSATIONS.c.rating_score)).label("bot_rating"),
                   facts.c.abandoned, facts.c.left_message, facts.c.overflowed, facts.c.transfers,
                   seconds_between(facts.c.requested_at, facts.c.first_assigned_at).label("wait_s"),
                   seconds_between(facts.c.first_assigned_at, replies.c.first_reply_at).label("first_response_s"),
                   case((answered, seconds_between(facts.c.requested_at, facts.c.ended_at))
                        ).label("duration_s"),
                   CONVERSATIONS.c.rating_score.label("rating"))
            # Every conversation of the cohort has its ConversationRequested among the facts.
            .select_from(facts)
            .join(CONVERSATIONS, CONVERSATIONS.c.id == facts.c.conversation_id)
            .outerjoin(replies, replies.c.conversation_id == facts.c.conversation_id)
            .subquery("per_conversation"))


def _totals(per: Subquery, grouped: bool):
    key = per.c.key if grouped else literal_column("NULL").label("key")
    statement = select(
        key, func.count().label("conversations"), func.sum(per.c.answered).label("answered"),
        func.sum(per.c.abandoned).label("abandoned"), func.sum(per.c.left_message).label("left_messages"),
        func.sum(per.c.overflowed).label("overflowed"), func.sum(per.c.transfers).label("transfers"),
        func.avg(per.c.wait_s).label("wait_avg_s"), func.avg(per.c.first_response_s).label("first_response_avg_s"),
        func.avg(per.c.duration_s).label("duration_avg_s"), func.count(per.c.rating).label("ratings"),
        func.avg(per.c.rating).label("rating_avg"), func.sum(per.c.bot_served).label("bot_served"),
        func.sum(per.c.bot_resolved).label("bot_resolved"), func.sum(per.c.bot_handed_off).label("bot_handed_off"),
        func.avg(per.c.bot_rating).label("bot_rating_avg"))
    # PostgreSQL refuses GROUP BY a constant: the ungrouped report is one aggregate row.
    return statement.group_by(per.c.key) if grouped else statement


def _figures(row: Any, wait_p90: float | None) -> ConversationFigures:
    return ConversationFigures(
        key=row.key, conversations=int(row.conversations), answered=int(row.answered or 0),
        abandoned_in_queue=int(row.abandoned or 0), left_messages=int(row.left_messages or 0),
        overflowed=int(row.overflowed or 0), transfers=int(row.transfers or 0),
        wait_avg_s=_seconds(row.wait_avg_s), wait_p90_s=_seconds(wait_p90),
        first_response_avg_s=_seconds(row.first_response_avg_s),
        duration_avg_s=_seconds(row.duration_avg_s), ratings=int(row.ratings or 0),
        rating_avg=None if row.rating_avg is None else round(float(row.rating_avg), 2),
        bot_served=int(row.bot_served or 0), bot_resolved=int(row.bot_resolved or 0),
        bot_handed_off=int(row.bot_handed_off or 0),
        bot_rating_avg=None if row.bot_rating_avg is None else round(float(row.bot_rating_avg), 2))


def _seconds(value: Any) -> float | None:
    return None if value is None else round(float(value), 3)
