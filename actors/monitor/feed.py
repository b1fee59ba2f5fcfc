"""The monitor's feed: what a shard's group commit made durable, sent on to the
center's monitor topic off the hot path.

The commit tells the feed synchronously; the feed only appends to a bounded list
and a background task encodes and publishes them in batches, so neither encoding nor a
slow or absent bus delays a relay.
Past the limit the oldest facts are dropped: the monitor then misses them until
it is reseeded (its figures are a view, the event log stays the truth).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from typing import Any

from actors.bus import topics
from actors.bus.base import BusEvent, EventBus
from actors.conversation.protocol import MessagePosted
from actors.domain_event import encode
from actors.monitor.protocol import FactLogged, FactsCommitted
from actors.store.messages import StoredMessage

log = logging.getLogger(__name__)
MAX_UNSENT = 10_000  # facts waiting for the bus; beyond it the oldest go
MAX_BATCH = 500  # facts per bus event


def _message_fact(message: StoredMessage) -> FactLogged:
    data = encode(MessagePosted(message))
    del data["type"]
    return FactLogged("MessagePosted", message.ts, data)


def _fact(item: FactLogged | StoredMessage) -> FactLogged:
    return item if isinstance(item, FactLogged) else _message_fact(item)


class MonitorFeed:
    def __init__(self, bus: EventBus, center_id: str) -> None:
        self.bus = bus
        self.topic = topics.monitor(center_id)
        # Log rows as facts; messages as stored, made facts by the task (encoding them is
        # the costly part, and it stays off the commit).
        self._unsent: deque[FactLogged | StoredMessage] = deque(maxlen=MAX_UNSENT)
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self.dropped = 0

    def committed(self, rows: list[dict[str, Any]], messages: list[StoredMessage]) -> None:
        """GroupCommit's `on_committed` (the log rows and messages of one commit): never blocks."""
        facts = [*(FactLogged(row["type"], row["at"], row["data"]) for row in rows), *messages]
        self.dropped += max(0, len(self._unsent) + len(facts) - MAX_UNSENT)
        self._unsent.extend(facts)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())
        self._wake.set()

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._unsent:
                batch = [_fact(self._unsent.popleft()) for _ in range(min(MAX_BATCH, len(self._unsent)))]
                try:
                    await self.bus.publish(self.topic, BusEvent(FactsCommitted(tuple(batch))))
                except Exception:  # the bus is away: the monitor reseeds, relays go on
                    log.warning("monitor feed: publish failed", exc_info=True)
