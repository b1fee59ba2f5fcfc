"""EventHub: the in-cluster bus, one async Ray actor per center (the embedded default).

Events travel as JSON text, exactly as over Redis: both backends then round-trip
the same values (a tuple arrives as a list on either), and a frame the
publisher mutates after `publish` returned cannot change what was sent.

Clients reach the hub over a TCP connection of their own (actors/bus/hub_wire.py),
not through Ray actor calls: one actor call tells a client where the hub listens
and the secret to show; then publishers write their events and the hub writes
each to the connections subscribed to its topic, as it arrives. A connection's
frames keep their order, so one publisher's events do.

The hub keeps nothing durable and buffers nothing a subscriber has not read
yet beyond its socket: a connection whose unsent bytes pass a limit (a stalled
client) is closed, and a client whose connection closed (that, or the hub
restarted and Ray brought it back empty) connects again, joins its topics
again and hands its consumer an overflow marker, so the consumer re-reads from
the database, which holds every message anyway (DESIGN.md decision 2).
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from typing import Any, Callable

import ray

from actors.bus import hub_wire
from actors.runtime.latency import shorten_thread_switches
from actors.runtime.stream_frames import CoalescingWriter, frame_batches, keep_alive

log = logging.getLogger(__name__)

# Topic "" means "events were lost, resync everything" (serve/fanout.py).
OVERFLOW_TOPIC = ""
# BusEvent(EventsLost()).to_json_dict(), spelled out: the hub decodes nothing.
OVERFLOW_EVENT: dict[str, Any] = {"event": {"type": "EventsLost"}, "origin": None}
# Events a subscriber may hold unread (on its side) before they are replaced by
# one overflow marker; the hub tells every client this number.
BUFFER_EVENTS = 10_000
# Bytes the hub may hold unsent for one connection before it closes it.
UNSENT_BYTES = 32 * 2**20
# Clients ping every PING_S; a connection silent for IDLE_DROP_S is dead (its
# process or node went without closing it) and is closed.
PING_S = 5.0
IDLE_DROP_S = 60.0

# (topic, the event's to_json_dict() as JSON text)
Event = tuple[str, str]


class _Subscriber:
    __slots__ = ("topics", "send")

    def __init__(self, send: Callable[[bytes], None]) -> None:
        self.topics: set[str] = set()
        self.send = send


class Hub:
    """Who listens to what, apart from sockets and Ray so it can be tested alone.

    A subscriber is a `send(frame_bytes)` callable (its connection's write)."""

    def __init__(self) -> None:
        self.subscribers: dict[int, _Subscriber] = {}
        self.by_topic: dict[str, set[int]] = {}
        self._next_id = 1

    def open(self, send: Callable[[bytes], None]) -> int:
        sub_id = self._next_id
        self._next_id += 1
        self.subscribers[sub_id] = _Subscriber(send)
        return sub_id

    def subscribe(self, sub_id: int, topics: list[str] | tuple[str, ...]) -> None:
        subscriber = self.subscribers[sub_id]
        for topic in topics:
            subscriber.topics.add(topic)
            self.by_topic.setdefault(topic, set()).add(sub_id)

    def unsubscribe(self, sub_id: int, topics: list[str] | tuple[str, ...]) -> None:
        subscriber = self.subscribers[sub_id]
        for topic in topics:
            if topic in subscriber.topics:
                subscriber.topics.discard(topic)
                self._forget(topic, sub_id)

    def publish(self, topic: str, event: str) -> int:
        """Sends `event` to each subscriber of `topic`; returns how many there were."""
        members = self.by_topic.get(topic)
        if not members:
            return 0
        frame = hub_wire.event(hub_wire.EVENT, topic, event)  # encoded once for all of them
        subscribers = self.subscribers
        for sub_id in members:
            subscribers[sub_id].send(frame)
        return len(members)

    def close(self, sub_id: int) -> None:
        subscriber = self.subscribers.pop(sub_id, None)
        if subscriber is None:
            return
        for topic in subscriber.topics:
            self._forget(topic, sub_id)

    def subscriber_count(self, topic: str) -> int:
        return len(self.by_topic.get(topic, ()))

    def stats(self) -> dict[str, int]:
        return {"connections": len(self.subscribers), "topics": len(self.by_topic)}

    def _forget(self, topic: str, sub_id: int) -> None:
        members = self.by_topic.get(topic)
        if members is not None:
            members.discard(sub_id)
            if not members:
                del self.by_topic[topic]


class _Connection:
    """One client's socket at the hub: its frames read and acted on in order, and
    what the hub sends it written once per turn of the event loop."""

    def __init__(self, hub: Hub, secret: str, reader: asyncio.StreamReader,
                 writer: asyncio.StreamWriter) -> None:
        self.hub = hub
        self.secret = secret
        self.reader = reader
        self.out = CoalescingWriter(writer)
        self.sub_id = hub.open(self.send)
        self.heard_at = time.monotonic()

    @property
    def closed(self) -> bool:
        return self.out.closed

    def send(self, frame: bytes) -> None:
        if self.closed:
            return
        self.out.send(frame)
        if self.out.buffered_bytes > UNSENT_BYTES:
            log.warning("event hub: a subscriber stopped reading; closing its connection")
            self.close()

    async def serve(self) -> None:
        hello = False
        try:
            async for frames in frame_batches(self.reader, hub_wire.FrameReader().feed):
                self.heard_at = time.monotonic()
                for frame in frames:
                    if not hello:
                        if frame.kind != hub_wire.HELLO or frame.payload != self.secret:
                            log.warning("event hub: refused a connection without the secret")
                            return
                        hello = True
                    else:
                        self._handle(frame)
        except (hub_wire.WireError, ConnectionError, OSError) as problem:
            log.warning("event hub: dropping a connection: %s", problem)
        finally:
            self.close()

    def _handle(self, frame: hub_wire.Frame) -> None:
        kind = frame.kind
        if kind == hub_wire.PUBLISH:
            self.hub.publish(frame.topic, frame.payload)
        elif kind == hub_wire.JOIN:
            self.hub.subscribe(self.sub_id, frame.topics)
            self.send(hub_wire.done(frame.request))
        elif kind == hub_wire.LEAVE:
            self.hub.unsubscribe(self.sub_id, frame.topics)
            self.send(hub_wire.done(frame.request))
        elif kind == hub_wire.PING:
            self.send(hub_wire.ping())
        else:
            raise hub_wire.WireError(f"a client may not send {kind!r}")

    def close(self) -> None:
        if not self.closed:
            self.hub.close(self.sub_id)
            self.out.close()


# num_cpus=0: the hub is I/O only and must not take a CPU from the shards.
# max_restarts=-1: Ray brings it back; clients find their connection closed and resync.
# max_task_retries=0: nothing here is worth a retry; callers handle errors.
@ray.remote(num_cpus=0, max_restarts=-1, max_task_retries=0, max_concurrency=1_000)
class EventHub:
    """The Ray shell around `Hub`: a TCP server on this node, and the few actor
    calls that say where it is. Every method is async so all run on one loop."""

    def __init__(self, buffer_events: int = BUFFER_EVENTS) -> None:
        shorten_thread_switches()
        self.hub = Hub()
        self.buffer_events = buffer_events
        # Shown by each client in its first frame: only a process that could ask
        # this actor (one of the center's Ray cluster) learns it.
        self.secret = secrets.token_urlsafe(24)
        self.connections: set[_Connection] = set()
        self._server: asyncio.AbstractServer | None = None
        self._starting: asyncio.Lock | None = None
        self._sweeper: asyncio.Task | None = None

    async def _ensure_server(self) -> asyncio.AbstractServer:
        # Started from a method rather than __init__, where no event loop is running yet.
        if self._starting is None:
            self._starting = asyncio.Lock()
        async with self._starting:
            if self._server is None:
                host = ray.util.get_node_ip_address()
                self._server = await asyncio.start_server(self._accept, host, 0)
                self._sweeper = asyncio.get_running_loop().create_task(self._sweep())
        return self._server

    async def ready(self) -> bool:
        await self._ensure_server()
        return True

    async def address(self) -> tuple[str, int, str, int]:
        """(host, port, secret, buffer_events) for a client's connection."""
        server = await self._ensure_server()
        host, port = server.sockets[0].getsockname()[:2]
        return host, port, self.secret, self.buffer_events

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        keep_alive(writer)
        connection = _Connection(self.hub, self.secret, reader, writer)
        self.connections.add(connection)
        try:
            await connection.serve()
        finally:
            self.connections.discard(connection)

    async def publish(self, topic: str, event_json: str | dict[str, Any]) -> int:
        """One event through an actor call; for occasional callers (tests, tools)."""
        if not isinstance(event_json, str):
            event_json = json.dumps(event_json, ensure_ascii=False)
        return self.hub.publish(topic, event_json)

    async def stats(self) -> dict[str, int]:
        return self.hub.stats()

    async def subscriber_count(self, topic: str) -> int:
        """Like Redis's PUBSUB NUMSUB: for operators and the contract tests."""
        return self.hub.subscriber_count(topic)

    async def _sweep(self) -> None:
        while True:
            await asyncio.sleep(PING_S)
            silent_since = time.monotonic() - IDLE_DROP_S
            for connection in [c for c in self.connections if c.heard_at < silent_since]:
                log.warning("event hub: closing a connection silent for %.0f s", IDLE_DROP_S)
                connection.close()
