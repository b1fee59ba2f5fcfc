"""EventHub: the in-cluster bus, one async Ray actor per center (the embedded default).

Events travel as JSON text, exactly as over Redis: both backends then round-trip
the same values (a tuple arrives as a list on either), and a frame the
publisher mutates after `publish` returned cannot change what was sent.

Subscribers long-poll their own bounded buffer, so a gateway replica costs the
hub one pending call at a time, not one call per event. Polls carry an
acknowledgement (the last sequence number the client actually received), and
the hub forgets events only once they are acknowledged: a poll whose reply
never reaches anyone (the client stopped iterating, so Ray still runs the call
but nobody awaits it) loses nothing, the next poll returns the same events.

A buffer that fills (a subscriber stalled) is replaced by one overflow marker;
the subscriber then re-reads from the database, which holds every message
anyway (DESIGN.md decision 2). The hub keeps nothing durable: if Ray restarts
it, clients find their subscriber id unknown, re-open, re-subscribe and treat
it as an overflow.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections import deque
from typing import Any

import ray

from actors.runtime.latency import shorten_thread_switches

# Topic "" means "events were lost, resync everything" (serve/fanout.py).
OVERFLOW_TOPIC = ""
# BusEvent(EventsLost()).to_json_dict(), spelled out: the hub decodes nothing.
OVERFLOW_EVENT: dict[str, Any] = {"event": {"type": "EventsLost"}, "origin": None}
OVERFLOW_JSON = json.dumps(OVERFLOW_EVENT)
BUFFER_EVENTS = 10_000
IDLE_DROP_S = 60.0

# (topic, the event's to_json_dict() as JSON text)
Event = tuple[str, str]
# What `poll` answers: the sequence number to acknowledge next time, and the events.
PollResult = tuple[int, list[Event]]


class _Subscriber:
    __slots__ = ("topics", "buffer", "next_seq", "ready", "polled_at", "limit")

    def __init__(self, limit: int, now: float) -> None:
        self.topics: set[str] = set()
        # (seq, topic, event), seq strictly increasing; holds every unacknowledged event.
        self.buffer: deque[tuple[int, str, str]] = deque()
        self.next_seq = 1
        self.ready = asyncio.Event()
        self.polled_at = now
        self.limit = limit

    def push(self, topic: str, event: str) -> None:
        if len(self.buffer) >= self.limit:
            # The subscriber is too far behind to catch up from the bus: drop what it
            # missed and say so, it will resync from the database.
            self.buffer.clear()
            self._append(OVERFLOW_TOPIC, OVERFLOW_JSON)
        self._append(topic, event)
        self.ready.set()

    def _append(self, topic: str, event: str) -> None:
        self.buffer.append((self.next_seq, topic, event))
        self.next_seq += 1

    def acknowledge(self, ack: int) -> None:
        buffer = self.buffer
        while buffer and buffer[0][0] <= ack:
            buffer.popleft()


class Hub:
    """The hub's logic, apart from Ray so it can be tested and reasoned about alone."""

    def __init__(self, buffer_events: int = BUFFER_EVENTS,
                 idle_drop_s: float = IDLE_DROP_S) -> None:
        if buffer_events < 1:
            raise ValueError("buffer_events must be at least 1")
        self.buffer_events = buffer_events
        self.idle_drop_s = idle_drop_s
        self.subscribers: dict[str, _Subscriber] = {}
        self.by_topic: dict[str, set[str]] = {}

    def open(self) -> str:
        # Random ids, so a restarted hub never mistakes an old client for a new one.
        sub_id = uuid.uuid4().hex
        self.subscribers[sub_id] = _Subscriber(self.buffer_events, time.monotonic())
        return sub_id

    def subscribe(self, sub_id: str, topics: list[str]) -> bool:
        """False when `sub_id` is unknown (hub restarted, or idle-dropped): re-open."""
        subscriber = self.subscribers.get(sub_id)
        if subscriber is None:
            return False
        for topic in topics:
            subscriber.topics.add(topic)
            self.by_topic.setdefault(topic, set()).add(sub_id)
        return True

    def unsubscribe(self, sub_id: str, topics: list[str]) -> bool:
        subscriber = self.subscribers.get(sub_id)
        if subscriber is None:
            return False
        for topic in topics:
            if topic in subscriber.topics:
                subscriber.topics.discard(topic)
                self._forget(topic, sub_id)
        return True

    def publish(self, topic: str, event: str) -> int:
        """Buffers `event` for each subscriber of `topic`; returns how many there were."""
        members = self.by_topic.get(topic)
        if not members:
            return 0
        subscribers = self.subscribers
        for sub_id in members:
            subscribers[sub_id].push(topic, event)
        return len(members)

    async def poll(self, sub_id: str, ack: int, timeout_s: float) -> PollResult | None:
        """Every event after `ack`, waiting up to `timeout_s` for one. None: unknown id."""
        subscriber = self.subscribers.get(sub_id)
        if subscriber is None:
            return None
        subscriber.polled_at = time.monotonic()
        subscriber.acknowledge(ack)
        if not subscriber.buffer and timeout_s > 0:
            subscriber.ready.clear()
            try:
                await asyncio.wait_for(subscriber.ready.wait(), timeout_s)
            except asyncio.TimeoutError:
                pass
            if self.subscribers.get(sub_id) is not subscriber:
                return None  # closed (or dropped) while we waited
        subscriber.polled_at = time.monotonic()
        if not subscriber.buffer:
            return ack, []
        return subscriber.buffer[-1][0], [(topic, event) for _, topic, event in subscriber.buffer]

    def close(self, sub_id: str) -> None:
        subscriber = self.subscribers.pop(sub_id, None)
        if subscriber is None:
            return
        for topic in subscriber.topics:
            self._forget(topic, sub_id)
        subscriber.buffer.clear()
        subscriber.ready.set()  # a waiting poll returns now, so the client's loop ends

    def drop_idle(self, now: float) -> int:
        """Closes subscribers nobody polled lately (a gateway replica that died)."""
        idle = [sub_id for sub_id, s in self.subscribers.items()
                if now - s.polled_at > self.idle_drop_s]
        for sub_id in idle:
            self.close(sub_id)
        return len(idle)

    def subscriber_count(self, topic: str) -> int:
        return len(self.by_topic.get(topic, ()))

    def stats(self) -> dict[str, int]:
        return {"subscribers": len(self.subscribers), "topics": len(self.by_topic),
                "buffered": sum(len(s.buffer) for s in self.subscribers.values())}

    def _forget(self, topic: str, sub_id: str) -> None:
        members = self.by_topic.get(topic)
        if members is not None:
            members.discard(sub_id)
            if not members:
                del self.by_topic[topic]


