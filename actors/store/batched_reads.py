"""Batched point reads: lookups by key made at about the same time share one query.

Every chat request reads its visitor (gateway) and activates a new conversation,
which reads that conversation's state (shard). One small SELECT through
SQLAlchemy and aiosqlite costs about a millisecond of CPU here, whatever it
returns, so in a burst of 1,000 requests those reads alone were seconds of CPU.
A lookup waits only for the query in flight; lookups made meanwhile go out
together in the next one (`WHERE key IN (...)`), the way GroupCommit shares
transactions. One at a time keeps a database connection free for everyone else.
"""

from __future__ import annotations

import asyncio
from typing import Awaitable, Callable, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

T = TypeVar("T")
# Keys per query at most (SQLite allows 32,766 bound parameters; PostgreSQL more).
MAX_KEYS = 500

Fetch = Callable[[AsyncConnection, list[str]], Awaitable[dict[str, T]]]


class BatchedLookup(Generic[T]):
    def __init__(self, engine: AsyncEngine, fetch: Fetch) -> None:
        self.engine = engine
        self.fetch = fetch
        self._waiting: dict[str, list[asyncio.Future]] = {}
        self._task: asyncio.Task | None = None

    async def get(self, key: str) -> T | None:
        """The value stored under `key`, or None when there is none."""
        future = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(key, []).append(future)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())
        return await future

    async def _run(self) -> None:
        while self._waiting:
            keys = list(self._waiting)[:MAX_KEYS]
            waiters = {key: self._waiting.pop(key) for key in keys}
            try:
                async with self.engine.connect() as conn:
                    found = await self.fetch(conn, keys)
            except Exception as error:  # every waiter of this query hears it
                for futures in waiters.values():
                    for future in futures:
                        if not future.done():
                            future.set_exception(error)
                continue
            for key, futures in waiters.items():
                for future in futures:
                    if not future.done():
                        future.set_result(found.get(key))
