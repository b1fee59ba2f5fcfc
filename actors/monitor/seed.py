"""Seeding the monitor once at start: the event log of the last 7 days, today's
messages, the agents' caps and the monitor's settings.

The only reads of the message table are here (once per start, by the day's
index on ts); afterwards the monitor follows the bus feed (actors/monitor/feed.py).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone, tzinfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.monitor.departments import Departments
from actors.monitor.figures import FACT_TYPES, Figures, day_start
from actors.monitor.settings import MonitorSettings, parse_monitor_settings
from actors.monitor.snapshot import AgentCard
from actors.store import event_log
from actors.store.centers import get_center
from actors.store.clock import as_utc
from actors.store.schema import AgentRow, ConversationRow, DepartmentRow, MessageRow, SkillGroupRow

LOGGED_FACTS = tuple(t for t in FACT_TYPES if t != "MessagePosted")
HEATMAP_DAYS = 7


def message_data(row) -> dict:
    """A message row as MessagePosted's `data` (the fields Figures reads)."""
    return {"message": {"conversation_id": row.conversation_id, "seq": row.seq, "sender_kind": row.sender_kind,
                        "sender_id": row.sender_id, "body": row.body, "ts": as_utc(row.ts),
                        "visibility": row.visibility}}


async def seed_figures(db: async_sessionmaker, center_id: str, now: datetime, settings: MonitorSettings,
                       zone: tzinfo = timezone.utc) -> tuple[Figures, set[tuple]]:
    """Figures as of `now`, days and hours on `zone`'s clock, and the keys of the facts
    read (to skip their bus copies)."""
    figures = Figures(today=day_start(now, zone), sensitive_words=settings.sensitive_words, zone=zone)
    seen: set[tuple] = set()
    after_id = 0
    since = figures.today - timedelta(days=HEATMAP_DAYS - 1)
    while True:
        page = await event_log.query(db, center_id, since=since, types=LOGGED_FACTS, after_id=after_id)
        for row in page:
            figures.apply(row.type, row.data, row.at)
            seen.add(fact_key(row.type, row.data))
        if len(page) < event_log.MAX_PAGE:
            break
        after_id = page[-1].id
    messages = (select(MessageRow).join(ConversationRow, ConversationRow.id == MessageRow.conversation_id)
                .where(ConversationRow.center_id == center_id, MessageRow.ts >= figures.today)
                .order_by(MessageRow.ts, MessageRow.id))
    async with db() as session:
        for row in (await session.execute(messages)).scalars():
            data = message_data(row)
            figures.apply("MessagePosted", data, as_utc(row.ts))
            seen.add(fact_key("MessagePosted", data))
    return figures, seen


def fact_key(kind: str, data: dict) -> tuple:
    """Identifies a fact in both its log form and its bus form."""
    if kind == "MessagePosted":
        return (kind, data["message"]["conversation_id"], int(data["message"]["seq"]))
    # Sorted keys: PostgreSQL's JSON may hand nested objects back in another order.
    return (kind, json.dumps(data, sort_keys=True, default=str))


async def agent_cards(db: async_sessionmaker, center_id: str) -> dict[str, AgentCard]:
    statement = select(AgentRow.id, AgentRow.display_name, AgentRow.max_concurrent).where(
        AgentRow.center_id == center_id, AgentRow.deleted_at.is_(None), AgentRow.disabled_at.is_(None))
    async with db() as session:
        rows = (await session.execute(statement)).all()
    return {row.id: AgentCard(row.id, row.display_name, row.max_concurrent) for row in rows}


async def department_map(db: async_sessionmaker, center_id: str) -> Departments:
    """The department tree and who is in which department (agents, skill groups)."""
    async with db() as session:
        tree = (await session.execute(select(DepartmentRow.id, DepartmentRow.name, DepartmentRow.parent_id)
                                      .where(DepartmentRow.center_id == center_id))).all()
        agents = (await session.execute(select(AgentRow.id, AgentRow.department_id).where(
            AgentRow.center_id == center_id, AgentRow.department_id.is_not(None),
            AgentRow.deleted_at.is_(None)))).all()
        groups = (await session.execute(select(SkillGroupRow.name, SkillGroupRow.department_id).where(
            SkillGroupRow.center_id == center_id, SkillGroupRow.department_id.is_not(None)))).all()
    return Departments(names={d: name for d, name, _ in tree}, parents={d: p for d, _, p in tree},
                       agents=dict(agents), groups=dict(groups))


async def monitor_settings(db: async_sessionmaker, center_id: str) -> MonitorSettings:
    row = await get_center(db, center_id)
    return parse_monitor_settings(row.settings if row is not None else None)
