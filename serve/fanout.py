"""One bus subscription per gateway replica, fanned out to its open sockets.

Sockets come and go by the thousand (a visitor's tab is one socket), and every
visitor brings a topic of their own, so each join and leave changes what the
replica must be subscribed to. Changing it is a round trip to the bus (a Ray
call to the hub, or a confirmed Redis SUBSCRIBE); made one socket at a time
under a lock, those round trips capped a replica at ~30 new visitors a second
(benchmarks/memory.py). Instead, joins and leaves only mark topics as changed,
and one sync task brings the subscription in line with the members: each round
subscribes every topic that gained its first member and unsubscribes every topic
that lost its last one since the round before, so a burst of joins costs one or
two round trips. A join returns once a round that started after it has finished
(so events published from then on reach the socket); a leave does not wait.
"""

from __future__ import annotations

import asyncio
import logging

from actors.bus.base import BusEvent, EventBus, Subscription
from serve.connection import Connection

log = logging.getLogger(__name__)


class Fanout:
    def __init__(self, bus: EventBus) -> None:
        self.bus = bus
        self.members: dict[str, set[Connection]] = {}
        self.subscription: Subscription | None = None
        # What the bus has confirmed, and what a round in flight is taking away.
        self.subscribed: set[str] = set()
        self._removing: set[str] = set()
        # Topics whose membership changed since the last round began.
        self._dirty: set[str] = set()
        # Each change gets a number; a join waits until a round that began after
        # its change ends (`_synced` is the last change such a round covered).
        self._changes = 0
        self._synced = 0
        self._waiters: list[tuple[int, asyncio.Future[None]]] = []
        self._wake = asyncio.Event()
        # Held by each round and by a re-subscribe, never by joiners.
        self._control = asyncio.Lock()
        self._pump: asyncio.Task | None = None
        self._syncer: asyncio.Task | None = None
        self.rounds = 0

    async def start(self) -> None:
        self.subscription = await self.bus.subscribe()
        loop = asyncio.get_running_loop()
        self._pump = loop.create_task(self._run())
        self._syncer = loop.create_task(self._sync_loop())

    async def join(self, connection: Connection, topics: tuple[str, ...]) -> None:
        """Returns once events published from now on reach the connection."""
        for topic in topics:
            self.members.setdefault(topic, set()).add(connection)
        connection.topics = tuple(dict.fromkeys(connection.topics + topics))
        if all(t in self.subscribed and t not in self._removing for t in topics):
            return  # a topic another socket already follows (an agent's skill group)
        self._dirty.update(topics)
        self._changes += 1
        done = asyncio.get_running_loop().create_future()
        self._waiters.append((self._changes, done))
        self._wake.set()
        try:
            await done
        except BaseException:
            # Subscribing failed, or the socket went away meanwhile: no member is
            # left behind for a socket whose handler will never call leave.
            self.leave(connection)
            raise

    def leave(self, connection: Connection) -> None:
        """Forgets the connection at once; the unsubscribe follows in the next round."""
        for topic in connection.topics:
            members = self.members.get(topic)
            if members is None:
                continue
            members.discard(connection)
            if not members:
                del self.members[topic]
                self._dirty.add(topic)
        if self._dirty:
            self._changes += 1
            self._wake.set()

    def deliver_here(self, topics: tuple[str, ...], event: BusEvent) -> None:
        """A committed message, handed to this replica's sockets on its topics that
        already follow its conversation, without waiting for the bus.

        The bus round trip (shard -> hub -> replica) was ~3 ms of a ~12 ms relay on
        an idle center. The bus copy still comes and is dropped by the socket's seq
        cursor (serve/connection.py), as is this one if the bus was faster. A socket
        that does not follow the conversation yet (its `assigned` still on the way)
        is left to the bus, so it never sees a message before its conversation."""
        for topic in topics:
            for connection in tuple(self.members.get(topic, ())):
                if connection.follows(event.conversation_id):
                    connection.deliver(event)

    @property
    def connection_count(self) -> int:
        return len({c for members in self.members.values() for c in members})

    async def _sync_loop(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._synced < self._changes:
                covered, dirty = self._changes, self._dirty
                self._dirty = set()
                error: BaseException | None = None
                try:
                    await self._round(dirty)
                except asyncio.CancelledError:
                    raise
                except Exception as failure:
                    # The joiners of this round get the failure (their sockets close);
                    # what is still wanted is retried with the next change.
                    log.warning("bus subscription change failed", exc_info=True)
                    self._dirty |= dirty
                    error = failure
                self._synced = covered
                self._release(covered, error)

    async def _round(self, dirty: set[str]) -> None:
        async with self._control:
            add = [t for t in dirty if self.members.get(t) and t not in self.subscribed]
            remove = [t for t in dirty if not self.members.get(t) and t in self.subscribed]
            self.rounds += 1
            # Marked before the first await: a join meanwhile must not take a topic
            # on its way out for one it can rely on.
            self._removing.update(remove)
            try:
                if add:
                    await self.subscription.add(*add)
                    self.subscribed.update(add)
                if remove:
                    await self.subscription.remove(*remove)
                    self.subscribed.difference_update(remove)
            finally:
                self._removing.difference_update(remove)

    def _release(self, covered: int, error: BaseException | None) -> None:
        waiting = []
        for change, future in self._waiters:
            if change > covered:
                waiting.append((change, future))
            elif not future.done():
                if error is None:
                    future.set_result(None)
                else:
                    future.set_exception(error)
        self._waiters = waiting

    async def _run(self) -> None:
        while True:
            try:
                async for delivery in self.subscription:
                    if delivery.topic == "":
                        # The bus lost events (overflow or reconnect): every socket re-reads.
                        for connection in {c for m in self.members.values() for c in m}:
                            connection.resync()
                        continue
                    for connection in tuple(self.members.get(delivery.topic, ())):
                        connection.deliver(delivery.event)
                return
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("bus subscription failed; resubscribing")
                await asyncio.sleep(0.5)
                async with self._control:
                    self.subscription = await self.bus.subscribe(*self.members)
                    self.subscribed = set(self.members)
