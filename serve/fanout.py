"""One bus subscription per gateway replica, fanned out to its open sockets."""

from __future__ import annotations

import asyncio
import logging

from actors.bus.base import EventBus, Subscription
from serve.connection import Connection

log = logging.getLogger(__name__)


class Fanout:
    def __init__(self, bus: EventBus) -> None:
        self.bus = bus
        self.members: dict[str, set[Connection]] = {}
        self.subscription: Subscription | None = None
        self._lock = asyncio.Lock()
        self._pump: asyncio.Task | None = None

    async def start(self) -> None:
        self.subscription = await self.bus.subscribe()
        self._pump = asyncio.get_running_loop().create_task(self._run())

    async def join(self, connection: Connection, topics: tuple[str, ...]) -> None:
        """Returns once events published from now on reach the connection."""
        async with self._lock:
            new = [topic for topic in topics if not self.members.get(topic)]
            for topic in topics:
                self.members.setdefault(topic, set()).add(connection)
            connection.topics = tuple(dict.fromkeys(connection.topics + topics))
            if new:
                await self.subscription.add(*new)

    async def leave(self, connection: Connection) -> None:
        async with self._lock:
            gone = []
            for topic in connection.topics:
                members = self.members.get(topic)
                if members is None:
                    continue
                members.discard(connection)
                if not members:
                    del self.members[topic]
                    gone.append(topic)
            if gone:
                await self.subscription.remove(*gone)

    @property
    def connection_count(self) -> int:
        return len({c for members in self.members.values() for c in members})

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
                async with self._lock:
                    self.subscription = await self.bus.subscribe(*self.members)
