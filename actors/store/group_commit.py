"""Group commit: the writes of every entity on a shard share transactions.

A message is acknowledged only once committed (DESIGN.md decision 2), and a
conversation's state changes (opened, assigned, ended) are committed before
anyone hears of them. A commit costs the same for one row as for a hundred: a
disk sync on PostgreSQL, the database's single write lock on SQLite (which the
shards and the gateway take in turn). Measured on SQLite with one transaction
per write: a burst of 200 chat requests spent ~270 ms per conversation insert
waiting for the lock, and the ACD managed ~55 assignments a second on an idle
CPU. So entities hand their writes to this writer and wait; one task takes
everything waiting, runs it in one transaction and wakes each writer with its
own outcome. Under light load a batch is one write and nothing waits longer
than before; under load a commit carries many.

Within a transaction, writes of the same shape (conversation inserts with the
same columns, updates of the same table and columns, messages) go to the
database as one executemany. Measured on SQLite through aiosqlite: one UPDATE
statement costs about 0.7 ms of CPU (SQLAlchemy plus the hop to aiosqlite's
thread), the same UPDATE as one row of an executemany about 0.02 ms.

Logged domain events ride along with the write that records their change
(`events=`), so the event log is committed in the same transaction as the state
(actors/store/event_log.py).

Order per entity stays with the entity: it hands over its next write only after
the previous one's outcome, so one batch never holds two writes of one entity
and the writes of a batch may run in any order.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from sqlalchemy import Connection, Table, Update, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from actors.domain_event import DomainEvent
from actors.store.database import SqliteWriter, is_lock_busy
from actors.store.event_log import EVENTS, event_row
from actors.store.messages import DuplicateMessage, StoredMessage
from actors.store.schema import AgentRow, AttachmentRow, ConversationRow, MessageRow, ParticipantRow

log = logging.getLogger(__name__)

# Writes per transaction at most: bounds the time one commit holds SQLite's lock.
MAX_BATCH = 500
# SQLite's write lock refused (another process commits): retry soon, then less often.
LOCK_RETRY_FIRST_S = 0.0003
LOCK_RETRY_MAX_S = 0.005
LOCK_WAIT_MAX_S = 30.0
CONVERSATIONS = ConversationRow.__table__
MESSAGES = MessageRow.__table__
AGENTS = AgentRow.__table__
PARTICIPANTS = ParticipantRow.__table__
ATTACHMENTS = AttachmentRow.__table__
# An attachment is marked as carried by its message in the message's own transaction.
_CARRY = (update(ATTACHMENTS).where(ATTACHMENTS.c.id == bindparam("_id"))
          .values(message_seq=bindparam("_seq")))


@dataclass(frozen=True)
class Fence:
    """An owner's slot granted by this incarnation of the agent's entity: the write
    lands only while it is still the agent's (actors/agent/reservations.py)."""

    agent_id: str
    incarnation: int


class StaleGrant(Exception):
    """The agent's entity was rebuilt after granting the slot: nothing was written, and
    the rebuilt agent never counted the slot; ask it again."""


@dataclass
class _Write:
    kind: str  # "message" | "insert" | "update" | "log" (events only)
    done: asyncio.Future
    message: StoredMessage | None = None
    table: Table = CONVERSATIONS  # what an insert or update writes to
    key: dict[str, Any] | None = None  # the primary key of the row an update changes
    fields: dict[str, Any] | None = None  # an insert's or update's columns
    events: Sequence[DomainEvent] = ()  # logged with this write
    fence: Fence | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)  # its events' log rows, once applied

    @property
    def shape(self) -> tuple[str, Table, tuple[str, ...]]:
        """Writes of one shape go to the database as one executemany."""
        return self.kind, self.table, tuple(sorted(self.fields or ()))


