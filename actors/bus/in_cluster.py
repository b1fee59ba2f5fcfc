"""The in-cluster bus backend: EventHub (hub.py) reached over a TCP connection
(hub_wire.py), the hub's address and secret asked once through Ray.

Publishing does not wait for the hub: `publish` encodes the event and appends
it to this process's outbox; one sender task writes the outbox to the hub's
connection in batches (one write, however many events piled up meanwhile),
waiting only when the socket pushes back. One connection per process keeps
every event of this process (so every publisher's) in publish order.

A subscription holds a connection of its own. Events arrive as the hub writes
them and wait in `pending` on this object, not in the iterator, so a consumer
that stops iterating and starts again later misses nothing; past the hub's
`buffer_events` unread, they are replaced by one overflow marker. If the
connection breaks (the hub restarted, the network), the subscription connects
again with backoff, joins its topics again and hands its consumer an overflow
marker: what was published meanwhile is read back from the database.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time
from collections import deque
from typing import Any, AsyncIterator, Callable

from ray.exceptions import RayError

from actors.bus import hub_wire
from actors.bus.base import BusEvent, Delivery, EventBus, Subscription
from actors.bus.hub import OVERFLOW_EVENT, OVERFLOW_TOPIC, PING_S, Event
from actors.runtime.stream_frames import CoalescingWriter, frame_batches, keep_alive

log = logging.getLogger(__name__)

BACKOFF_FIRST_S = 0.1
BACKOFF_MAX_S = 5.0
# A hub that answers no ping for this long is gone: the connection is dropped.
DEAD_AFTER_S = 3 * PING_S
# How long a join or leave may take before the call fails.
REQUEST_TIMEOUT_S = 10.0
# Past this many unsent events `publish` waits: the hub is slow or away, and
# slowing publishers down beats losing events nobody would know were lost.
MAX_OUTBOX = 50_000
MAX_BATCH = 2_000
# Ray raises its own errors (actor restarting, died) and plain ones from the wire.
_HUB_ERRORS = (RayError, ConnectionError, OSError, asyncio.IncompleteReadError, hub_wire.WireError)


def overflow_delivery() -> Delivery:
    """The marker a consumer gets when events may have been lost: resync everything."""
    return Delivery(OVERFLOW_TOPIC, BusEvent.from_json_dict(OVERFLOW_EVENT))


class HubConnection:
    """One open connection to the hub; every frame it receives goes to `on_frame`,
    and `on_lost` is called once when it breaks (not after `close`)."""

    def __init__(self, writer: asyncio.StreamWriter, buffer_events: int) -> None:
        self.out = CoalescingWriter(writer)
        self.buffer_events = buffer_events
        self.heard_at = time.monotonic()
        self.reader_task: asyncio.Task | None = None

    @property
    def closed(self) -> bool:
        return self.out.closed

    @classmethod
    async def open(cls, hub: Any, on_frame: Callable[[hub_wire.Frame], None],
                   on_lost: Callable[[], None] | None = None) -> "HubConnection":
        host, port, secret, buffer_events = await hub.address.remote()
        reader, writer = await asyncio.open_connection(host, port)
        keep_alive(writer)
        connection = cls(writer, buffer_events)
        connection.write(hub_wire.hello(secret))
        connection.reader_task = asyncio.get_running_loop().create_task(
            connection._read(reader, on_frame, on_lost))
        return connection

    async def _read(self, reader: asyncio.StreamReader, on_frame: Callable[[hub_wire.Frame], None],
                    on_lost: Callable[[], None] | None) -> None:
        try:
            async for frames in frame_batches(reader, hub_wire.FrameReader().feed):
                self.heard_at = time.monotonic()
                for frame in frames:
                    on_frame(frame)
        except _HUB_ERRORS as problem:
            if not self.closed:
                log.warning("event hub connection lost: %s", problem)
        finally:
            was_closed = self.closed
            self.close()
            if not was_closed and on_lost is not None:
                on_lost()

    def write(self, data: bytes) -> None:
        self.out.send(data)

    async def drain(self) -> None:
        await self.out.drain()

    def abort(self) -> None:
        """Ends a connection that looks half-open: its reader sees the end and re-connects."""
        self.out.writer.transport.abort()

    @property
    def silent_too_long(self) -> bool:
        return time.monotonic() - self.heard_at > DEAD_AFTER_S

    def close(self) -> None:
        self.out.close()


class InClusterBus(EventBus):
    def __init__(self, hub: Any, max_outbox: int = MAX_OUTBOX) -> None:
        self.hub = hub
        self.max_outbox = max_outbox
        self.outbox: deque[Event] = deque()
        self.dropped = 0
        self._connection: HubConnection | None = None
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
        """Returns once everything published so far was written to the hub's socket (or dropped)."""
        await self._idle.wait()

    async def _send_loop(self) -> None:
        while True:
            if not self.outbox:
                self._idle.set()
                self._wake.clear()
                try:
                    await asyncio.wait_for(self._wake.wait(), PING_S)
                except asyncio.TimeoutError:
                    self._ping()
                continue
            batch = [self.outbox.popleft() for _ in range(min(len(self.outbox), MAX_BATCH))]
            self._room.set()
            try:
                connection = await self._connected()
                connection.write(b"".join(hub_wire.event(hub_wire.PUBLISH, topic, payload)
                                          for topic, payload in batch))
                await connection.drain()
            except _HUB_ERRORS:
                # Best effort, not retried: a retry could deliver twice or out of
                # order. If the hub restarted, its subscribers re-connect and resync.
                self.dropped += len(batch)
                self._drop_connection()
                log.warning("event hub unreachable; dropped %d events", len(batch), exc_info=True)
                await asyncio.sleep(BACKOFF_FIRST_S)

    async def _connected(self) -> HubConnection:
        if self._connection is None or self._connection.closed:
            self._connection = await HubConnection.open(self.hub, lambda _frame: None)
        return self._connection

    def _ping(self) -> None:
        """Keeps an idle publisher's connection from looking dead to the hub."""
        if self._connection is not None and not self._connection.closed:
            try:
                self._connection.write(hub_wire.ping())
            except _HUB_ERRORS:
                self._drop_connection()

    def _drop_connection(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

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
        if self._sender is not None:
            try:
                await asyncio.wait_for(self.flush(), 5.0)
            except asyncio.TimeoutError:
                log.warning("event hub: %d events unsent at close", len(self.outbox))
            self._sender.cancel()
            try:
                await self._sender
            except (asyncio.CancelledError, Exception):
                pass
        self._drop_connection()


class InClusterSubscription(Subscription):
    """A set of topics on a connection of its own, and the events that came on it.

    Control calls (add, remove, re-connect) are serialized by one lock, so a
    re-connect after a hub restart always joins exactly the current topics."""

    def __init__(self, hub: Any) -> None:
        self.hub = hub
        self.topics: set[str] = set()
        # (topic, JSON text) as received, decoded when the consumer takes it; or a marker.
        self.pending: deque[tuple[str, str] | Delivery] = deque()
        self.limit = 1
        self.reconnects = 0
        self.closed = False
        self._connection: HubConnection | None = None
        self._arrived = asyncio.Event()
        self._control = asyncio.Lock()
        self._requests: dict[int, asyncio.Future] = {}
        self._numbers = itertools.count(1)
        self._keeper: asyncio.Task | None = None
        self._reconnecting: asyncio.Task | None = None  # held: the loop keeps only weak references

    async def open(self) -> None:
        async with self._control:
            await self._connect_locked()
        self._keeper = asyncio.get_running_loop().create_task(self._keep_alive())

    async def add(self, *topics: str) -> None:
        """Returns once joined: the hub acts on a connection's frames in order and
        answers the join after applying it, so any event a publisher sends after
        this returns finds us subscribed."""
        if not topics:
            return
        async with self._control:
            self.topics.update(topics)
            await self._request(hub_wire.JOIN, list(topics))

    async def remove(self, *topics: str) -> None:
        if not topics:
            return
        async with self._control:
            self.topics.difference_update(topics)
            await self._request(hub_wire.LEAVE, list(topics))

    async def _connect_locked(self) -> None:
        self._connection = await HubConnection.open(self.hub, self._on_frame, self._on_lost)
        self.limit = self._connection.buffer_events
        if self.topics:
            await self._request(hub_wire.JOIN, sorted(self.topics))

    async def _request(self, kind: bytes, topics: list[str]) -> None:
        number = next(self._numbers)
        answered = asyncio.get_running_loop().create_future()
        self._requests[number] = answered
        try:
            if self._connection is None:
                raise ConnectionError("no hub connection")
            self._connection.write(hub_wire.topics_request(kind, number, topics))
            await asyncio.wait_for(answered, REQUEST_TIMEOUT_S)
        finally:
            self._requests.pop(number, None)

    def _on_frame(self, frame: hub_wire.Frame) -> None:
        if frame.kind == hub_wire.EVENT:
            if len(self.pending) >= self.limit:
                # Too far behind to catch up from the bus: drop what was not read and
                # say so; the consumer resyncs from the database.
                self.pending.clear()
                self.pending.append(overflow_delivery())
            self.pending.append((frame.topic, frame.payload))
            self._arrived.set()
        elif frame.kind == hub_wire.DONE:
            answered = self._requests.get(frame.request)
            if answered is not None and not answered.done():
                answered.set_result(None)

    def _on_lost(self) -> None:
        for answered in self._requests.values():
            if not answered.done():
                answered.set_exception(ConnectionError("the hub connection broke"))
        if not self.closed:
            self._reconnecting = asyncio.get_running_loop().create_task(self._reconnect())

    async def _reconnect(self) -> None:
        """A fresh connection with every topic; what happened meanwhile is lost."""
        backoff = BACKOFF_FIRST_S
        while not self.closed:
            try:
                async with self._control:
                    if self.closed:
                        return
                    await self._connect_locked()
                    self.reconnects += 1
                    self.pending.append(overflow_delivery())
                    self._arrived.set()
                    return
            except (*_HUB_ERRORS, asyncio.TimeoutError):
                if self._connection is not None:
                    self._connection.close()
                log.warning("event hub unreachable; retrying in %.1fs", backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, BACKOFF_MAX_S)

    async def _keep_alive(self) -> None:
        """Pings the hub so it knows we are here, and drops a connection the hub
        stopped answering on (a half-open one: its node went away unannounced)."""
        while not self.closed:
            await asyncio.sleep(PING_S)
            connection = self._connection
            if connection is None or connection.closed:
                continue
            if connection.silent_too_long:
                log.warning("event hub silent for %.0f s; connecting again", DEAD_AFTER_S)
                connection.abort()
                continue
            try:
                connection.write(hub_wire.ping())
            except _HUB_ERRORS:
                pass  # its reader has seen the break and re-connects

    async def __aiter__(self) -> AsyncIterator[Delivery]:
        pending = self.pending
        while True:
            while pending:
                item = pending.popleft()
                if isinstance(item, Delivery):
                    yield item
                else:
                    topic, payload = item
                    yield Delivery(topic, BusEvent.from_json_dict(json.loads(payload)))
            if self.closed:
                return
            self._arrived.clear()
            if not pending and not self.closed:
                await self._arrived.wait()

    async def close(self) -> None:
        """Ends iteration and leaves every topic (the hub forgets us before this returns)."""
        if self.closed:
            return
        try:
            async with self._control:
                if self.topics and self._connection is not None and not self._connection.closed:
                    await asyncio.wait_for(self._request(hub_wire.LEAVE, sorted(self.topics)), 5.0)
        except (*_HUB_ERRORS, asyncio.TimeoutError):
            pass  # the hub forgets the connection when it closes anyway
        self.closed = True
        self.pending.clear()
        if self._keeper is not None:
            self._keeper.cancel()
        if self._connection is not None:
            self._connection.close()
        self._arrived.set()
