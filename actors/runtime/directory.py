"""Finding the shard that hosts an entity and delivering a command to it."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Protocol

import ray

from actors.placement import EntityRef, shard_of
from actors.runtime.shard_link import ShardLink

log = logging.getLogger(__name__)


class LocalShard(Protocol):
    async def dispatch(self, ref: EntityRef, command: Any) -> Any: ...


# Tells waiting for one shard are sent together, at most this many per frame.
TELL_BATCH = 500
# Asks to one shard: at most this many batches in flight; asks made meanwhile
# wait and leave together (up to ASK_BATCH per batch) when a batch is answered.
ASK_IN_FLIGHT = 4
ASK_BATCH = 200
# Bounds (DESIGN.md decision 13). Work waiting for one shard beyond these means the
# shard is not keeping up (or not answering): an ask past the bound fails at once
# with ShardBusy (the edge answers `overloaded`, the client retries); a tell past
# the bound is dropped and counted, like the tells of a batch that reached a
# restarting shard (what a tell announces is re-derived when its entity reloads).
MAX_ASKS_WAITING = 10_000
MAX_TELLS_WAITING = 100_000


class ShardBusy(RuntimeError):
    """Too many asks wait for one shard already."""


class Directory:
    """Routes commands by the stable hash of the entity key.

    Calls to an entity on the caller's own shard skip the wire altogether; the
    rest go to the owning shard over this process's stream to it (shard_link.py;
    Ray only names and restarts the shard).

    Tells to another shard are batched: each batch is one frame, one pickle and
    one write however many commands piled up (keystrokes of 500 typing visitors
    are tells), and the next batch leaves only after the previous one was
    written, which keeps this process's tells to a shard in order.

    Asks are batched the same way (a relayed message is one ask from the
    gateway), except that several batches may be in flight to a shard at once:
    a batch answers when its slowest command is done, so one slow command
    should hold up only its own batch-mates. With few callers
    every ask leaves at once, alone; under load they pile up behind the calls
    in flight and share the next one. This cannot deadlock: a batch waits only
    on the asks its commands make, and asks go one way only (entity.py), at
    most gateway -> visitor -> conversation -> queue -> agent or center, so no chain of
    asks comes back to the same (caller, shard) pair it started from.
    """

    def __init__(self, shard_names: list[str], namespace: str,
                 local_index: int | None = None, local: LocalShard | None = None) -> None:
        self._names = shard_names
        self._namespace = namespace
        self._handles: list[Any | None] = [None] * len(shard_names)
        self._links: dict[int, ShardLink] = {}
        self._local_index = local_index
        self._local = local
        self._background: set[asyncio.Task] = set()
        self._outboxes: dict[int, list[tuple[str, str, Any]]] = {}
        self._senders: dict[int, asyncio.Task] = {}
        self._asks: dict[int, list[tuple[str, str, Any, asyncio.Future]]] = {}
        self._asks_in_flight: dict[int, int] = {}
        self.dropped_tells = 0

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

    def _link(self, index: int) -> ShardLink:
        link = self._links.get(index)
        if link is None:
            link = self._links[index] = ShardLink(lambda: self._handle(index))
        return link

    async def ask(self, ref: EntityRef, command: Any) -> Any:
        index = self.owner(ref)
        if index == self._local_index and self._local is not None:
            return await self._local.dispatch(ref, command)
        waiting = self._asks.setdefault(index, [])
        if len(waiting) >= MAX_ASKS_WAITING:
            raise ShardBusy(f"{len(waiting)} asks already wait for shard {index}")
        reply = asyncio.get_running_loop().create_future()
        waiting.append((ref.kind, ref.key, command, reply))
        if self._asks_in_flight.get(index, 0) < ASK_IN_FLIGHT:
            self._launch_asks(index)
        return await reply

    def _launch_asks(self, index: int) -> None:
        waiting = self._asks[index]
        batch = waiting[:ASK_BATCH]
        del waiting[:ASK_BATCH]
        self._asks_in_flight[index] = self._asks_in_flight.get(index, 0) + 1
        task = asyncio.get_running_loop().create_task(self._send_asks(index, batch))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _send_asks(self, index: int, batch: list[tuple[str, str, Any, asyncio.Future]]) -> None:
        try:
            outcomes = await self._link(index).ask([(kind, key, command) for kind, key, command, _ in batch])
        except Exception as error:  # the shard is away: every ask in the batch fails
            outcomes = [(False, error)] * len(batch)
        finally:
            self._asks_in_flight[index] -= 1
            if self._asks.get(index):
                self._launch_asks(index)
        for (_, _, _, reply), (ok, value) in zip(batch, outcomes):
            if reply.done():  # the asker gave up (its socket closed)
                continue
            if ok:
                reply.set_result(value)
            else:
                reply.set_exception(value)

    def tell(self, ref: EntityRef, command: Any) -> None:
        """Deliver without waiting; the command still runs in the entity's mailbox order."""
        index = self.owner(ref)
        if index == self._local_index and self._local is not None:
            self.detach(self._local.dispatch(ref, command), ref, command)
        else:
            outbox = self._outboxes.setdefault(index, [])
            if len(outbox) >= MAX_TELLS_WAITING:
                self.dropped_tells += 1
                if self.dropped_tells % 1000 == 1:
                    log.error("shard %d is not keeping up: %d tells dropped so far", index,
                              self.dropped_tells)
                return
            outbox.append((ref.kind, ref.key, command))
            sender = self._senders.get(index)
            if sender is None or sender.done():
                self._senders[index] = asyncio.get_running_loop().create_task(self._send(index))

    async def _send(self, index: int) -> None:
        outbox = self._outboxes[index]
        while outbox:
            batch = outbox[:TELL_BATCH]
            del outbox[:TELL_BATCH]
            try:
                await self._link(index).tell(batch)
            except Exception:
                # The shard is restarting; its entities reload from the database,
                # and what these tells announced is re-derived there (a tell is
                # best-effort by nature: nobody waits for it).
                log.exception("%d tells to shard %d lost", len(batch), index)

    async def drain(self) -> None:
        """Wait until every tell started here has run, the ones they started too."""
        while self._background or any(not s.done() for s in self._senders.values()):
            await asyncio.gather(*self._background, *self._senders.values(), return_exceptions=True)

    def detach(self, work: Awaitable[Any], ref: EntityRef, command: Any) -> None:
        task = asyncio.ensure_future(work)
        self._background.add(task)
        task.add_done_callback(lambda t: self._finished(t, ref, command))

    def _finished(self, task: asyncio.Task, ref: EntityRef, command: Any) -> None:
        self._background.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("tell %s to %s failed", type(command).__name__, ref, exc_info=task.exception())
