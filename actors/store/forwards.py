"""Forwarded conversations (级联转发): one row per conversation that crossed a link,
on each side (`out`: we forwarded it and keep the visitor; `in`: we serve it).

The durable outbox of a forward is the conversation's own message table; kept here is
`received_seq`, the highest of the peer's messages we stored, which our Hello tells the
peer after a reconnect or a restart so it resends what lies past it (a message we have
already is recognised by its seq, and stored once, by its client_msg_id).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.store.clock import utcnow
from actors.store.schema import ForwardRow

OPEN = "open"


@dataclass(frozen=True)
class Forward:
    id: str
    peer: str
    direction: str  # out | in
    conversation_id: str
    visitor_id: str  # out: the visitor; in: the link's stand-in visitor
    business: str
    offer_id: str
    state: str  # open | closed
    received_seq: int
    created_at: datetime
    disposition: str | None = None  # how it closed

    @classmethod
    def from_row(cls, row: ForwardRow) -> "Forward":
        return cls(row.id, row.peer, row.direction, row.conversation_id, row.visitor_id, row.business,
                   row.offer_id, row.state, row.received_seq, row.created_at, row.disposition)


async def record_forward(db: async_sessionmaker, *, id: str, peer: str, direction: str, conversation_id: str,
                         visitor_id: str, business: str, offer_id: str) -> Forward:
    """Stores a new open forward; the one stored already when the same offer comes again."""
    row = ForwardRow(id=id, peer=peer, direction=direction, conversation_id=conversation_id,
                     visitor_id=visitor_id, business=business, offer_id=offer_id, state=OPEN,
                     received_seq=0, created_at=utcnow())
    try:
        async with db() as session, session.begin():
            session.add(row)
    except IntegrityError:
        existing = await by_offer(db, peer, direction, offer_id)
        if existing is None:
            raise
        return existing
    return Forward.from_row(row)


async def get_forward(db: async_sessionmaker, forward_id: str, direction: str) -> Forward | None:
    async with db() as session:
        row = await session.get(ForwardRow, (forward_id, direction))
    return Forward.from_row(row) if row is not None else None


async def by_offer(db: async_sessionmaker, peer: str, direction: str, offer_id: str) -> Forward | None:
    async with db() as session:
        row = await session.scalar(select(ForwardRow).where(
            ForwardRow.peer == peer, ForwardRow.direction == direction, ForwardRow.offer_id == offer_id))
    return Forward.from_row(row) if row is not None else None


async def open_forwards(db: async_sessionmaker, peer: str | None = None) -> list[Forward]:
    query = select(ForwardRow).where(ForwardRow.state == OPEN)
    if peer is not None:
        query = query.where(ForwardRow.peer == peer)
    async with db() as session:
        return [Forward.from_row(row) for row in await session.scalars(query.order_by(ForwardRow.created_at))]


async def advance_all(db: async_sessionmaker, cursors: dict[tuple[str, str], int]) -> None:
    """Moves each (forward, direction)'s `received_seq` forward (never back), in one commit."""
    greatest = func.max if db.kw["bind"].dialect.name == "sqlite" else func.greatest
    async with db() as session, session.begin():
        for (forward_id, direction), received_seq in cursors.items():
            await session.execute(update(ForwardRow).where(
                ForwardRow.id == forward_id, ForwardRow.direction == direction).values(
                received_seq=greatest(ForwardRow.received_seq, received_seq)))


async def close_forward(db: async_sessionmaker, forward_id: str, direction: str, disposition: str) -> bool:
    """Closes it once; True for the call that did."""
    async with db() as session, session.begin():
        done = await session.execute(update(ForwardRow).where(
            ForwardRow.id == forward_id, ForwardRow.direction == direction, ForwardRow.state == OPEN)
            .values(state="closed", disposition=disposition, closed_at=utcnow()))
    return bool(done.rowcount)


async def with_peer(db: async_sessionmaker, peer: str, ids: list[str]) -> dict[str, Forward]:
    """Our forwards with `peer` among `ids` (any state, either direction), by id."""
    found: dict[str, Forward] = {}
    async with db() as session:
        for start in range(0, len(ids), 500):
            rows = await session.scalars(select(ForwardRow).where(
                ForwardRow.peer == peer, ForwardRow.id.in_(ids[start:start + 500])))
            found.update((row.id, Forward.from_row(row)) for row in rows)
    return found


async def open_forward_of(db: async_sessionmaker, conversation_id: str, direction: str) -> Forward | None:
    """The conversation's open forward on this side, if it crossed a link."""
    async with db() as session:
        row = await session.scalar(select(ForwardRow).where(
            ForwardRow.conversation_id == conversation_id, ForwardRow.direction == direction,
            ForwardRow.state == OPEN))
    return Forward.from_row(row) if row is not None else None
