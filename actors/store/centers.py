"""The center record: routing settings (minus skill groups) and other center settings."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.store.clock import utcnow
from actors.store.schema import CenterRow, SkillGroupRow
from actors.store.skill_groups import list_skill_groups


async def get_center(db: async_sessionmaker, center_id: str) -> CenterRow | None:
    async with db() as session:
        return await session.get(CenterRow, center_id)


async def ensure_center(db: async_sessionmaker, center_id: str, name: str,
                        routing: dict[str, Any]) -> bool:
    """Create the center if missing; True if it was created (first start)."""
    try:
        async with db() as session, session.begin():
            if await session.get(CenterRow, center_id) is not None:
                return False
            session.add(CenterRow(id=center_id, name=name, routing=routing, created_at=utcnow()))
    except IntegrityError:
        return False  # another process created it first
    return True


async def set_center_routing(db: async_sessionmaker, center_id: str, routing: dict[str, Any]) -> None:
    async with db() as session, session.begin():
        await session.execute(update(CenterRow).where(CenterRow.id == center_id).values(routing=routing))


async def set_center_settings(db: async_sessionmaker, center_id: str,
                              settings: dict[str, Any] | None) -> None:
    async with db() as session, session.begin():
        await session.execute(update(CenterRow).where(CenterRow.id == center_id).values(settings=settings))


def group_config(row: SkillGroupRow) -> dict[str, Any]:
    """A skill-group row in the shape of a center file's `skill_groups` entries."""
    return {"name": row.name, "display_name": row.display_name, "queue_timeout_s": row.queue_timeout_s,
            "overflow_to": row.overflow_to, "work_hours": row.work_hours, "bot": row.bot}


async def routing_config(db: async_sessionmaker, center_id: str) -> dict[str, Any] | None:
    """The center's routing as stored, in the shape parse_center_routing reads
    (None if there is no such center)."""
    row = await get_center(db, center_id)
    if row is None:
        return None
    groups = await list_skill_groups(db, center_id)
    return {**(row.routing or {}), "skill_groups": [group_config(g) for g in groups]}


async def rename_center(db: async_sessionmaker, center_id: str, name: str) -> None:
    async with db() as session, session.begin():
        await session.execute(update(CenterRow).where(CenterRow.id == center_id).values(name=name))


async def set_center_section(db: async_sessionmaker, center_id: str, section: str,
                             value: dict[str, Any] | None) -> None:
    """Replace one section of the center's settings (e.g. `widget`), leaving the others:
    read and written in one transaction, the row locked where the database can."""
    async with db() as session, session.begin():
        row = (await session.execute(select(CenterRow).where(CenterRow.id == center_id)
                                     .with_for_update())).scalar_one_or_none()
        if row is None:
            return
        settings = dict(row.settings or {})
        if value is None:
            settings.pop(section, None)
        else:
            settings[section] = value
        row.settings = settings or None
