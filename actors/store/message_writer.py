"""Group commit: the messages of every conversation on a shard share transactions.

A message is acknowledged only once committed (DESIGN.md decision 2), and a
commit costs the same for one row as for a hundred: a disk sync on PostgreSQL,
the database's single write lock on SQLite (which every shard process takes in
turn). So a shard does not commit each message alone. Conversations hand their
message to this writer and wait; one task takes everything waiting, inserts it
in one transaction and wakes each conversation with its own outcome. Under light
load a batch is one message and nothing waits longer than before; under heavy
load a commit carries many, which is what keeps the relay's throughput up.

Per-conversation order and gap-free seqs stay with the conversation entity: it
sends its next message only after the previous one's outcome.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.store.conversations import StoredMessage, append_message
from actors.store.schema import MessageRow

log = logging.getLogger(__name__)

# Rows per transaction at most: bounds the time one commit holds SQLite's lock.
MAX_BATCH = 500


class MessageWriter:
    def __init__(self, db: async_sessionmaker) -> None:
        self.db = db
        self._pending: list[tuple[StoredMessage, asyncio.Future]] = []
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task | None = None

    async def append(self, message: StoredMessage) -> StoredMessage:
        """Returns once the message is committed. Raises DuplicateMessage when its
        client_msg_id is stored already (as `append_message` does)."""
        if self._task is None or self._task.done():
            self._wake = asyncio.Event()
            self._task = asyncio.get_running_loop().create_task(self._run())
        future = asyncio.get_running_loop().create_future()
        self._pending.append((message, future))
        self._wake.set()
        return await future

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._pending:
                batch, self._pending = self._pending[:MAX_BATCH], self._pending[MAX_BATCH:]
                await self._commit(batch)

    async def _commit(self, batch: list[tuple[StoredMessage, asyncio.Future]]) -> None:
        try:
            async with self.db() as session, session.begin():
                await session.execute(insert(MessageRow), [_row(message) for message, _ in batch])
        except IntegrityError:
            # A resent client_msg_id (or a seq a restarted entity reused) spoils the
            # whole batch; commit each alone so only the offender fails.
            await self._one_by_one(batch)
            return
        except Exception as error:  # the database is down: every waiter hears it
            for _, future in batch:
                if not future.done():
                    future.set_exception(error)
            return
        for message, future in batch:
            if not future.done():
                future.set_result(message)

    async def _one_by_one(self, batch: list[tuple[StoredMessage, asyncio.Future]]) -> None:
        for message, future in batch:
            try:
                result = await append_message(self.db, message)
            except Exception as error:  # DuplicateMessage above all
                if not future.done():
                    future.set_exception(error)
            else:
                if not future.done():
                    future.set_result(result)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)


def _row(message: StoredMessage) -> dict:
    return {"conversation_id": message.conversation_id, "seq": message.seq,
            "sender_kind": message.sender_kind, "sender_id": message.sender_id,
            "body": message.body, "client_msg_id": message.client_msg_id, "ts": message.ts}
