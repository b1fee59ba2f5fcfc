"""The gateway's fan-out (serve/fanout.py) over both real bus backends.

Joins and leaves are batched into subscription rounds; these tests hold it to
what a socket relies on: once `join` returns, every event published to its
topics reaches it, even when the topic was on its way out a moment before; a
socket that left gets nothing more; and a burst of joins costs a few rounds,
not one round trip each.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import AsyncIterator

import pytest

from actors.bus.base import BusEvent, EventBus
from tests.integration.bus_probe import frame_of, probe
from serve.fanout import Fanout

TIMEOUT_S = 10.0


class Socket:
    """Stands in for serve.connection.Connection: what the fan-out calls on a socket."""

    def __init__(self) -> None:
        self.topics: tuple[str, ...] = ()
        self.frames: list[dict] = []
        self.arrived = asyncio.Event()

    def deliver(self, event: BusEvent) -> None:
        self.frames.append(frame_of(event))
        self.arrived.set()

    def resync(self) -> None:
        raise AssertionError("no events were lost in these tests")

    async def next_frame(self) -> dict:
        await asyncio.wait_for(self.arrived.wait(), TIMEOUT_S)
        self.arrived.clear()
        return self.frames[-1]


def topic() -> str:
    return f"test:fanout:{uuid.uuid4().hex}"


def event(n: int) -> BusEvent:
    return probe({"type": "note", "n": n})


@pytest.fixture
async def fanout(bus: EventBus) -> AsyncIterator[Fanout]:
    fanout = Fanout(bus)
    await fanout.start()
    yield fanout
    fanout._pump.cancel()
    fanout._syncer.cancel()
    await fanout.subscription.close()


async def test_a_burst_of_joins_shares_rounds_and_each_socket_gets_its_events(fanout: Fanout,
                                                                                bus: EventBus):
    sockets = [Socket() for _ in range(200)]
    names = [topic() for _ in sockets]
    rounds_before = fanout.rounds
    await asyncio.gather(*(fanout.join(s, (name,)) for s, name in zip(sockets, names)))
    assert fanout.rounds - rounds_before <= 10  # one round each would be 200
    for n, name in enumerate(names):
        await bus.publish(name, event(n))
    frames = await asyncio.gather(*(s.next_frame() for s in sockets))
    assert [f["n"] for f in frames] == list(range(len(sockets)))


async def test_a_topic_rejoined_while_it_is_being_left_still_delivers(fanout: Fanout, bus: EventBus):
    name = topic()
    first, second = Socket(), Socket()
    await fanout.join(first, (name,))
    for n in range(20):
        # Leaving starts a round that unsubscribes; a join while that round is
        # on its way must not be fooled by the subscription that is about to go
        # (the yields let the round start: none, before or during its call).
        fanout.leave(first)
        first.topics = ()
        for _ in range(n % 4):
            await asyncio.sleep(0)
        await fanout.join(second, (name,))
        await bus.publish(name, event(n))
        assert (await second.next_frame())["n"] == n
        fanout.leave(second)
        second.topics = ()
        await fanout.join(first, (name,))


async def test_a_socket_that_left_gets_nothing_and_its_topic_is_unsubscribed(fanout: Fanout,
                                                                            bus: EventBus):
    shared, own = topic(), topic()
    staying, leaving = Socket(), Socket()
    await fanout.join(staying, (shared,))
    await fanout.join(leaving, (shared, own))
    fanout.leave(leaving)
    await bus.publish(own, event(0))
    await bus.publish(shared, event(1))
    assert (await staying.next_frame())["n"] == 1
    assert leaving.frames == []
    # The unsubscribe is not awaited by leave; the next round has done it.
    await fanout.join(Socket(), (topic(),))
    assert own not in fanout.subscribed and shared in fanout.subscribed


async def test_a_join_given_up_leaves_no_member_behind(fanout: Fanout):
    # The socket closed while its join waited for a round: its handler never
    # reaches the leave in its finally, so the join must not leave it listed.
    name = topic()
    joining = asyncio.ensure_future(fanout.join(Socket(), (name,)))
    await asyncio.sleep(0)  # now waiting for its round
    joining.cancel()
    with pytest.raises(asyncio.CancelledError):
        await joining
    assert name not in fanout.members
