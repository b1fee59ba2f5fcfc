"""The agents report: per agent (and per period, if asked), time online and away
within the range (from the presence history), conversations served, public
messages sent, average first response and the visitors' ratings.

Activity counts when it happened in the range: an assignment, a message, a
rating. Each figure is one SQL aggregate grouped by agent (and period); the
presence history is streamed in time order through one tally per agent
(actors/reports/presence.py), so neither holds the range's rows.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, literal_column, or_, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.reports.periods import Period, chronological
from actors.reports.presence import PresenceTally
from actors.reports.scope import GroupBy, InvalidScope, ReportScope, conversation_conditions
from actors.reports.sql_time import in_period, seconds_between
from actors.store.clock import as_utc, utcnow
from actors.store.department_scope import agent_condition
from actors.store.schema import (AgentRow, AgentSkillRow, ConversationRow, EventRow, MessageRow,
                                 SkillGroupRow)

EVENTS = EventRow.__table__
MESSAGES = MessageRow.__table__
Key = tuple[str, str | None]  # (agent id, period label or None)


@dataclass(frozen=True)
class AgentFigures:
    agent_id: str
    display_name: str
    period: str | None  # with group_by hour, day, week or month
    online_s: float
    away_s: float
    conversations: int
    messages: int
    first_response_avg_s: float | None
    ratings: int
    rating_avg: float | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


FIELDS = tuple(AgentFigures.__dataclass_fields__)
_GROUPINGS = (GroupBy.NONE, GroupBy.AGENT, GroupBy.DAY, GroupBy.HOUR, GroupBy.WEEK, GroupBy.MONTH)


async def agent_report(db: async_sessionmaker, scope: ReportScope, group_by: GroupBy,
                       now: datetime | None = None) -> list[AgentFigures]:
    """Rows by agent name (then period); agents with no figure at all are left out,
    except those with the role `agent` when not grouped by period."""
    if group_by not in _GROUPINGS:
        raise InvalidScope("the agents report is per agent, by hour, day, week or month: presence belongs "
                           "to no skill group (filter by skill_group instead)")
    scope.check_grouping(group_by)
    period = group_by.period
    # Presence up to now: the future of a range that has not ended is not offline time.
    end = min(scope.until, as_utc(now or utcnow()))
    async with db() as session:
        accounts = {row.id: row for row in (await session.execute(_accounts(scope))).all()}
        served = await _counts(session, _served(scope, period))
        messages = await _counts(session, _messages(scope, period))
        responses = await _counts(session, _first_responses(scope, period))
        ratings = {(r.agent_id, r.period): (int(r.n), r.average)
                   for r in (await session.execute(_ratings(scope, period))).all()}
        presence = await _presence(session, scope, list(accounts), end, period)
    keys = set(served) | set(messages) | set(responses) | set(ratings) | {
        (agent, label) for (agent, label, status), s in presence.items() if s and status != "offline"}
    if period is None:
        keys |= {(agent_id, None) for agent_id, row in accounts.items() if row.role == "agent"}
    rows = [_figures(key, accounts, served, messages, responses, ratings, presence)
            for key in keys if key[0] in accounts]
    return sorted(rows, key=lambda f: (f.display_name, f.agent_id, chronological(f.period)))


async def _counts(session: Any, statement: Any) -> dict[Key, Any]:
    return {(row.agent_id, row.period): row.value for row in (await session.execute(statement)).all()}


def _period_of(column: Any, period: Period | None, scope: ReportScope) -> Any:
    return literal_column("NULL") if period is None else in_period(column, period, scope.calendar)


def _grouped(statement: Any, agent: Any, period_key: Any, period: Period | None) -> Any:
    return statement.group_by(agent, period_key) if period is not None else statement.group_by(agent)


def _accounts(scope: ReportScope) -> Any:
    statement = select(AgentRow.id, AgentRow.display_name, AgentRow.role).where(
        AgentRow.center_id == scope.center_id, agent_condition(scope.departments),
        or_(AgentRow.deleted_at.is_(None), AgentRow.deleted_at >= scope.since))
    if scope.agent_id is not None:
        statement = statement.where(AgentRow.id == scope.agent_id)
    if scope.skill_group is not None:
        statement = statement.where(AgentRow.id.in_(
            select(AgentSkillRow.agent_id).join(SkillGroupRow, SkillGroupRow.id == AgentSkillRow.skill_group_id)
            .where(SkillGroupRow.center_id == scope.center_id, SkillGroupRow.name == scope.skill_group)))
    return statement


def _in_range(column: Any, scope: ReportScope) -> Any:
    return and_(column >= scope.since, column < scope.until)


def _in_conversations(column: Any, scope: ReportScope, always: bool = False) -> list[Any]:
    """The condition that `column` names one of the center's conversations in the filters;
    without a filter, none unless `always` (events carry their center, messages do not)."""
    conditions = conversation_conditions(_unfiltered_agent(scope))
    if len(conditions) == 1 and not always:
        return []
    return [column.in_(select(ConversationRow.id).where(*conditions))]


def _events_of(kind: str, scope: ReportScope) -> list[Any]:
    conditions = [EVENTS.c.center_id == scope.center_id, EVENTS.c.type == kind,
                  _in_range(EVENTS.c.at, scope), EVENTS.c.agent_id.is_not(None),
                  *_in_conversations(EVENTS.c.conversation_id, scope)]
    if scope.agent_id is not None:
        conditions.append(EVENTS.c.agent_id == scope.agent_id)
    return conditions


def _unfiltered_agent(scope: ReportScope) -> ReportScope:
    """The conversation filters without the agent one: an agent's figures are about
    what they did, not about who held the conversation last."""
    return ReportScope(scope.center_id, scope.since, scope.until, skill_group=scope.skill_group,
                       channel=scope.channel, departments=scope.departments)


def _served(scope: ReportScope, period: Period | None) -> Any:
    key = _period_of(EVENTS.c.at, period, scope).label("period")
    statement = select(EVENTS.c.agent_id, key, func.count(EVENTS.c.conversation_id.distinct()).label("value")
                       ).where(*_events_of("ConversationAssigned", scope))
    return _grouped(statement, EVENTS.c.agent_id, key, period)


def _messages(scope: ReportScope, period: Period | None) -> Any:
    key = _period_of(MESSAGES.c.ts, period, scope).label("period")
    conditions = [MESSAGES.c.sender_kind == "agent", MESSAGES.c.visibility == "public",
                  _in_range(MESSAGES.c.ts, scope), 
                  *_in_conversations(MESSAGES.c.conversation_id, scope, always=True)]
    if scope.agent_id is not None:
        conditions.append(MESSAGES.c.sender_id == scope.agent_id)
    statement = select(MESSAGES.c.sender_id.label("agent_id"), key, func.count().label("value")
                       ).where(*conditions)
    return _grouped(statement, MESSAGES.c.sender_id, key, period)


def _first_responses(scope: ReportScope, period: Period | None) -> Any:
    """From each agent's first assignment of a conversation in the range to their first
    public message in it after that."""
    first = (select(EVENTS.c.agent_id, EVENTS.c.conversation_id, func.min(EVENTS.c.at).label("at"))
             .where(*_events_of("ConversationAssigned", scope))
             .group_by(EVENTS.c.agent_id, EVENTS.c.conversation_id).subquery("first_assignment"))
    reply = (select(func.min(MESSAGES.c.ts))
             .where(MESSAGES.c.conversation_id == first.c.conversation_id, MESSAGES.c.sender_kind == "agent",
                    MESSAGES.c.sender_id == first.c.agent_id, MESSAGES.c.visibility == "public",
                    MESSAGES.c.ts >= first.c.at).scalar_subquery())
    key = _period_of(first.c.at, period, scope).label("period")
    statement = select(first.c.agent_id, key, func.avg(seconds_between(first.c.at, reply)).label("value"))
    return _grouped(statement, first.c.agent_id, key, period)


def _ratings(scope: ReportScope, period: Period | None) -> Any:
    """The visitors' ratings given in the range, to the agent who held the conversation
    then (ConversationRated names them); the score is the conversation's, given once."""
    key = _period_of(EVENTS.c.at, period, scope).label("period")
    statement = (select(EVENTS.c.agent_id, key, func.count(ConversationRow.rating_score).label("n"),
                        func.avg(ConversationRow.rating_score).label("average"))
                 .join(ConversationRow, ConversationRow.id == EVENTS.c.conversation_id)
                 .where(*_events_of("ConversationRated", scope)))
    return _grouped(statement, EVENTS.c.agent_id, key, period)