# num_cpus=0: the hub is I/O only and must not take a CPU from the shards.
# max_restarts=-1: Ray brings it back; clients notice their id is unknown and resync.
# max_task_retries=0: a retried `publish` could reorder events; callers handle errors.
# max_concurrency: each subscriber holds one long poll (two briefly after an abandoned one).
@ray.remote(num_cpus=0, max_restarts=-1, max_task_retries=0, max_concurrency=10_000)
class EventHub:
    """The Ray shell around `Hub`; every method is async so all run on one event loop."""

    def __init__(self, buffer_events: int = BUFFER_EVENTS,
                 idle_drop_s: float = IDLE_DROP_S) -> None:
        shorten_thread_switches()
        self.hub = Hub(buffer_events, idle_drop_s)
        self._sweeper: asyncio.Task | None = None

    def _ensure_sweeper(self) -> None:
        # Started from a method rather than __init__, where no event loop is running yet.
        if self._sweeper is None or self._sweeper.done():
            self._sweeper = asyncio.get_running_loop().create_task(self._sweep())

    async def ready(self) -> bool:
        self._ensure_sweeper()
        return True

    async def open(self) -> str:
        self._ensure_sweeper()
        return self.hub.open()

    async def subscribe(self, sub_id: str, topics: list[str]) -> bool:
        return self.hub.subscribe(sub_id, topics)

    async def unsubscribe(self, sub_id: str, topics: list[str]) -> bool:
        return self.hub.unsubscribe(sub_id, topics)

    async def publish(self, topic: str, event_json: str | dict[str, Any]) -> int:
        """One event; for occasional callers. InClusterBus sends batches instead."""
        if not isinstance(event_json, str):
            event_json = json.dumps(event_json, ensure_ascii=False)
        return self.hub.publish(topic, event_json)

    async def publish_batch(self, batch: list[Event]) -> None:
        """Events in publish order; one call carries a whole burst from one process."""
        publish = self.hub.publish
        for topic, event_json in batch:
            publish(topic, event_json)

    async def poll(self, sub_id: str, ack: int = 0, timeout_s: float = 5.0) -> PollResult | None:
        return await self.hub.poll(sub_id, ack, timeout_s)

    async def close(self, sub_id: str) -> None:
        self.hub.close(sub_id)

    async def stats(self) -> dict[str, int]:
        return self.hub.stats()

    async def subscriber_count(self, topic: str) -> int:
        """Like Redis's PUBSUB NUMSUB: for operators and the contract tests."""
        return self.hub.subscriber_count(topic)

    async def _sweep(self) -> None:
        while True:
            await asyncio.sleep(max(self.hub.idle_drop_s / 4, 0.05))
            self.hub.drop_idle(time.monotonic())
