"""Entities driven through the shard's own host, in this process, without Ray.

`EntityHost` is the shard's logic apart from Ray; with one shard every entity is
local (the Directory hands every ask and tell to the host itself). The host runs
here on a fresh SQLite file with the migrations applied, a bus that records what
is published per topic, and a manual clock that also holds the entities' timers,
so a three-second queue timeout passes when the test says so, not in three seconds.
"""

from __future__ import annotations

import heapq
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, AsyncIterator, Callable

import asyncio

from actors.agent.protocol import Attach, SetStatus, agent_ref
from actors.bus import topics
from actors.bus.base import BusEvent, Delivery, EventBus, Subscription
from actors.center.protocol import Reload, center_ref
from actors.conversation.protocol import Open, Opened, conversation_ref
from actors.domain_event import DomainEvent
from actors.lifecycle import AgentStatus
from actors.placement import EntityRef
from actors.routing.types import ChatRequest, VisitorProfile
from actors.runtime.shard import EntityHost
from actors.store import accounts, centers, event_log
from actors.store.accounts import new_id
from actors.store.database import create_engine, migrate_async, sessionmaker
from config.settings import Settings

CENTER = "c1"
DEFAULT_GROUP = "general"
# A Monday, 10:00 UTC: inside any ordinary set of work hours.
START = 1_767_607_200.0


class RecordingBus(EventBus):
    """The bus contract in memory, keeping every event published, per topic."""

    def __init__(self) -> None:
        self.published: dict[str, list[BusEvent]] = defaultdict(list)
        self._subscriptions: list[_MemorySubscription] = []

    async def publish(self, topic: str, event: BusEvent) -> None:
        self.published[topic].append(event)
        for subscription in self._subscriptions:
            if topic in subscription.topics:
                subscription.queue.put_nowait(Delivery(topic, event))

    async def subscribe(self, *topics: str) -> Subscription:
        subscription = _MemorySubscription(set(topics))
        self._subscriptions.append(subscription)
        return subscription

    async def close(self) -> None:
        self._subscriptions.clear()

    def events(self, topic: str, *types: type[DomainEvent]) -> list[DomainEvent]:
        """The events published to `topic` (of these types, if any are named), in order."""
        return [e.event for e in self.published.get(topic, [])
                if not types or isinstance(e.event, types)]


@dataclass
class _MemorySubscription(Subscription):
    topics: set[str]
    queue: asyncio.Queue = field(default_factory=asyncio.Queue)

    async def add(self, *topics: str) -> None:
        self.topics.update(topics)

    async def remove(self, *topics: str) -> None:
        self.topics.difference_update(topics)

    async def __aiter__(self) -> AsyncIterator[Delivery]:
        while True:
            yield await self.queue.get()

    async def close(self) -> None:
        self.topics.clear()


@dataclass(order=True)
class _Timer:
    when: float
    order: int
    callback: Callable[..., None] = field(compare=False)
    args: tuple[Any, ...] = field(compare=False)
    cancelled: bool = field(default=False, compare=False)

    def cancel(self) -> None:
        self.cancelled = True


class ManualClock:
    """Wall time that moves only when told, with the timers waiting on it."""

    def __init__(self, now: float = START) -> None:
        self.now = now
        self._timers: list[_Timer] = []
        self._order = itertools.count()

    def __call__(self) -> float:
        return self.now

    def call_later(self, delay_s: float, callback: Callable[..., None], *args: Any) -> _Timer:
        timer = _Timer(self.now + delay_s, next(self._order), callback, args)
        heapq.heappush(self._timers, timer)
        return timer

    def next_due(self, until: float) -> _Timer | None:
        """The earliest live timer due by `until`, taken off the clock."""
        while self._timers and (self._timers[0].cancelled or self._timers[0].when <= until):
            timer = heapq.heappop(self._timers)
            if not timer.cancelled:
                return timer
        return None


