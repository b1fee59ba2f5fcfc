"""The center's own time zone: its work hours' `timezone` (工作时间), else UTC. The
reports' default zone and the live monitor's day ("today" starts at the center's
midnight, not London's)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.reports.periods import UTC, UnknownZone, zone_named
from actors.store.centers import get_center


async def center_zone(db: async_sessionmaker, center_id: str) -> ZoneInfo:
    row = await get_center(db, center_id)
    name = ((row.routing or {}).get("work_hours") or {}).get("timezone") if row is not None else None
    try:
        return zone_named(name) if name else UTC
    except UnknownZone:  # stored hours are checked when set; an old one falls back
        return UTC
