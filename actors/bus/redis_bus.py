"""The Redis bus backend: pub/sub, for centers that span several nodes.

Pub/sub rather than Streams: the bus only has to be fast, the database keeps
every message (DESIGN.md decision 2), so a subscriber that was disconnected
resyncs from the database instead of replaying a stream.

Publishing awaits `PUBLISH`: a publisher's next event is sent only after Redis
took the previous one, so its events keep their order whichever pooled
connection carries them, at the cost of one round trip per event.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from collections import deque
from typing import Any, AsyncIterator

import redis.asyncio as aioredis
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff, NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from actors.bus.base import BusEvent, Delivery, EventBus, Subscription
from actors.bus.hub import BUFFER_EVENTS, OVERFLOW_EVENT, OVERFLOW_TOPIC

log = logging.getLogger(__name__)

PUBLISH_CONNECTIONS = 16
CONFIRM_TIMEOUT_S = 10.0
READ_TIMEOUT_S = 1.0
# Silence this long makes the reader PING; no answer within PONG_TIMEOUT_S: connection lost.
PING_AFTER_S = 10.0
PONG_TIMEOUT_S = 5.0
BACKOFF_FIRST_S = 0.05
BACKOFF_MAX_S = 5.0
_LOST = (RedisConnectionError, RedisTimeoutError, ConnectionError, OSError, asyncio.TimeoutError)


def overflow_delivery() -> Delivery:
    """The marker a consumer gets when events may have been lost: resync everything."""
    return Delivery(OVERFLOW_TOPIC, BusEvent.from_json_dict(OVERFLOW_EVENT))


class RedisBus(EventBus):
    def __init__(self, url: str) -> None:
        self.url = url
        # Short timeouts and few retries: an entity awaits each publish, and a bus
        # that is down must cost it a moment, not the default tens of seconds.
        # A bounded pool: concurrent publishers queue for a connection instead of
        # each opening its own.
        pool = aioredis.BlockingConnectionPool.from_url(
            url, max_connections=PUBLISH_CONNECTIONS, timeout=5.0,
            socket_connect_timeout=2.0, socket_timeout=5.0,
            retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), 2))
        self.client = aioredis.Redis.from_pool(pool)
        self.dropped = 0

    async def publish(self, topic: str, event: BusEvent) -> None:
        """Best effort: if Redis stays unreachable the event is dropped, not raised.

        Subscribers lose their connections too then, and resync on reconnect."""
        try:
            await self.client.publish(topic, event.json_text)
        except _LOST:
            self.dropped += 1
            log.warning("redis unreachable; dropped an event for %s", topic, exc_info=True)

    async def subscribe(self, *topics: str) -> RedisSubscription:
        subscription = RedisSubscription(self.url)
        try:
            await subscription.connect()
            if topics:
                await subscription.add(*topics)
        except BaseException:
            await subscription.close()
            raise
        return subscription

    async def close(self) -> None:
        await self.client.aclose()


class RedisSubscription(Subscription):
    """One pub/sub connection; `add` returns once Redis has confirmed the topics.

    Confirmations and messages arrive on the same connection, so one reader
    task reads both: each SUBSCRIBE is answered by one confirmation per topic,
    which resolves the oldest waiting `add` future for that topic, and messages
    go to a bounded queue that iteration drains.

    A private channel is subscribed from the start: the connection then exists
    (and is in subscriber mode) before the first topic, so the reader always
    has something to read and `subscribe()` with no topics works.

    Every disconnection matters, since events published meanwhile are lost:
    the reader treats any read error as one, throws the PubSub away, builds a
    fresh one with every topic (confirmed) and tells the consumer with an
    overflow marker. redis-py would otherwise quietly reconnect and resubscribe
    on the next read; its retries are off for this client, which also keeps
    `add` from stalling in its 1-10 s retry backoff while Redis is away.
    """

    def __init__(self, url: str, max_queued: int = BUFFER_EVENTS) -> None:
        token = uuid.uuid4().hex
        # Named, so CLIENT LIST shows what a connection is (and a test can kill just it).
        self.client_name = f"kefu-bus-sub-{token}"
        self.client = aioredis.Redis.from_url(url, socket_connect_timeout=2.0,
                                              retry=Retry(NoBackoff(), 0),
                                              client_name=self.client_name)
        self.topics: set[str] = set()
        self.private = f"kefu:bus:sub:{token}"
        self.max_queued = max_queued
        self.queue: deque[Delivery] = deque()
        self._arrived = asyncio.Event()
        self._confirmations: dict[str, deque[asyncio.Future[None]]] = {}
        self._control = asyncio.Lock()  # serializes (un)subscribe commands and reconnects
        self.pubsub: PubSub | None = None
        self.reader: asyncio.Task[None] | None = None
        self.reconnects = 0
        self.closed = False

    async def connect(self) -> None:
        async with self._control:
            self.pubsub = await self._fresh_pubsub()
        self.reader = asyncio.get_running_loop().create_task(self._read())

    async def add(self, *topics: str) -> None:
        if not topics:
            return
        loop = asyncio.get_running_loop()
        futures: list[asyncio.Future[None]] = []
        async with self._control:
            if self.closed:
                raise RuntimeError("subscription is closed")
            self.topics.update(topics)
            for topic in topics:
                future = loop.create_future()
                self._confirmations.setdefault(topic, deque()).append(future)
                futures.append(future)
            if self.pubsub is not None:  # None: the reader is reconnecting
                try:
                    await self.pubsub.subscribe(*topics)
                except _LOST:
                    pass  # the reader reconnects with every topic, which confirms these
        try:
            await asyncio.wait_for(asyncio.gather(*futures), CONFIRM_TIMEOUT_S)
        except asyncio.TimeoutError:
            raise RedisTimeoutError(f"redis did not confirm SUBSCRIBE {list(topics)}") from None
        if self.closed:
            raise RuntimeError("subscription closed while subscribing")

    async def remove(self, *topics: str) -> None:
        if not topics:
            return
        async with self._control:
            self.topics.difference_update(topics)
            if self.pubsub is not None:
                try:
                    await self.pubsub.unsubscribe(*topics)
                except _LOST:
                    pass  # a reconnect subscribes only what is still wanted

    async def _fresh_pubsub(self) -> PubSub:
        """A new connection subscribed to the private channel and every topic, confirmed."""
        pubsub = self.client.pubsub()
        try:
            channels = [self.private, *sorted(self.topics)]
            await pubsub.subscribe(*channels)
            waiting = set(channels)
            deadline = time.monotonic() + CONFIRM_TIMEOUT_S
            while waiting:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise RedisTimeoutError("redis did not confirm SUBSCRIBE")
                message = await pubsub.get_message(timeout=min(left, READ_TIMEOUT_S))
                if message is None:
                    continue
                if message["type"] == "subscribe":
                    waiting.discard(_text(message["channel"]))
                elif message["type"] == "message":
                    self._queue_message(message)
        except BaseException:
            await _close_quietly(pubsub)
            raise
        return pubsub

    async def _read(self) -> None:
        backoff = BACKOFF_FIRST_S
        heard_at = time.monotonic()
        pinged_at: float | None = None
        while not self.closed:
            try:
                if self.pubsub is None:
                    raise RedisConnectionError("not connected (the last reconnect failed)")
                if pinged_at is None and time.monotonic() - heard_at > PING_AFTER_S:
                    await self.pubsub.ping()
                    pinged_at = time.monotonic()
                elif pinged_at is not None and time.monotonic() - pinged_at > PONG_TIMEOUT_S:
                    raise RedisTimeoutError("redis did not answer PING")
                message = await self.pubsub.get_message(timeout=READ_TIMEOUT_S)
            except Exception as error:  # lost, or anything else odd: start over either way
                if self.closed:
                    return
                log.warning("redis subscription lost (%s); reconnecting in %.2fs", error, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, BACKOFF_MAX_S)
                if await self._reconnect():
                    backoff = BACKOFF_FIRST_S
                    heard_at, pinged_at = time.monotonic(), None
                continue
            if message is None:
                continue
            heard_at, pinged_at = time.monotonic(), None
            kind = message["type"]
            if kind == "message":
                self._queue_message(message)
            elif kind == "subscribe":
                self._confirm(_text(message["channel"]))

    async def _reconnect(self) -> bool:
        async with self._control:
            if self.closed:
                return False
            if self.pubsub is not None:
                await _close_quietly(self.pubsub)
                self.pubsub = None
            try:
                self.pubsub = await self._fresh_pubsub()
            except Exception as error:
                log.warning("redis reconnect failed: %s", error)
                return False  # the reader backs off and tries again
            self.reconnects += 1
            # Every wanted topic was just confirmed on the new connection.
            for topic in list(self._confirmations):
                self._confirm_all(topic)
            # Whatever was published while we were away is gone: consumers resync.
            self._put(overflow_delivery())
            return True

    def _queue_message(self, message: dict[str, Any]) -> None:
        topic = _text(message["channel"])
        if topic not in self.topics:
            return  # the private channel, or a topic removed a moment ago
        try:
            event = BusEvent.from_json_dict(json.loads(message["data"]))
        except (ValueError, KeyError, TypeError):
            log.warning("ignoring a malformed bus message on %s", topic)
            return
        self._put(Delivery(topic, event))

    def _put(self, delivery: Delivery) -> None:
        if len(self.queue) >= self.max_queued:
            # The consumer stalled: like the hub, drop the backlog and say so.
            self.queue.clear()
            self.queue.append(overflow_delivery())
        self.queue.append(delivery)
        self._arrived.set()

    def _confirm(self, topic: str) -> None:
        waiting = self._confirmations.get(topic)
        if not waiting:
            return
        future = waiting.popleft()
        if not future.done():
            future.set_result(None)
        if not waiting:
            del self._confirmations[topic]

    def _confirm_all(self, topic: str) -> None:
        for future in self._confirmations.pop(topic, ()):
            if not future.done():
                future.set_result(None)

    async def __aiter__(self) -> AsyncIterator[Delivery]:
        while True:
            while self.queue:
                yield self.queue.popleft()
            if self.closed:
                return
            self._arrived.clear()
            await self._arrived.wait()

    async def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.queue.clear()
        self._arrived.set()  # ends iteration
        if self.reader is not None:
            self.reader.cancel()
            try:
                await self.reader
            except (asyncio.CancelledError, Exception):
                pass
        for topic in list(self._confirmations):
            self._confirm_all(topic)  # a waiting `add` wakes up and sees `closed`
        if self.pubsub is not None:
            await _close_quietly(self.pubsub)
        await self.client.aclose()


async def _close_quietly(pubsub: PubSub) -> None:
    try:
        await pubsub.aclose()
    except Exception:
        pass


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
