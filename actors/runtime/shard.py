"""EntityShard: one async Ray actor hosting many entities (DESIGN.md decision 1).

The shard keeps nothing durable itself. When Ray restarts a crashed shard, its
entities come back on their next command by reloading from the database, and
the shard wakes the skill-group queues that still have conversations waiting,
so their timers and matching resume without anyone having to knock.
"""

from __future__ import annotations

import asyncio
import logging
import pickle
import time
from typing import Any, Callable

import ray

from actors.placement import EntityRef
from actors.runtime.directory import Directory
from actors.bus.base import EventBus
from actors.runtime.entity import Entity, LoopTimers, ShardServices, Timers
from actors.runtime.fault_points import FaultPoints
from actors.runtime.latency import shorten_thread_switches
from actors.runtime.shard_link import ShardLinkServer
from config.settings import Settings

log = logging.getLogger(__name__)

IDLE_EVICT_S = 600.0
SWEEP_EVERY_S = 60.0
REWAKE_AFTER_S = (2.0, 5.0, 15.0)  # after a start (each a pause after the one before)


def entity_kinds() -> dict[str, type[Entity]]:
    # Imported here so the runtime does not depend on the entities at import time.
    from actors.agent.entity import Agent
    from actors.browsing.entity import Browsing
    from actors.center.entity import Center
    from actors.conversation.entity import Conversation
    from actors.skill_group.entity import SkillGroupQueue
    from actors.staff_chat.entity import StaffChat
    from actors.visitor.entity import Visitor

    return {cls.kind: cls for cls in (Agent, Browsing, Center, Conversation, SkillGroupQueue, StaffChat,
                                      Visitor)}


def shard_names(settings: Settings) -> list[str]:
    return [settings.actor_name(f"shard-{i}") for i in range(settings.shards)]


