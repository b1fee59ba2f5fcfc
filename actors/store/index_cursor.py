"""A background indexer's cursor (schema.IndexCursorRow): the message id up to which
every message is indexed. Written in the transaction of the index rows it covers, so
the cursor never runs ahead of the index, and read once when the indexer starts."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection, async_sessionmaker

from actors.store.clock import utcnow
from actors.store.schema import IndexCursorRow

CURSORS = IndexCursorRow.__table__


async def read_cursor(db: async_sessionmaker, name: str) -> int:
    """0 when the indexer never ran: it starts from the first message."""
    async with db() as session:
        return await session.scalar(select(IndexCursorRow.position).where(IndexCursorRow.name == name)) or 0


async def move_cursor(conn: AsyncConnection, name: str, position: int) -> None:
    """In the caller's transaction."""
    moved = await conn.execute(update(CURSORS).where(CURSORS.c.name == name)
                               .values(position=position, updated_at=utcnow()))
    if moved.rowcount == 0:
        # The first move. One indexer per database writes its cursor: nobody races it.
        await conn.execute(CURSORS.insert().values(name=name, position=position, updated_at=utcnow()))
