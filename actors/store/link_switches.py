"""Isolate switches of linked centers (federation/peer.py, Peer.isolate), one row per peer."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.store.clock import utcnow
from actors.store.schema import LinkSwitchRow


async def isolated_peers(db: async_sessionmaker) -> set[str]:
    async with db() as session:
        return set(await session.scalars(select(LinkSwitchRow.peer).where(LinkSwitchRow.isolated.is_(True))))


async def set_isolated(db: async_sessionmaker, peer: str, isolated: bool, by: str | None) -> None:
    async with db() as session, session.begin():
        row = await session.get(LinkSwitchRow, peer)
        if row is None:
            session.add(LinkSwitchRow(peer=peer, isolated=isolated, changed_by=by, changed_at=utcnow()))
        else:
            row.isolated, row.changed_by, row.changed_at = isolated, by, utcnow()