class EntityHost:
    """The shard's logic, apart from Ray so it can be driven in-process too.

    `bus`, `clock` and `timers` replace what `start` would otherwise connect to or
    use (the hub or Redis, wall time, the event loop): with one shard and these,
    the host runs its entities without Ray (tests/unit/in_process.py)."""

    def __init__(self, settings: Settings, index: int, *, bus: EventBus | None = None,
                 clock: Callable[[], float] = time.time, timers: Timers | None = None) -> None:
        self.settings = settings
        self.index = index
        self._bus, self._clock, self._timers = bus, clock, timers or LoopTimers()
        self.entities: dict[EntityRef, Entity] = {}
        self.kinds = entity_kinds()
        self.services: ShardServices | None = None
        self._starting: asyncio.Lock | None = None
        self._sweeper: asyncio.Task | None = None
        self._rewaker: asyncio.Task | None = None
        self.started_at = time.time()
        self.mailbox_time: dict[str, list[float]] = {}  # command -> [count, total s, max s]

    async def start(self) -> None:
        if self.services is not None:
            return
        self._starting = self._starting or asyncio.Lock()
        async with self._starting:
            if self.services is not None:
                return
            from actors.bus.factory import connect_bus
            from actors.store.database import create_engine, create_writer_engine, sessionmaker
            from actors.store.batched_reads import BatchedLookup
            from actors.store.conversations import fetch_conversation_states, fetch_open_conversations
            from actors.monitor.feed import MonitorFeed
            from actors.store.group_commit import GroupCommit
            from federation.client import LinkClient

            self._engine = engine = create_engine(self.settings.database_url, pool_size=8)
            self._writer = create_writer_engine(self.settings.database_url)
            bus = self._bus or await connect_bus(self.settings.redis_url, self.settings.actor_name("hub"),
                                                 namespace=self.settings.namespace)
            directory = Directory(shard_names(self.settings), self.settings.namespace,
                                  local_index=self.index, local=self)
            db = sessionmaker(engine)
            feed = MonitorFeed(bus, self.settings.center_id).committed if self.settings.monitor else None
            self.services = ShardServices(self.settings, db, GroupCommit(self._writer, feed), bus,
                                          directory,
                                          BatchedLookup(engine, fetch_conversation_states),
                                          BatchedLookup(engine, fetch_open_conversations),
                                          links=LinkClient(self.settings),
                                          clock=self._clock, timers=self._timers,
                                          fault_points=FaultPoints(self.settings.fault_points))
            self._sweeper = asyncio.get_running_loop().create_task(self._sweep())
            await self._wake_waiting_queues()
            await self._wake_present_agents()
            self._rewaker = asyncio.get_running_loop().create_task(self._wake_again())

    async def stop(self) -> None:
        """Let the tells in flight run, then close what `start` opened (in-process use:
        a Ray shard just dies with its process)."""
        if self.services is None:
            return
        await self.services.directory.drain()
        for task in (self._sweeper, self._rewaker):
            if task is not None:
                task.cancel()
        for entity in self.entities.values():
            entity.cancel_all()
        await self.services.writes.close()
        await self._engine.dispose()
        await self._writer.dispose()
        self.services = None

    async def dispatch(self, ref: EntityRef, command: Any) -> Any:
        if self.services is None:
            await self.start()
        entity = self._entity(ref)
        entity.commands_waiting += 1
        try:
            async with entity.mailbox:
                if not getattr(entity, "_activated", False):
                    try:
                        await entity.on_activate()
                    except BaseException:
                        # A failed load must not leave a half-built entity behind.
                        self.entities.pop(ref, None)
                        raise
                    entity._activated = True
                entity.last_used = started = time.monotonic()
                try:
                    return await entity.receive(command)
                finally:
                    self._account(ref.kind, command, time.monotonic() - started)
        finally:
            entity.commands_waiting -= 1
            # Commands naming what does not exist (a made-up conversation id) must
            # not leave an entity behind each: memory stays bounded by real entities.
            if (entity.commands_waiting == 0 and getattr(entity, "_activated", False) and entity.unknown()
                    and self.entities.get(ref) is entity):
                del self.entities[ref]

    def _account(self, kind: str, command: Any, held_s: float) -> None:
        """How long each kind of command holds its entity's mailbox: an entity is one
        at a time, so this is what caps its throughput (see `stats`)."""
        key = f"{kind}.{type(command).__name__}"
        entry = self.mailbox_time.get(key)
        if entry is None:
            self.mailbox_time[key] = [1, held_s, held_s]
        else:
            entry[0] += 1
            entry[1] += held_s
            entry[2] = max(entry[2], held_s)

    def _entity(self, ref: EntityRef) -> Entity:
        entity = self.entities.get(ref)
        if entity is None:
            cls = self.kinds.get(ref.kind)
            if cls is None:
                raise LookupError(f"no entity kind {ref.kind!r}")
            entity = cls(ref.key, self.services)
            self.entities[ref] = entity
        return entity

    async def _wake_waiting_queues(self, only_missing: bool = False) -> None:
        from actors.skill_group.protocol import Wake, queue_ref
        from actors.store import conversations as store

        directory = self.services.directory
        for center_id, group in await store.groups_with_waiting(self.services.db):
            ref = queue_ref(center_id, group)
            if directory.owner(ref) == self.index and not (only_missing and ref in self.entities):
                directory.tell(ref, Wake())

    async def _wake_again(self) -> None:
        """A queue woken while another shard was restarting too fails to build (its
        center's settings are out of reach) and the Wake is gone: look again a few
        times, waking the ones with visitors waiting that are still not built here."""
        for delay in REWAKE_AFTER_S:
            await asyncio.sleep(delay)
            try:
                await self._wake_waiting_queues(only_missing=True)
            except Exception:  # noqa: BLE001 - the database is away: the next round
                log.exception("waking waiting queues again failed")

    async def _wake_present_agents(self) -> None:
        """Agents not signed off may have had slots and sockets here: rebuilt now, each
        tells its queues where it stands, and one whose workspace is gone too goes
        offline once its lease lapses, instead of looking free to every queue."""
        from actors.agent.protocol import Wake, agent_ref
        from actors.store import accounts

        directory = self.services.directory
        for agent_id in await accounts.present_agents(self.services.db):
            ref = agent_ref(agent_id)
            if directory.owner(ref) == self.index:
                directory.tell(ref, Wake())

    async def _sweep(self) -> None:
        while True:
            await asyncio.sleep(SWEEP_EVERY_S)
            cutoff = time.monotonic() - IDLE_EVICT_S
            for ref, entity in list(self.entities.items()):
                if entity.last_used < cutoff and not entity.mailbox.locked() and entity.evictable():
                    del self.entities[ref]

    def stats(self) -> dict[str, Any]:
        counts: dict[str, int] = {}
        for ref in self.entities:
            counts[ref.kind] = counts.get(ref.kind, 0) + 1
        held = {key: {"count": int(count), "mean_ms": round(total / count * 1000, 3),
                      "max_ms": round(longest * 1000, 3)}
                for key, (count, total, longest) in self.mailbox_time.items()}
        return {"index": self.index, "entities": counts, "started_at": self.started_at,
                "mailbox_time": held}


