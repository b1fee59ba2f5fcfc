"""The durable event log: what happened, appended in the same commit as the change.

Entities hand the logged events of a state change to the group commit together
with the change itself (actors/store/group_commit.py), so the log never holds a
fact the state does not, nor misses one it does. Reports, SLA figures and audits
are queries over these rows (`query`), never over state that is overwritten.
Event types are listed in actors/events.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.domain_event import DomainEvent, encode
from actors.store.clock import as_utc, utcnow
from actors.store.department_scope import Scope, event_condition
from actors.store.schema import EventRow

EVENTS = EventRow.__table__
MAX_PAGE = 1000
# The columns reports select and group by; an event names those it knows.
_SUBJECTS = ("conversation_id", "agent_id", "skill_group", "visitor_id")


def event_row(event: DomainEvent, at: datetime | None = None) -> dict[str, Any]:
    """The row of a logged event (one executemany per commit takes a list of these)."""
    data = encode(event)
    row = {"center_id": data.get("center_id") or "", "type": data.pop("type"),
           "at": at or utcnow(), "data": data}
    for name in _SUBJECTS:
        value = getattr(event, name, None)
        row[name] = value if isinstance(value, str) else None
    return row


@dataclass(frozen=True)
class LoggedEvent:
    id: int
    center_id: str
    type: str
    at: datetime
    conversation_id: str | None
    agent_id: str | None
    skill_group: str | None
    visitor_id: str | None
    data: dict[str, Any]

    def to_wire(self) -> dict[str, Any]:
        from actors.store.clock import iso

        return {"id": self.id, "type": self.type, "at": iso(self.at),
                "conversation_id": self.conversation_id, "agent_id": self.agent_id,
                "skill_group": self.skill_group, "visitor_id": self.visitor_id, "data": self.data}


async def query(db: async_sessionmaker, center_id: str, *, since: datetime | None = None,
                until: datetime | None = None, types: Sequence[str] = (),
                conversation_id: str | None = None, agent_id: str | None = None,
                after_id: int = 0, limit: int = MAX_PAGE, scope: Scope = None) -> list[LoggedEvent]:
    """A center's events in log order: `since` inclusive, `until` exclusive; page on with
    `after_id` = the last id returned. Only those in `scope` (department_scope.py)."""
    statement = select(EVENTS).where(EVENTS.c.center_id == center_id, EVENTS.c.id > after_id,
                                     event_condition(scope, center_id, EVENTS.c.conversation_id,
                                                     EVENTS.c.agent_id))
    if since is not None:
        statement = statement.where(EVENTS.c.at >= since)
    if until is not None:
        statement = statement.where(EVENTS.c.at < until)
    if types:
        statement = statement.where(EVENTS.c.type.in_(list(types)))
    if conversation_id is not None:
        statement = statement.where(EVENTS.c.conversation_id == conversation_id)
    if agent_id is not None:
        statement = statement.where(EVENTS.c.agent_id == agent_id)
    statement = statement.order_by(EVENTS.c.id).limit(max(1, min(limit, MAX_PAGE)))
    async with db() as session:
        rows = (await session.execute(statement)).all()
    return [LoggedEvent(row.id, row.center_id, row.type, as_utc(row.at), row.conversation_id,
                        row.agent_id, row.skill_group, row.visitor_id, row.data) for row in rows]
