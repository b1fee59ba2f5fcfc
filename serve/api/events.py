"""The durable event log, read by staff who oversee (actors/events.md lists the types).

Paged by position in the log: `after_id` is the last `id` of the previous page.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from actors.event_catalog import LOGGED_TYPES
from actors.store import event_log
from serve.api.access import Caller, Runtime, require_role
from serve.api.error_responses import AUTHENTICATED, errors
from serve.api.scope import caller_scope
from serve.errors import ApiError

router = APIRouter(tags=["events"])
DEFAULT_LIMIT = 200
MAX_LIMIT = 500


class LoggedEventOut(BaseModel):
    id: int
    type: str
    at: str
    conversation_id: str | None
    agent_id: str | None
    skill_group: str | None
    visitor_id: str | None
    data: dict[str, Any]


class EventPage(BaseModel):
    events: list[LoggedEventOut]
    # Pass as `after_id` for the next page; null when this page is the last.
    next_after_id: int | None


Id = Annotated[str | None, Query(max_length=100)]


@router.get("/api/v1/events", response_model=EventPage, responses=errors(*AUTHENTICATED))
async def events(rt: Runtime, who: Caller,
                 from_: Annotated[datetime | None, Query(alias="from")] = None,
                 to: datetime | None = None,
                 type: Annotated[list[str] | None, Query(max_length=len(LOGGED_TYPES))] = None,
                 conversation_id: Id = None, agent_id: Id = None,
                 after_id: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0,  # a 64-bit id, as stored
                 limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT) -> EventPage:
    """The center's logged events in log order; `from` inclusive, `to` exclusive (ISO 8601)."""
    require_role(who, "admin", "supervisor")
    unknown = sorted(set(type or ()) - set(LOGGED_TYPES))
    if unknown:
        raise ApiError(422, "invalid_request", f"type: not a logged event type: {', '.join(unknown)}")
    rows = await event_log.query(rt.db, rt.center_id, since=from_, until=to, types=type or (),
                                 conversation_id=conversation_id, agent_id=agent_id,
                                 after_id=after_id, limit=limit + 1,
                                 scope=await caller_scope(rt, who))
    page = rows[:limit]
    return EventPage(events=[LoggedEventOut(**row.to_wire()) for row in page],
                     next_after_id=page[-1].id if len(rows) > limit else None)
