"""The monitor actor: one per center, a named, restartable Ray actor that keeps the
live figures (actors/monitor/figures.py) and answers snapshots.

Nothing of its own is durable: at start (and after a restart, or when the bus
reports lost events) it subscribes to the center's monitor topic, seeds once from
the event log, then applies what the bus brings. Bus copies of facts the seed
already read are skipped by their key, so a fact committed while seeding counts once.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from typing import Any

import ray

from actors.bus import topics
from actors.bus.base import EventsLost
from actors.monitor.departments import by_department
from actors.monitor.figures import FACT_TYPES
from actors.monitor.protocol import FactLogged, FactsCommitted
from actors.monitor.seed import agent_cards, department_map, fact_key, monitor_settings, seed_figures
from actors.monitor.snapshot import alerts, build
from actors.reports.center_zone import center_zone
from actors.store.clock import as_utc, utcnow
from config.settings import Settings

log = logging.getLogger(__name__)
REFRESH_S = 30.0  # agents' caps, departments and the settings, besides the explicit reload
TICK_S = 1.0  # alerts that start by the clock (a wait crossing its threshold)
MAX_WATCH_S = 30.0
SEED_OVERLAP_S = 10.0


def monitor_actor_name(settings: Settings) -> str:
    return settings.actor_name("monitor")


@ray.remote(num_cpus=0, max_restarts=-1, max_task_retries=0, max_concurrency=10_000)
class MonitorActor:
    def __init__(self, settings: Settings) -> None:
        logging.basicConfig(level=logging.INFO)
        self.settings = settings
        self.center_id = settings.center_id
        self.figures = None
        self.epoch = f"{os.getpid()}-{time.time()}"  # a restarted monitor counts versions anew
        self._changed = asyncio.Condition()
        # As a shard does: an async actor's __init__ runs on its loop, so a restarted
        # monitor reseeds without anyone asking.
        self._started = asyncio.get_running_loop().create_task(self._start())

    async def _start(self) -> None:
        from actors.bus.factory import connect_bus
        from actors.store.database import create_engine, sessionmaker

        self.engine = create_engine(self.settings.database_url, pool_size=2)
        self.db = sessionmaker(self.engine)
        self.bus = await connect_bus(self.settings.redis_url, self.settings.actor_name("hub"),
                                     namespace=self.settings.namespace)
        self.subscription = await self.bus.subscribe(topics.monitor(self.center_id))
        await self._seed()
        loop = asyncio.get_running_loop()
        self._follow = loop.create_task(self._follow_bus())
        self._ticker = loop.create_task(self._tick())

    async def _seed(self) -> None:
        self.monitor_settings = await monitor_settings(self.db, self.center_id)
        self.agents = await agent_cards(self.db, self.center_id)
        self.departments = await department_map(self.db, self.center_id)
        self.zone = await center_zone(self.db, self.center_id)
        figures, self._seeded = await seed_figures(self.db, self.center_id, utcnow(), self.monitor_settings,
                                                   self.zone)
        if self.figures is not None:
            figures.version = self.figures.version + 1  # watchers see a change
        self.figures = figures
        await self._notify()

    async def _follow_bus(self) -> None:
        async for delivery in self.subscription:
            event = delivery.event.event
            try:
                if isinstance(event, EventsLost):
                    await self._seed()
                    continue
                if not isinstance(event, FactsCommitted):
                    continue
                self.figures.roll(utcnow())
                for fact in event.facts:
                    await self._apply(fact)
                await self._notify()
            except Exception:
                log.exception("monitor: could not apply %s", type(event).__name__)

    async def _apply(self, fact: FactLogged) -> None:
        key = fact_key(fact.kind, fact.data)
        if fact.kind not in FACT_TYPES or key in self._seeded:  # the seed read it already
            self._seeded.discard(key)
            return
        if fact.kind == "AgentStatusChanged" and fact.data.get("agent_id") not in self.agents:
            self.agents = await agent_cards(self.db, self.center_id)  # a new account: its cap
        self.figures.apply(fact.kind, fact.data, as_utc(fact.at))

    async def _tick(self) -> None:
        shown: set[str] = set()
        since_refresh = 0.0
        while True:
            await asyncio.sleep(TICK_S)
            since_refresh += TICK_S
            if since_refresh >= SEED_OVERLAP_S:
                self._seeded.clear()  # bus copies of seeded facts have all come by now
            try:
                now = utcnow()
                self.figures.roll(now)
                if since_refresh >= REFRESH_S:
                    since_refresh = 0.0
                    await self._refresh()
                ids = {a.id for a in alerts(self.figures, self.monitor_settings, now)}
                if ids != shown:
                    shown = ids
                    self.figures.version += 1
                    await self._notify()
            except Exception:
                log.exception("monitor tick failed")

    async def _refresh(self) -> None:
        self.monitor_settings = await monitor_settings(self.db, self.center_id)
        self.figures.sensitive_words = self.monitor_settings.sensitive_words
        self.agents = await agent_cards(self.db, self.center_id)
        self.departments = await department_map(self.db, self.center_id)
        if await center_zone(self.db, self.center_id) != self.zone:
            await self._seed()  # another zone: today starts at another midnight, count again

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # -- calls --------------------------------------------------------------------------

    async def ready(self) -> bool:
        await self._started
        return True

    async def reload(self) -> None:
        """Settings, sensitive words, agents or departments changed (the admin API says so)."""
        await self._started
        await self._refresh()
        self.figures.version += 1
        await self._notify()

    async def snapshot(self) -> dict[str, Any]:
        await self._started
        snapshot = build(self.figures, self.agents, self.monitor_settings, utcnow())
        snapshot.departments = by_department(snapshot, self.departments)
        return {**snapshot.model_dump(), "epoch": self.epoch}

    async def watch(self, after_version: int, epoch: str | None = None,
                    timeout_s: float = MAX_WATCH_S) -> dict[str, Any] | None:
        """The snapshot once its version passes `after_version` (at once if `epoch` is not
        this monitor's: it restarted); None if nothing changed in time."""
        await self._started
        if epoch != self.epoch:
            return await self.snapshot()
        try:
            async with self._changed:
                await asyncio.wait_for(self._changed.wait_for(lambda: self.figures.version > after_version),
                                       min(timeout_s, MAX_WATCH_S))
        except asyncio.TimeoutError:
            return None
        return await self.snapshot()

    def pid(self) -> int:
        return os.getpid()


def start_monitor_actor(settings: Settings):
    """The center's monitor, started with its shards; waits until it has seeded."""
    actor = MonitorActor.options(name=monitor_actor_name(settings), namespace=settings.namespace,
                                 get_if_exists=True, lifetime="detached").remote(settings)
    ray.get(actor.ready.remote())
    return actor


def monitor_handle(settings: Settings):
    """The running monitor of this center (ValueError: none)."""
    return ray.get_actor(monitor_actor_name(settings), namespace=settings.namespace)


async def find_monitor(settings: Settings):
    """monitor_handle from async code: the lookup is a blocking call to Ray's GCS, so it
    runs on a thread and never holds the caller's event loop (a replica's, which may
    be Serve's own)."""
    return await asyncio.to_thread(monitor_handle, settings)