@dataclass
class InProcessCenter:
    """One center on one in-process shard: ask and tell its entities, move its clock,
    read what it published and what it logged."""

    host: EntityHost
    bus: RecordingBus
    clock: ManualClock
    db: Any
    engine: Any  # the test's own connections (the host has its own)
    center_id: str = CENTER

    async def ask(self, ref: EntityRef, command: Any) -> Any:
        reply = await self.host.dispatch(ref, command)
        await self.settle()
        return reply

    async def settle(self) -> None:
        """Until every tell (and what it caused) has run."""
        await self.host.services.directory.drain()

    async def advance(self, seconds: float) -> None:
        """Move the clock on, firing each timer due on the way at its own time."""
        target = self.clock.now + seconds
        while (timer := self.clock.next_due(target)) is not None:
            self.clock.now = max(self.clock.now, timer.when)
            timer.callback(*timer.args)
            await self.settle()
        self.clock.now = target

    async def crash_and_restart(self) -> None:
        """The shard dies (its entities and timers with it, tells in flight lost) and
        Ray starts it again: a new host over the same database."""
        old = self.host
        for entity in old.entities.values():
            entity.cancel_all()
        old.entities.clear()
        await old.stop()
        self.host = EntityHost(old.settings, old.index, bus=self.bus, clock=self.clock,
                               timers=self.clock)
        await self.host.start()
        await self.settle()

    # -- setting the center up ------------------------------------------------------------

    async def add_group(self, name: str, queue_timeout_s: float | None = None,
                        overflow_to: str | None = None, work_hours: dict | None = None) -> str:
        await accounts.create_skill_group(self.db, self.center_id, name, name, queue_timeout_s,
                                          overflow_to, work_hours)
        await self.ask(center_ref(self.center_id), Reload())
        return name

    async def online_agent(self, groups: dict[str, int], max_concurrent: int = 1) -> str:
        agent_id = await accounts.create_agent(self.db, self.center_id, new_id("user"), "not-a-hash",
                                               "Agent", "agent", max_concurrent, groups)
        await self.ask(agent_ref(agent_id), Attach(new_id("socket")))
        await self.ask(agent_ref(agent_id), SetStatus(AgentStatus.ONLINE))
        return agent_id

    async def request(self, group: str | None = None, level: int = 0) -> tuple[str, str, Opened]:
        """A new visitor asks for a chat: (visitor id, conversation id, the answer)."""
        visitor = await accounts.create_visitor(self.db, self.center_id, "Visitor", "web", None,
                                                level=level)
        conversation_id = new_id("c")
        opened = await self.ask(conversation_ref(conversation_id), Open(
            self.center_id, VisitorProfile(visitor.id, level=level), visitor.name, ChatRequest(group)))
        return visitor.id, conversation_id, opened

    # -- what happened ----------------------------------------------------------------------

    def told_visitor(self, visitor_id: str, *types: type[DomainEvent]) -> list[DomainEvent]:
        return self.bus.events(topics.visitor(visitor_id), *types)

    def told_agent(self, agent_id: str, *types: type[DomainEvent]) -> list[DomainEvent]:
        return self.bus.events(topics.agent(agent_id), *types)

    async def logged(self, conversation_id: str) -> list[event_log.LoggedEvent]:
        return await event_log.query(self.db, self.center_id, conversation_id=conversation_id)

    async def logged_types(self, conversation_id: str) -> list[str]:
        return [event.type for event in await self.logged(conversation_id)]


def host_settings(data_dir: Path) -> Settings:
    return Settings(host="127.0.0.1", port=0, data_dir=data_dir,
                    database_url=f"sqlite+aiosqlite:///{data_dir / 'kefu.db'}", redis_url=None,
                    admin_password=None, center_file=data_dir / "unused.yaml", shards=1,
                    ingress="haproxy", max_connections=10, token_ttl_s=3600, center_id=CENTER,
                    instance="kefu-unit", token_secret="t" * 32, identity_secret="i" * 32)


async def start_center(data_dir: Path, center_settings: dict | None = None) -> InProcessCenter:
    """A fresh database with one center (and its default group), and a started host."""
    settings = host_settings(data_dir)
    await migrate_async(settings.database_url)
    engine = create_engine(settings.database_url)
    db = sessionmaker(engine)
    await accounts.ensure_center(db, CENTER, "Unit center", {"default_skill_group": DEFAULT_GROUP})
    await accounts.create_skill_group(db, CENTER, DEFAULT_GROUP, "General")
    if center_settings is not None:
        await centers.set_center_settings(db, CENTER, center_settings)
    bus, clock = RecordingBus(), ManualClock()
    host = EntityHost(settings, 0, bus=bus, clock=clock, timers=clock)
    await host.start()
    return InProcessCenter(host, bus, clock, db, engine)


async def stop_center(center: InProcessCenter) -> None:
    await center.host.stop()
    await center.engine.dispose()
