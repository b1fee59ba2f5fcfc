"""Visitor records (访客), anonymous or identified by a site-signed external id."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.store.clock import utcnow
from actors.store.records import new_id
from actors.store.schema import VisitorRow
from actors.store.tracking import touch


async def create_visitor(db: async_sessionmaker, center_id: str, name: str, channel: str,
                         region: str | None, external_id: str | None = None,
                         level: int = 0, key_hash: str | None = None) -> VisitorRow:
    now = utcnow()
    row = VisitorRow(id=new_id("v"), center_id=center_id, external_id=external_id, name=name,
                     level=level, region=region, channel=channel, created_at=now,
                     key_hash=key_hash, visits=1, last_seen_at=now, landing_visit=0)
    async with db() as session, session.begin():
        session.add(row)
    return row


async def identified_visitor(db: async_sessionmaker, center_id: str, external_id: str, name: str,
                             level: int | None, channel: str, region: str | None,
                             key_hash: str | None = None) -> VisitorRow:
    """The customer with this external id, created on first visit and updated on later ones.
    A new key replaces the one before (a device holding that one signs in again)."""
    for _ in range(2):  # a concurrent first visit may win the insert; then we update theirs
        async with db() as session:
            async with session.begin():
                row = await session.scalar(select(VisitorRow).where(
                    VisitorRow.center_id == center_id, VisitorRow.external_id == external_id))
                if row is not None:
                    row.name = name or row.name
                    row.level = row.level if level is None else level
                    row.region = region or row.region
                    row.channel = channel
                    row.key_hash = key_hash or row.key_hash
                    touch(row, utcnow())  # a returning customer: a new visit when due
                    return row
        try:
            return await create_visitor(db, center_id, name, channel, region, external_id, level or 0,
                                        key_hash)
        except IntegrityError:
            continue
    raise RuntimeError("could not store the visitor")


async def get_visitor(db: async_sessionmaker, visitor_id: str) -> VisitorRow | None:
    async with db() as session:
        return await session.get(VisitorRow, visitor_id)


async def list_visitors(db: async_sessionmaker, center_id: str, limit: int, offset: int = 0,
                        external_id: str | None = None) -> list[VisitorRow]:
    query = select(VisitorRow).where(VisitorRow.center_id == center_id)
    if external_id is not None:
        query = query.where(VisitorRow.external_id == external_id)
    async with db() as session:
        rows = await session.scalars(query.order_by(VisitorRow.created_at.desc(), VisitorRow.id)
                                     .offset(offset).limit(limit))
        return list(rows)


async def set_visitor_level(db: async_sessionmaker, visitor_id: str, level: int) -> VisitorRow | None:
    async with db() as session, session.begin():
        row = await session.get(VisitorRow, visitor_id)
        if row is not None:
            row.level = level
        return row


async def set_visitor_contact(db: async_sessionmaker, visitor_id: str, contact: str,
                              name: str | None = None) -> None:
    """How to reach the visitor (and their name, when given), from a left message."""
    async with db() as session, session.begin():
        row = await session.get(VisitorRow, visitor_id)
        if row is not None:
            row.contact = contact
            if name:
                row.name = name