class GroupCommit:
    def __init__(self, engine: AsyncEngine,
                 on_committed: "Callable[[list[dict[str, Any]], list[StoredMessage]], None] | None" = None
                 ) -> None:
        self.engine = engine
        # On SQLite a whole transaction runs in one call on the writer's own thread
        # (see SqliteWriter); elsewhere through the async engine.
        self._sqlite = SqliteWriter(engine.url) if engine.dialect.name == "sqlite" else None
        # Told (synchronously, must not block) what each commit made durable: the
        # live monitor's feed (actors/monitor/feed.py).
        self.on_committed = on_committed
        self._pending: list[_Write] = []
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task | None = None

    async def append_message(self, message: StoredMessage) -> StoredMessage:
        """Returns once the message is committed. Raises DuplicateMessage when its
        client_msg_id is stored already (as `conversations.append_message` does)."""
        return await self._submit(_Write("message", self._future(), message=message))

    async def insert_conversation(self, events: Sequence[DomainEvent] = (), **fields: Any) -> None:
        """Returns once the new conversation row (and `events`) are committed."""
        await self._submit(_Write("insert", self._future(), fields=fields, events=events))

    async def update_conversation(self, conversation_id: str, events: Sequence[DomainEvent] = (),
                                  fence: Fence | None = None, **fields: Any) -> None:
        """Returns once the changed columns (and `events`) are committed. With a
        `fence`, raises StaleGrant (and writes nothing) if the agent was rebuilt since."""
        await self._submit(_Write("update", self._future(), key={"id": conversation_id}, fields=fields,
                                  events=events, fence=fence))

    async def update_agent(self, agent_id: str, events: Sequence[DomainEvent] = (),
                           **fields: Any) -> None:
        """Returns once the agent's changed columns (their status) are committed: a
        thousand agents signing on at nine o'clock share a few commits."""
        await self._submit(_Write("update", self._future(), table=AGENTS, key={"id": agent_id},
                                  fields=fields, events=events))

    async def insert_participant(self, events: Sequence[DomainEvent] = (), **fields: Any) -> None:
        await self._submit(_Write("insert", self._future(), table=PARTICIPANTS, fields=fields,
                                  events=events))

    async def update_participant(self, key: dict[str, Any], events: Sequence[DomainEvent] = (),
                                 **fields: Any) -> None:
        await self._submit(_Write("update", self._future(), table=PARTICIPANTS, key=key,
                                  fields=fields, events=events))

    async def log(self, *events: DomainEvent) -> None:
        """Events whose change has no row of its own to write."""
        await self._submit(_Write("log", self._future(), events=events))

    def _future(self) -> asyncio.Future:
        return asyncio.get_running_loop().create_future()

    async def _submit(self, write: _Write) -> Any:
        if self._task is None or self._task.done():
            self._wake = asyncio.Event()
            self._task = asyncio.get_running_loop().create_task(self._run())
        self._pending.append(write)
        self._wake.set()
        return await write.done

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._pending:
                batch, self._pending = self._pending[:MAX_BATCH], self._pending[MAX_BATCH:]
                await self._commit(batch)

    async def _transaction(self, batch: list[_Write]) -> set[int]:
        """Commit `batch`; returns the writes (by id) left out as stale grants."""
        delay = LOCK_RETRY_FIRST_S
        waited = 0.0
        while True:
            try:
                if self._sqlite is not None:
                    return await self._sqlite.transaction(_apply, batch)
                async with self.engine.begin() as conn:
                    return await conn.run_sync(_apply, batch)
            except OperationalError as error:
                if not is_lock_busy(error) or waited >= LOCK_WAIT_MAX_S:
                    raise
            await asyncio.sleep(delay)
            waited += delay
            delay = min(delay * 1.5, LOCK_RETRY_MAX_S)

    async def _commit(self, batch: list[_Write]) -> None:
        try:
            stale = await self._transaction(batch)
        except IntegrityError:
            # A resent client_msg_id (or a row a restarted entity wrote already)
            # spoils the whole batch; commit each alone so only the offender fails.
            await self._one_by_one(batch)
            return
        except Exception as error:  # the database is down: every waiter hears it
            for write in batch:
                _settle(write.done, error=error)
            return
        for write in batch:
            _settle(write.done, result=write.message, error=StaleGrant() if id(write) in stale else None)
        self._tell_committed([w for w in batch if id(w) not in stale])

    async def _one_by_one(self, batch: list[_Write]) -> None:
        for write in batch:
            try:
                stale = await self._transaction([write])
            except IntegrityError as error:
                _settle(write.done, error=await self._explain(write, error))
            except Exception as error:
                _settle(write.done, error=error)
            else:
                _settle(write.done, result=write.message, error=StaleGrant() if stale else None)
                if not stale:
                    self._tell_committed([write])

    def _tell_committed(self, writes: list[_Write]) -> None:
        if self.on_committed is None:
            return
        rows = [row for w in writes for row in w.rows]
        messages = [w.message for w in writes if w.message is not None]
        if rows or messages:
            self.on_committed(rows, messages)

    async def _explain(self, write: _Write, error: IntegrityError) -> Exception:
        """DuplicateMessage with the stored message when that is what the error was."""
        message = write.message
        if message is None or message.client_msg_id is None:
            return error
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(MESSAGES).where(
                MESSAGES.c.conversation_id == message.conversation_id,
                MESSAGES.c.client_msg_id == message.client_msg_id))).first()
        if row is None:
            return error
        return DuplicateMessage(StoredMessage.from_row(row))

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        if self._sqlite is not None:
            self._sqlite.close()