def portable_error(error: Exception) -> Exception:
    """The error itself when it survives pickling, else a RuntimeError that names it:
    one unpicklable exception must not fail the whole batch's answer."""
    try:
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")


def _log_failed_start(task: asyncio.Task) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("shard start failed; the next command retries", exc_info=task.exception())


@ray.remote(num_cpus=0, max_restarts=-1, max_task_retries=0, max_concurrency=100_000)
class EntityShard:
    def __init__(self, settings: Settings, index: int) -> None:
        shorten_thread_switches()
        logging.basicConfig(level=logging.INFO)
        self.host = EntityHost(settings, index)
        # Ray restarts a crashed shard by constructing it again (an async actor's
        # __init__ runs on its event loop): start at once, so the queues with
        # visitors waiting wake up (deadlines, matching) without a command to knock.
        # A start that fails here is tried again by the first command.
        self._started = asyncio.get_running_loop().create_task(self.host.start())
        self._started.add_done_callback(_log_failed_start)
        # Other processes' asks and tells come over a stream (shard_link.py), not Ray calls.
        self.link_server = ShardLinkServer(self.ask_many, self.tell_many)

    async def stream_address(self) -> tuple[str, int, str]:
        """Where callers connect for asks and tells: (host, port, secret)."""
        return await self.link_server.address()

    async def start(self) -> dict[str, Any]:
        await self.host.start()
        return self.host.stats()

    async def ask_many(self, commands: list[tuple[str, str, Any]]) -> list[tuple[bool, Any]]:
        """Asks batched by one caller (Directory): each runs in its own entity's
        mailbox, all at once; answers (ok, reply) or (False, the exception), in order."""
        return await asyncio.gather(*(self._answer(EntityRef(kind, key), command)
                                      for kind, key, command in commands))

    async def _answer(self, ref: EntityRef, command: Any) -> tuple[bool, Any]:
        try:
            return True, await self.host.dispatch(ref, command)
        except Exception as error:
            return False, portable_error(error)

    async def tell_many(self, commands: list[tuple[str, str, Any]]) -> None:
        """Tells from one caller, in the order sent (Directory batches them). Entities rely
        on that order: a typing update never overtakes a newer one, a heartbeat Attach
        never lands after its socket's Detach."""
        if self.host.services is None:
            await self.host.start()
        directory = self.host.services.directory
        for kind, key, command in commands:
            ref = EntityRef(kind, key)
            # Each runs in its entity's mailbox; started in order, they queue in order.
            directory.detach(self.host.dispatch(ref, command), ref, command)

    def stats(self) -> dict[str, Any]:
        return self.host.stats()

    # Test only (actors/runtime/fault_points.py): refused unless KEFU_TEST_FAULT_POINTS.
    async def arm_fault_point(self, point: str, key: str) -> None:
        await self.host.start()
        self.host.services.fault_points.arm(point, key)

    async def fault_point_reached(self, point: str, key: str) -> bool:
        await self.host.start()
        return self.host.services.fault_points.reached(point, key)

    async def release_fault_point(self, point: str, key: str) -> None:
        await self.host.start()
        self.host.services.fault_points.release(point, key)

    def pid(self) -> int:
        import os

        return os.getpid()