async def _presence(session: Any, scope: ReportScope, agent_ids: list[str], end: datetime,
                    period: Period | None) -> dict[tuple[str, str | None, str], float]:
    """Seconds per (agent, period, status) of [since, end)."""
    if not agent_ids or end <= scope.since:
        return {}
    before = await session.execute(_status_before(scope, agent_ids))
    tallies = {row.id: PresenceTally(scope.since, end, row.status, period, scope.calendar) for row in before.all()}
    changes = await session.stream(
        select(EVENTS.c.agent_id, EVENTS.c.at, EVENTS.c.data["status"].as_string().label("status"))
        .where(EVENTS.c.center_id == scope.center_id, EVENTS.c.type == "AgentStatusChanged",
               EVENTS.c.agent_id.in_(agent_ids), EVENTS.c.at >= scope.since, EVENTS.c.at < end)
        .order_by(EVENTS.c.agent_id, EVENTS.c.at, EVENTS.c.id))
    async for change in changes:
        tallies[change.agent_id].change(change.at, change.status)
    return {(agent_id, label, status): seconds for agent_id, tally in tallies.items()
            for (label, status), seconds in tally.close().items()}


def _status_before(scope: ReportScope, agent_ids: list[str]) -> Any:
    """Each agent's presence as the range begins: their last change before it (one
    indexed lookup per agent, on (agent_id, at))."""
    last = (select(EVENTS.c.data["status"].as_string())
            .where(EVENTS.c.agent_id == AgentRow.id, EVENTS.c.type == "AgentStatusChanged",
                   EVENTS.c.center_id == scope.center_id, EVENTS.c.at < scope.since)
            .order_by(EVENTS.c.at.desc(), EVENTS.c.id.desc()).limit(1).scalar_subquery())
    return select(AgentRow.id, last.label("status")).where(AgentRow.id.in_(agent_ids))


def _figures(key: Key, accounts: dict[str, Any], served: dict[Key, Any], messages: dict[Key, Any],
             responses: dict[Key, Any], ratings: dict[Key, tuple[int, Any]],
             presence: dict[tuple[str, str | None, str], float]) -> AgentFigures:
    agent_id, label = key
    count, average = ratings.get(key, (0, None))
    response = responses.get(key)
    return AgentFigures(
        agent_id=agent_id, display_name=accounts[agent_id].display_name, period=label,
        online_s=round(presence.get((agent_id, label, "online"), 0.0), 3),
        away_s=round(presence.get((agent_id, label, "away"), 0.0), 3),
        conversations=int(served.get(key, 0)), messages=int(messages.get(key, 0)),
        first_response_avg_s=None if response is None else round(float(response), 3),
        ratings=count, rating_avg=None if average is None else round(float(average), 2))