def _apply(conn: Connection, batch: list[_Write]) -> set[int]:
    """New conversations first (messages and participants refer to them), then the
    other inserts, messages, updates and the batch's logged events; one executemany
    per shape. Fenced writes whose agent was rebuilt are left out; returns their ids."""
    stale = _stale_fences(conn, batch)
    if stale:
        batch = [w for w in batch if id(w) not in stale]
    groups = _by_shape(batch)
    inserts = sorted((key for key in groups if key[0] == "insert"),
                     key=lambda key: key[1] is not CONVERSATIONS)
    for key in inserts:
        conn.execute(insert(key[1]), [w.fields for w in groups[key]])
    messages = [_message_row(w.message) for w in batch if w.kind == "message"]
    if messages:
        conn.execute(insert(MESSAGES), messages)
    carried = [{"_id": attachment.id, "_seq": w.message.seq} for w in batch if w.kind == "message"
               for attachment in w.message.attachments]
    if carried:
        conn.execute(_CARRY, carried)
    for (kind, table, columns), writes in groups.items():
        if kind == "update":
            conn.execute(_update_statement(table, columns), [
                {**{f"_key_{name}": value for name, value in w.key.items()},
                 **{f"_{name}": w.fields[name] for name in columns}}
                for w in writes])
    for w in batch:  # kept on the write: the monitor's feed gets the rows as committed
        w.rows = [event_row(event) for event in w.events]
    logged = [row for w in batch for row in w.rows]
    if logged:
        conn.execute(insert(EVENTS), logged)
    return stale


def _stale_fences(conn: Connection, batch: list[_Write]) -> set[int]:
    """The fenced writes whose agent has a newer incarnation. Read inside the write
    transaction: SQLite's write lock is held from BEGIN IMMEDIATE (database.py); on
    PostgreSQL the agents' rows are locked, in id order so two shards' batches never
    deadlock, with the rows this batch updates, until the commit. So an agent rebuilt
    meanwhile bumps its incarnation either before this check or after this commit,
    and counts this record when it does."""
    fenced = [w for w in batch if w.fence is not None]
    if not fenced:
        return set()
    ids = {w.fence.agent_id for w in fenced} | {w.key["id"] for w in batch if w.table is AGENTS and w.key}
    rows = conn.execute(select(AGENTS.c.id, AGENTS.c.incarnation).where(AGENTS.c.id.in_(sorted(ids)))
                              .order_by(AGENTS.c.id).with_for_update())
    current = dict(rows.all())
    return {id(w) for w in fenced if current.get(w.fence.agent_id) != w.fence.incarnation}


def _by_shape(batch: list[_Write]) -> dict[tuple[str, Table, tuple[str, ...]], list[_Write]]:
    groups: dict[tuple[str, Table, tuple[str, ...]], list[_Write]] = {}
    for write in batch:
        if write.kind in ("insert", "update"):
            groups.setdefault(write.shape, []).append(write)
    return groups


@functools.lru_cache(maxsize=64)
def _update_statement(table: Table, columns: tuple[str, ...]) -> Update:
    # Bound parameters may not share a column's name in an UPDATE's SET clause.
    where = [column == bindparam(f"_key_{column.name}") for column in table.primary_key.columns]
    return update(table).where(*where).values({name: bindparam(f"_{name}") for name in columns})


def _settle(future: asyncio.Future, result: Any = None, error: BaseException | None = None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


def _message_row(message: StoredMessage) -> dict:
    return {"conversation_id": message.conversation_id, "seq": message.seq,
            "sender_kind": message.sender_kind.value, "sender_id": message.sender_id,
            "body": message.body, "client_msg_id": message.client_msg_id, "ts": message.ts,
            "visibility": message.visibility.value, "attachments": message.stored_attachments(),
            "bot": message.bot}
