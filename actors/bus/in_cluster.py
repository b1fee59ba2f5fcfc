"""The in-cluster bus backend: EventHub (hub.py) reached through Ray actor calls.

Publishing does not wait for the hub. An awaited actor call per event was
measured at about 1.5 ms on this 2-core machine (and the hub then took only
~1,300 calls/s), too much for an entity's hot path. Instead `publish` encodes
the event and appends it to this process's outbox; one sender task ships the
outbox to the hub in batches, one awaited call at a time. That keeps every
event of this process (so every publisher's) in publish order: Ray does not
promise that an async actor runs one caller's calls in submission order, but
a batch sent only after the previous call returned cannot overtake it.
Under load, events pile up while a call is in flight, so a burst costs one
round trip per batch rather than per event.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import deque
from typing import Any, AsyncIterator

from ray.exceptions import RayError

from actors.bus.base import BusEvent, Delivery, EventBus, Subscription
from actors.bus.hub import OVERFLOW_EVENT, OVERFLOW_TOPIC, Event

log = logging.getLogger(__name__)

POLL_TIMEOUT_S = 5.0
BACKOFF_FIRST_S = 0.1
BACKOFF_MAX_S = 5.0
MAX_BATCH = 1_000
# Past this many unsent events `publish` waits: the hub is slow or away, and
# slowing publishers down beats losing events nobody would know were lost.
MAX_OUTBOX = 50_000
# Ray raises its own errors (actor restarting, died) and plain ones from the wire.
_HUB_ERRORS = (RayError, ConnectionError, OSError)


def overflow_delivery() -> Delivery:
    """The marker a consumer gets when events may have been lost: resync everything."""
    return Delivery(OVERFLOW_TOPIC, BusEvent.from_json_dict(OVERFLOW_EVENT))


class InClusterBus(EventBus):
    def __init__(self, hub: Any, max_outbox: int = MAX_OUTBOX) -> None:
        self.hub = hub
        self.max_outbox = max_outbox
        self.outbox: deque[Event] = deque()
        self.dropped = 0
        self._wake = asyncio.Event()
        self._room = asyncio.Event()
        self._room.set()
        self._idle = asyncio.Event()
        self._idle.set()
        self._sender: asyncio.Task[None] | None = None
        self.closed = False

    async def publish(self, topic: str, event: BusEvent) -> None:
        """Queues the event for the hub; returns at once unless the outbox is full."""
        if self.closed:
            raise RuntimeError("bus is closed")
        # Encoded once per event (BusEvent.json_text), however many topics it goes to.
        payload = event.json_text
        while len(self.outbox) >= self.max_outbox:
            self._room.clear()
            await self._room.wait()
        self.outbox.append((topic, payload))
        self._idle.clear()
        self._wake.set()
        if self._sender is None or self._sender.done():
            self._sender = asyncio.get_running_loop().create_task(self._send_loop())

    async def flush(self) -> None:
        """Returns once everything published so far was handed to the hub (or dropped)."""
        await self._idle.wait()

    async def _send_loop(self) -> None:
        while True:
            if not self.outbox:
                self._idle.set()
                self._wake.clear()
                await self._wake.wait()
                continue
            batch = [self.outbox.popleft() for _ in range(min(len(self.outbox), MAX_BATCH))]
            self._room.set()
            try:
                await self.hub.publish_batch.remote(batch)
            except _HUB_ERRORS:
                # Best effort, not retried: a retry could deliver twice or out of
                # order. If the hub restarted, its subscribers re-open and resync.
                self.dropped += len(batch)
                log.warning("event hub unreachable; dropped %d events", len(batch), exc_info=True)
                await asyncio.sleep(BACKOFF_FIRST_S)

    async def subscribe(self, *topics: str) -> InClusterSubscription:
        subscription = InClusterSubscription(self.hub)
        await subscription.open()
        if topics:
            await subscription.add(*topics)
        return subscription

    async def close(self) -> None:
        """Sends what is queued (for up to 5 s) and stops the sender.

        The hub itself stays: it belongs to the center, not to this client."""
        self.closed = True
        if self._sender is None:
            return
        try:
            await asyncio.wait_for(self.flush(), 5.0)
        except asyncio.TimeoutError:
            log.warning("event hub: %d events unsent at close", len(self.outbox))
        self._sender.cancel()
        try:
            await self._sender
        except (asyncio.CancelledError, Exception):
            pass


class InClusterSubscription(Subscription):
    """One subscriber id at the hub, long-polled by whoever iterates.

    Received events wait in `pending` on this object, not in the iterator, so a
    consumer that stops iterating and starts again later misses nothing.
    Control calls (add, remove, re-open) are serialized by one lock, so a
    re-open after a hub restart always subscribes exactly the current topics.
    """

    def __init__(self, hub: Any) -> None:
        self.hub = hub
        self.topics: set[str] = set()
        self.sub_id: str | None = None
        self.acked = 0
        self.pending: deque[Delivery] = deque()
        self.reopens = 0
        self.closed = False
        self._control = asyncio.Lock()

    async def open(self) -> None:
        async with self._control:
            self.sub_id = await self.hub.open.remote()
            self.acked = 0

    async def add(self, *topics: str) -> None:
        """Returns once subscribed: the hub handles calls in the order they arrive,
        so any batch a publisher sends after this returns finds us subscribed."""
        if not topics:
            return
        async with self._control:
            self.topics.update(topics)
            for _ in range(3):
                if await self.hub.subscribe.remote(self.sub_id, list(topics)):
                    return
                await self._reopen_locked()  # the hub forgot us; subscribes all topics
            raise RuntimeError("event hub keeps forgetting this subscriber")

    async def remove(self, *topics: str) -> None:
        if not topics:
            return
        async with self._control:
            self.topics.difference_update(topics)
            # An unknown id is subscribed to nothing: the next poll re-opens it.
            await self.hub.unsubscribe.remote(self.sub_id, list(topics))

    async def _reopen(self, stale_id: str | None) -> None:
        async with self._control:
            if self.sub_id == stale_id and not self.closed:
                await self._reopen_locked()

    async def _reopen_locked(self) -> None:
        """A fresh subscriber id with every topic; what happened meanwhile is lost."""
        sub_id = await self.hub.open.remote()
        await self.hub.subscribe.remote(sub_id, sorted(self.topics))
        self.sub_id, self.acked = sub_id, 0
        self.reopens += 1
        self.pending.append(overflow_delivery())

    async def __aiter__(self) -> AsyncIterator[Delivery]:
        backoff = BACKOFF_FIRST_S
        while True:
            while self.pending:
                yield self.pending.popleft()
            if self.closed:
                return
            sub_id, ack = self.sub_id, self.acked
            try:
                result = await self.hub.poll.remote(sub_id, ack, POLL_TIMEOUT_S)
                if result is None and not self.closed:
                    await self._reopen(sub_id)  # hub restarted or dropped us as idle
            except _HUB_ERRORS:
                if self.closed:
                    return
                # Nothing is lost yet: unacknowledged events stay at the hub. If it
                # restarted instead, the next poll answers None and we re-open.
                log.warning("event hub unreachable; retrying in %.1fs", backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, BACKOFF_MAX_S)
                continue
            backoff = BACKOFF_FIRST_S
            if result is None or self.closed or sub_id != self.sub_id:
                continue  # re-opened meanwhile: this reply belongs to the old id
            last, events = result
            self.acked = last
            self.pending.extend(Delivery(topic, BusEvent.from_json_dict(json.loads(payload)))
                                for topic, payload in events)

    async def close(self) -> None:
        """Ends iteration: the hub wakes the pending poll, which then sees `closed`."""
        if self.closed:
            return
        self.closed = True
        self.pending.clear()
        if self.sub_id is not None:
            try:
                await asyncio.wait_for(self.hub.close.remote(self.sub_id), 5.0)
            except (asyncio.TimeoutError, *_HUB_ERRORS):
                pass  # the hub's idle sweep drops the subscriber instead
