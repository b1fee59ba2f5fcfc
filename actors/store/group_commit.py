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

Order per entity stays with the entity: it hands over its next write only after
the previous one's outcome.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlalchemy.sql import Executable

from actors.store.conversations import StoredMessage, append_message
from actors.store.schema import MessageRow

log = logging.getLogger(__name__)

# Writes per transaction at most: bounds the time one commit holds SQLite's lock.
MAX_BATCH = 500


@dataclass
class _Write:
    message: StoredMessage | None  # a message row (inserted with its siblings at once)
    statement: Executable | None  # or any other insert/update
    done: asyncio.Future


class GroupCommit:
    def __init__(self, db: async_sessionmaker) -> None:
        self.db = db
        self._pending: list[_Write] = []
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task | None = None

    async def append_message(self, message: StoredMessage) -> StoredMessage:
        """Returns once the message is committed. Raises DuplicateMessage when its
        client_msg_id is stored already (as `conversations.append_message` does)."""
        return await self._submit(message, None)

    async def execute(self, statement: Executable) -> None:
        """Returns once the statement is committed; raises what executing it raised."""
        await self._submit(None, statement)

    async def _submit(self, message: StoredMessage | None, statement: Executable | None) -> Any:
        loop = asyncio.get_running_loop()
        if self._task is None or self._task.done():
            self._wake = asyncio.Event()
            self._task = loop.create_task(self._run())
        write = _Write(message, statement, loop.create_future())
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

    async def _commit(self, batch: list[_Write]) -> None:
        rows = [_row(w.message) for w in batch if w.message is not None]
        try:
            async with self.db() as session, session.begin():
                if rows:
                    await session.execute(insert(MessageRow), rows)
                for write in batch:
                    if write.statement is not None:
                        await session.execute(write.statement)
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
            _settle(write.done, result=write.message)

    async def _one_by_one(self, batch: list[_Write]) -> None:
        for write in batch:
            try:
                if write.message is not None:
                    result = await append_message(self.db, write.message)
                else:
                    async with self.db() as session, session.begin():
                        await session.execute(write.statement)
                    result = None
            except Exception as error:  # DuplicateMessage above all
                _settle(write.done, error=error)
            else:
                _settle(write.done, result=result)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)


def _settle(future: asyncio.Future, result: Any = None, error: BaseException | None = None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


def _row(message: StoredMessage) -> dict:
    return {"conversation_id": message.conversation_id, "seq": message.seq,
            "sender_kind": message.sender_kind, "sender_id": message.sender_id,
            "body": message.body, "client_msg_id": message.client_msg_id, "ts": message.ts}
