"""Finding the shard that hosts an entity and delivering a command to it."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Protocol

import ray

from actors.placement import EntityRef, shard_of

log = logging.getLogger(__name__)


class LocalShard(Protocol):
    async def dispatch(self, ref: EntityRef, command: Any) -> Any: ...


class Directory:
    """Routes commands by the stable hash of the entity key.

    Calls to an entity on the caller's own shard skip Ray altogether; the rest
    go to the owning shard's actor handle (looked up by name once).
    """

    def __init__(self, shard_names: list[str], namespace: str,
                 local_index: int | None = None, local: LocalShard | None = None) -> None:
        self._names = shard_names
        self._namespace = namespace
        self._handles: list[Any | None] = [None] * len(shard_names)
        self._local_index = local_index
        self._local = local
        self._background: set[asyncio.Task] = set()

    @property
    def shard_count(self) -> int:
        return len(self._names)

    def owner(self, ref: EntityRef) -> int:
        return shard_of(ref, len(self._names))

    def _handle(self, index: int) -> Any:
        handle = self._handles[index]
        if handle is None:
            handle = ray.get_actor(self._names[index], namespace=self._namespace)
            self._handles[index] = handle
        return handle

    async def ask(self, ref: EntityRef, command: Any) -> Any:
        index = self.owner(ref)
        if index == self._local_index and self._local is not None:
            return await self._local.dispatch(ref, command)
        return await self._handle(index).ask.remote(ref.kind, ref.key, command)

    def tell(self, ref: EntityRef, command: Any) -> None:
        """Deliver without waiting; the command still runs in the entity's mailbox order."""
        index = self.owner(ref)
        if index == self._local_index and self._local is not None:
            self.detach(self._local.dispatch(ref, command), ref, command)
        else:
            # Ray keeps the order of calls from one caller to one actor.
            self._handle(index).tell.remote(ref.kind, ref.key, command)

    def detach(self, work: Awaitable[Any], ref: EntityRef, command: Any) -> None:
        task = asyncio.ensure_future(work)
        self._background.add(task)
        task.add_done_callback(lambda t: self._finished(t, ref, command))

    def _finished(self, task: asyncio.Task, ref: EntityRef, command: Any) -> None:
        self._background.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("tell %s to %s failed", type(command).__name__, ref, exc_info=task.exception())
