"""One contract, two backends: the in-cluster hub and Redis pass the same tests.

Every test uses topics of its own (uuid), so nothing leaks between tests or
into a shared Redis. "Nothing else arrived" is checked with a sentinel where
possible: both backends deliver one subscriber's events in the order they
reached the bus, so once a sentinel published last has arrived, anything
wrongly delivered before it would have arrived too; no sleeping and hoping.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import AsyncIterator, Callable

import pytest
import ray

from actors.bus.base import BusEvent, Delivery, EventBus, Subscription
from actors.bus.factory import connect_bus, ensure_hub
from actors.bus import hub_wire
from actors.bus.hub import BUFFER_EVENTS
from actors.bus.in_cluster import InClusterBus, InClusterSubscription
from actors.bus.redis_bus import RedisBus, RedisSubscription
from tests.integration.bus_probe import frame_of, probe
from tests.integration.conftest import BUS_NAMESPACE, Connect

TIMEOUT_S = 10.0


def topic() -> str:
    return f"test:bus:{uuid.uuid4().hex}"


async def take(subscription: Subscription, count: int,
               timeout: float = TIMEOUT_S) -> list[Delivery]:
    """Exactly the next `count` deliveries (fails with TimeoutError if they do not come)."""
    got: list[Delivery] = []

    async def read() -> None:
        async for delivery in subscription:
            got.append(delivery)
            if len(got) == count:
                return

    await asyncio.wait_for(read(), timeout)
    return got


async def take_until(subscription: Subscription, done: Callable[[Delivery], bool],
                     timeout: float = TIMEOUT_S) -> list[Delivery]:
    """Deliveries up to and including the first one `done` accepts."""
    got: list[Delivery] = []

    async def read() -> None:
        async for delivery in subscription:
            got.append(delivery)
            if done(delivery):
                return

    await asyncio.wait_for(read(), timeout)
    return got


async def nothing_more(subscription: Subscription, wait: float = 0.3) -> None:
    got: list[Delivery] = []

    async def read() -> None:
        async for delivery in subscription:
            got.append(delivery)

    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(read(), wait)
    assert got == []


async def subscriber_count(bus: EventBus, t: str) -> int:
    """How many subscriptions the bus itself holds for topic `t`."""
    if isinstance(bus, RedisBus):
        ((_, count),) = await bus.client.pubsub_numsub(t)
        return count
    assert isinstance(bus, InClusterBus)
    return await bus.hub.subscriber_count.remote(t)


def frames(deliveries: list[Delivery]) -> list[dict]:
    return [frame_of(d) for d in deliveries]


# -- the contract -----------------------------------------------------------------------------


async def test_events_after_add_arrive_in_publish_order_without_extras(bus: EventBus):
    t = topic()
    sub = await bus.subscribe()  # no topics yet: the gateway's Fanout starts this way
    try:
        await sub.add(t)
        for i in range(500):
            await bus.publish(t, probe({"type": "n", "i": i}))
        await bus.publish(t, probe({"type": "end"}))
        got = await take(sub, 501)
        assert [f.get("i") for f in frames(got)] == [*range(500), None]
        assert frames(got)[-1] == {"type": "end"}
        assert {d.topic for d in got} == {t}
        await nothing_more(sub)
    finally:
        await sub.close()


async def test_topics_given_to_subscribe_are_received(bus: EventBus):
    a, b = topic(), topic()
    sub = await bus.subscribe(a, b)
    try:
        await bus.publish(a, probe({"type": "on-a"}))
        await bus.publish(b, probe({"type": "on-b"}))
        got = await take(sub, 2)
        assert [(d.topic, frame_of(d)["type"]) for d in got] == [(a, "on-a"), (b, "on-b")]
    finally:
        await sub.close()


async def test_topics_not_subscribed_are_not_received(bus: EventBus):
    mine, other = topic(), topic()
    sub = await bus.subscribe(mine)
    bystander = await bus.subscribe(other)  # so `other` has a subscriber and is really sent
    try:
        await bus.publish(other, probe({"type": "not-for-you"}))
        await bus.publish(mine, probe({"type": "sentinel"}))
        got = await take(sub, 1)
        assert [(d.topic, frame_of(d)["type"]) for d in got] == [(mine, "sentinel")]
        assert frames(await take(bystander, 1)) == [{"type": "not-for-you"}]
        await nothing_more(sub)
    finally:
        await sub.close()
        await bystander.close()


async def test_remove_stops_delivery_and_add_resumes_it(bus: EventBus):
    gone, kept = topic(), topic()
    sub = await bus.subscribe(gone, kept)
    try:
        await bus.publish(gone, probe({"type": "before-remove"}))
        assert frames(await take(sub, 1)) == [{"type": "before-remove"}]

        await sub.remove(gone)
        assert await subscriber_count(bus, gone) == 0
        assert await subscriber_count(bus, kept) == 1
        await bus.publish(gone, probe({"type": "after-remove"}))
        await bus.publish(kept, probe({"type": "sentinel"}))
        got = await take(sub, 1)
        assert [(d.topic, frame_of(d)["type"]) for d in got] == [(kept, "sentinel")]

        await sub.add(gone)
        await bus.publish(gone, probe({"type": "again"}))
        assert [(d.topic, frame_of(d)["type"]) for d in await take(sub, 1)] == [(gone, "again")]
    finally:
        await sub.close()


async def test_every_subscriber_of_a_topic_gets_every_event(bus: EventBus):
    t = topic()
    subs = [await bus.subscribe(t) for _ in range(3)]
    try:
        assert await subscriber_count(bus, t) == 3
        for i in range(100):
            await bus.publish(t, probe({"i": i}))
        for sub in subs:
            assert [f["i"] for f in frames(await take(sub, 100))] == list(range(100))
    finally:
        for sub in subs:
            await sub.close()


async def test_events_round_trip_exactly(bus: EventBus):
    t = topic()
    sub = await bus.subscribe(t)
    try:
        events = [
            probe({"type": "message", "text": "您好，请问有什么可以帮您？ 👋 \"引号\" \\ \n",
                   "nested": {"list": [1, 2.5, None, True, False, "二"], "empty": {},
                              "deep": {"a": {"b": {"c": [[], [{}]]}}}},
                   "big": 2**53 + 1, "negative": -7, "float": 0.1}, origin="socket-7"),
            probe({"type": "queued", "position": 0}),
            probe({}),
        ]
        for event in events:
            await bus.publish(t, event)
        got = await take(sub, len(events))
        assert [d.event for d in got] == events
        assert frame_of(got[0])["text"] == frame_of(events[0])["text"]
        assert got[0].event.origin == "socket-7"
        assert got[2].event.origin is None and frame_of(got[2]) == {}
    finally:
        await sub.close()


async def test_concurrent_publishers_each_keep_their_order(bus: EventBus, connect: Connect):
    t = topic()
    sub = await bus.subscribe(t)
    other = await connect()  # publishers in another process: their own client
    try:
        async def publisher(via: EventBus, name: str) -> None:
            for i in range(100):
                await via.publish(t, probe({"p": name, "i": i}))
                if i % 7 == 0:
                    await asyncio.sleep(0)  # interleave with the others

        names = {"a": bus, "b": bus, "c": other, "d": other}
        await asyncio.gather(*(publisher(via, name) for name, via in names.items()))
        got = frames(await take(sub, 400))
        for name in names:
            assert [f["i"] for f in got if f["p"] == name] == list(range(100)), name
        await nothing_more(sub)
    finally:
        await sub.close()
        await other.close()


async def test_close_ends_iteration_and_frees_the_subscription(bus: EventBus):
    t = topic()
    sub = await bus.subscribe(t)
    await bus.publish(t, probe({"type": "seen"}))
    assert frames(await take(sub, 1)) == [{"type": "seen"}]

    async def drain() -> list[Delivery]:
        return [delivery async for delivery in sub]

    reader = asyncio.create_task(drain())
    await asyncio.sleep(0.3)  # the reader is now waiting for the next event
    assert not reader.done()
    await sub.close()
    assert await asyncio.wait_for(reader, 5.0) == []  # ended, rather than hanging
    assert await subscriber_count(bus, t) == 0
    assert await asyncio.wait_for(drain(), 5.0) == []  # and stays ended
    await bus.publish(t, probe({"type": "nobody-listens"}))  # publishing is unaffected


# -- the in-cluster hub -----------------------------------------------------------------------


@pytest.fixture
async def hub_bus(ray_cluster, request: pytest.FixtureRequest) -> AsyncIterator[InClusterBus]:
    """A hub of its own, so overflow and restarts touch nothing else.

    Parametrize it indirectly with a number to get that small a buffer."""
    name = f"bus-test-hub-{uuid.uuid4().hex[:8]}"
    ensure_hub(name, namespace=BUS_NAMESPACE, buffer_events=getattr(request, "param", BUFFER_EVENTS))
    bus = await connect_bus(None, name, BUS_NAMESPACE)
    assert isinstance(bus, InClusterBus)
    yield bus
    await bus.close()
    ray.kill(bus.hub, no_restart=True)


@pytest.mark.parametrize("hub_bus", [10], indirect=True)
async def test_hub_overflow_marks_the_loss_then_keeps_delivering(hub_bus: InClusterBus):
    t = topic()
    sub = await hub_bus.subscribe(t)
    try:
        for i in range(25):  # nobody polls meanwhile: more than the buffer's 10
            await hub_bus.publish(t, probe({"i": i}))
        await hub_bus.flush()
        got = await take_until(sub, lambda d: frame_of(d).get("i") == 24)
        assert got[0].topic == "" and frame_of(got[0]) == {"type": "bus.overflow"}
        rest = [frame_of(d)["i"] for d in got[1:]]
        assert 0 < len(rest) < 10 and rest == list(range(25 - len(rest), 25))  # newest survive
        await hub_bus.publish(t, probe({"i": "later"}))
        assert [(d.topic, frame_of(d)) for d in await take(sub, 1)] == [(t, {"i": "later"})]
    finally:
        await sub.close()


async def test_hub_restart_makes_subscribers_resync_and_resubscribe(hub_bus: InClusterBus):
    t = topic()
    sub = await hub_bus.subscribe(t)
    assert isinstance(sub, InClusterSubscription)
    try:
        await hub_bus.publish(t, probe({"type": "before"}))
        assert frames(await take(sub, 1)) == [{"type": "before"}]
        ray.kill(hub_bus.hub, no_restart=False)  # Ray restarts it, empty (max_restarts=-1)
        got = await take(sub, 1, timeout=30.0)
        assert got[0].topic == "" and frame_of(got[0]) == {"type": "bus.overflow"}
        assert await subscriber_count(hub_bus, t) == 1  # re-subscribed by itself
        await hub_bus.publish(t, probe({"type": "after"}))
        assert frames(await take(sub, 1)) == [{"type": "after"}]
    finally:
        await sub.close()


async def test_hub_loses_nothing_when_a_consumer_stops_and_resumes_iterating(
        hub_bus: InClusterBus):
    """Events that arrive while nobody iterates wait for the next iteration."""
    t = topic()
    sub = await hub_bus.subscribe(t)
    try:
        await nothing_more(sub, wait=0.3)  # iterates, then walks away
        for i in range(3):
            await hub_bus.publish(t, probe({"i": i}))
        await hub_bus.flush()
        await asyncio.sleep(0.3)  # they have reached this process by now
        assert [f["i"] for f in frames(await take(sub, 3))] == [0, 1, 2]
    finally:
        await sub.close()


async def test_hub_forgets_a_client_whose_connection_ends_without_leaving(hub_bus: InClusterBus):
    """A gateway replica that died never leaves its topics: its socket closing does."""
    t = topic()
    host, port, secret, _ = await hub_bus.hub.address.remote()
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(hub_wire.hello(secret) + hub_wire.topics_request(hub_wire.JOIN, 1, [t]))
    frames = hub_wire.FrameReader().feed(await asyncio.wait_for(reader.read(1024), TIMEOUT_S))
    assert [(f.kind, f.request) for f in frames] == [(hub_wire.DONE, 1)]
    assert await subscriber_count(hub_bus, t) == 1
    writer.transport.abort()  # as a killed process's kernel would end it
    for _ in range(100):
        if await subscriber_count(hub_bus, t) == 0:
            break
        await asyncio.sleep(0.05)
    assert await subscriber_count(hub_bus, t) == 0


async def test_hub_refuses_a_connection_without_its_secret(hub_bus: InClusterBus):
    t = topic()
    host, port, _, _ = await hub_bus.hub.address.remote()
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(hub_wire.hello("guessed") + hub_wire.topics_request(hub_wire.JOIN, 1, [t]))
    assert await asyncio.wait_for(reader.read(1024), TIMEOUT_S) == b""  # closed, nothing answered
    assert await subscriber_count(hub_bus, t) == 0
    writer.close()
    # The hub serves on for everyone else.
    sub = await hub_bus.subscribe(t)
    try:
        await hub_bus.publish(t, probe({"type": "still-here"}))
        assert frames(await take(sub, 1)) == [{"type": "still-here"}]
    finally:
        await sub.close()


# -- Redis ------------------------------------------------------------------------------------


@pytest.mark.redis
async def test_redis_subscription_survives_a_killed_connection(redis_url: str):
    import redis.asyncio as aioredis

    bus = await connect_bus(redis_url, "unused", BUS_NAMESPACE)
    admin = aioredis.Redis.from_url(redis_url)
    t, added = topic(), topic()
    sub = await bus.subscribe(t)
    assert isinstance(sub, RedisSubscription)
    try:
        await sub.add(added)
        # Only this subscription's connection: the Redis may be shared with others.
        mine = [c for c in await admin.client_list(_type="pubsub") if c["name"] == sub.client_name]
        assert len(mine) == 1
        assert await admin.execute_command("CLIENT", "KILL", "ID", mine[0]["id"]) == 1

        got = await take(sub, 1)
        assert got[0].topic == "" and frame_of(got[0]) == {"type": "bus.overflow"}
        assert await subscriber_count(bus, t) == 1 and await subscriber_count(bus, added) == 1
        await bus.publish(t, probe({"after": 1}))
        await bus.publish(added, probe({"after": 2}))
        assert [(d.topic, frame_of(d)) for d in await take(sub, 2)] == [
            (t, {"after": 1}), (added, {"after": 2})]
        assert sub.reconnects == 1
    finally:
        await sub.close()
        await admin.aclose()
        await bus.close()
