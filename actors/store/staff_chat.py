"""Staff chat rows (内部对话): the pairs' messages and how far each member has read.

Writes come only from a pair's entity (actors/staff_chat/entity.py), one at a time,
which is what keeps seqs gapless and lets a read mark be an update-or-insert
without a race. Reads serve the desk's REST calls.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, insert, or_, select, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actors.staff_chat.protocol import StaffMessage
from actors.store.schema import AgentRow, StaffMessageRow, StaffReadRow

# The desk lists at most this many pairs, the most recent first (DESIGN.md decision 13).
MAX_THREADS = 200
MAX_PAGE = 200


class DuplicateStaffMessage(Exception):
    def __init__(self, existing: StaffMessage) -> None:
        super().__init__(existing.client_msg_id)
        self.existing = existing


@dataclass(frozen=True)
class ThreadSummary:
    colleague_id: str
    colleague_name: str
    last: StaffMessage
    unread: int


def _message(row: StaffMessageRow, names: dict[str, str]) -> StaffMessage:
    return StaffMessage(row.thread, row.seq, row.sender_id, names.get(row.sender_id, ""),
                        row.recipient_id, row.body, row.client_msg_id, row.ts)


async def _names(session: AsyncSession, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    rows = await session.execute(select(AgentRow.id, AgentRow.display_name).where(AgentRow.id.in_(ids)))
    return dict(rows.all())


async def last_seq(db: async_sessionmaker, thread: str) -> int:
    async with db() as session:
        seq = await session.scalar(select(func.max(StaffMessageRow.seq)).where(StaffMessageRow.thread == thread))
    return seq or 0


async def append(db: async_sessionmaker, center_id: str, message: StaffMessage) -> None:
    """Stores the message and moves its sender's read mark to it (whoever replies has
    read what came before), in one transaction. Raises DuplicateStaffMessage when the
    sender used this client_msg_id in the pair already."""
    try:
        async with db() as session, session.begin():
            await session.execute(insert(StaffMessageRow).values(
                thread=message.thread, seq=message.seq, center_id=center_id, sender_id=message.sender_id,
                recipient_id=message.recipient_id, body=message.body, client_msg_id=message.client_msg_id,
                ts=message.ts))
            await _read_up_to(session, message.thread, message.sender_id, message.seq)
    except IntegrityError:
        existing = await _find(db, message.thread, message.sender_id, message.client_msg_id)
        if existing is None:
            raise
        raise DuplicateStaffMessage(existing) from None


async def _find(db: async_sessionmaker, thread: str, sender_id: str,
                client_msg_id: str | None) -> StaffMessage | None:
    async with db() as session:
        row = await session.scalar(select(StaffMessageRow).where(
            StaffMessageRow.thread == thread, StaffMessageRow.sender_id == sender_id,
            StaffMessageRow.client_msg_id == client_msg_id))
        if row is None:
            return None
        return _message(row, await _names(session, {row.sender_id}))


async def mark_read(db: async_sessionmaker, thread: str, agent_id: str, seq: int) -> bool:
    """Moves the agent's read mark forward (never back); True if it moved."""
    async with db() as session, session.begin():
        return await _read_up_to(session, thread, agent_id, seq)


async def _read_up_to(session: AsyncSession, thread: str, agent_id: str, seq: int) -> bool:
    moved = await session.execute(update(StaffReadRow).where(
        StaffReadRow.thread == thread, StaffReadRow.agent_id == agent_id, StaffReadRow.read_seq < seq)
        .values(read_seq=seq))
    if moved.rowcount:
        return True
    exists = await session.scalar(select(StaffReadRow.read_seq).where(
        StaffReadRow.thread == thread, StaffReadRow.agent_id == agent_id))
    if exists is not None:
        return False
    await session.execute(insert(StaffReadRow).values(thread=thread, agent_id=agent_id, read_seq=seq))
    return True


async def threads_of(db: async_sessionmaker, center_id: str, agent_id: str) -> list[ThreadSummary]:
    """The agent's pairs with their newest message and the agent's unread count,
    the most recently active first."""
    mine = or_(StaffMessageRow.sender_id == agent_id, StaffMessageRow.recipient_id == agent_id)
    async with db() as session:
        newest = (await session.execute(
            select(StaffMessageRow.thread, func.max(StaffMessageRow.seq))
            .where(StaffMessageRow.center_id == center_id, mine)
            .group_by(StaffMessageRow.thread))).all()
        if not newest:
            return []
        rows = list(await session.scalars(select(StaffMessageRow).where(
            tuple_(StaffMessageRow.thread, StaffMessageRow.seq).in_([tuple(pair) for pair in newest]))))
        rows.sort(key=lambda row: row.ts, reverse=True)
        rows = rows[:MAX_THREADS]
        read = StaffReadRow.__table__
        unread = dict((await session.execute(
            select(StaffMessageRow.thread, func.count())
            .select_from(StaffMessageRow.__table__.outerjoin(read, and_(
                read.c.thread == StaffMessageRow.thread, read.c.agent_id == agent_id)))
            .where(StaffMessageRow.center_id == center_id, StaffMessageRow.recipient_id == agent_id,
                   StaffMessageRow.seq > func.coalesce(read.c.read_seq, 0))
            .group_by(StaffMessageRow.thread))).all())
        colleagues = {row.recipient_id if row.sender_id == agent_id else row.sender_id for row in rows}
        names = await _names(session, colleagues | {agent_id})
    summaries = []
    for row in rows:
        colleague = row.recipient_id if row.sender_id == agent_id else row.sender_id
        summaries.append(ThreadSummary(colleague, names.get(colleague, ""), _message(row, names),
                                       unread.get(row.thread, 0)))
    return summaries


async def messages(db: async_sessionmaker, thread: str, after_seq: int = 0,
                   before_seq: int | None = None, limit: int = MAX_PAGE) -> list[StaffMessage]:
    """In seq order: the first `limit` after `after_seq`, or with `before_seq` the
    last `limit` before it (scrolling back)."""
    query = select(StaffMessageRow).where(StaffMessageRow.thread == thread, StaffMessageRow.seq > after_seq)
    if before_seq is not None:
        query = query.where(StaffMessageRow.seq < before_seq).order_by(StaffMessageRow.seq.desc())
    else:
        query = query.order_by(StaffMessageRow.seq)
    async with db() as session:
        rows = list(await session.scalars(query.limit(min(limit, MAX_PAGE))))
        names = await _names(session, {row.sender_id for row in rows})
    rows.sort(key=lambda row: row.seq)
    return [_message(row, names) for row in rows]
