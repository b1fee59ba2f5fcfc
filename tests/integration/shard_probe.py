"""What a test sees of the shards behind the edge: an entity's own answer, the
database's rows, a shard killed as a crash would, and the test-only fault points
(actors/runtime/fault_points.py)."""

from __future__ import annotations

import asyncio
import time
from typing import Any, Callable

import ray
from sqlalchemy import func, select

from actors.agent.protocol import AgentSnapshot, GetSnapshot, agent_ref
from actors.placement import EntityRef, shard_of
from actors.runtime.shard import shard_names
from actors.store import event_log
from actors.store.database import create_engine, sessionmaker
from actors.store.schema import ConversationRow


class ShardProbe:
    def __init__(self, center) -> None:
        self.settings = center.settings
        self.names = shard_names(self.settings)
        self.db = sessionmaker(create_engine(self.settings.database_url))

    def shard(self, index: int) -> Any:
        return ray.get_actor(self.names[index], namespace=self.settings.namespace)

    def index_of(self, ref: EntityRef) -> int:
        return shard_of(ref, len(self.names))

    async def ask(self, ref: EntityRef, command: Any) -> Any:
        """Ask an entity directly, as a gateway does."""
        [(ok, reply)] = await self.shard(self.index_of(ref)).ask_many.remote(
            [(ref.kind, ref.key, command)])
        if not ok:
            raise reply
        return reply

    async def snapshot(self, agent_id: str) -> AgentSnapshot:
        return await self.ask(agent_ref(agent_id), GetSnapshot())

    async def assigned_count(self, agent_id: str) -> int:
        async with self.db() as session:
            return await session.scalar(select(func.count()).select_from(ConversationRow).where(
                ConversationRow.agent_id == agent_id, ConversationRow.status == "assigned"))

    async def conversation_status(self, conversation_id: str) -> tuple[str, str | None]:
        async with self.db() as session:
            row = await session.get(ConversationRow, conversation_id)
            return row.status, row.agent_id

    async def events(self, agent_id: str, type_name: str) -> list[event_log.LoggedEvent]:
        return await event_log.query(self.db, self.settings.center_id, types=[type_name],
                                     agent_id=agent_id)

    async def until(self, probe, what: str | Callable[[], str], timeout: float) -> Any:
        """Poll `probe` (an async callable) until it returns something truthy."""
        deadline = time.monotonic() + timeout
        while True:
            value = await probe()
            if value:
                return value
            if time.monotonic() >= deadline:
                raise AssertionError(f"{what if isinstance(what, str) else what()}: "
                                     f"not within {timeout:.0f} s")
            await asyncio.sleep(0.2)

    async def slots_match_rows(self, agent_id: str, timeout: float) -> int:
        """Waits until the agent's own count of held slots equals the database's count
        of conversations assigned to them; returns that count."""
        last: list[tuple[int, int]] = []

        async def matched() -> bool:
            active, rows = (await self.snapshot(agent_id)).active, await self.assigned_count(agent_id)
            last[:] = [(active, rows)]
            return active == rows

        await self.until(matched, lambda: f"agent {agent_id}: (active, rows) {last}", timeout)
        return last[0][1]

    # -- crashes --------------------------------------------------------------------------

    async def kill(self, index: int) -> None:
        """Kill a shard's process as a crash would; returns once Ray has restarted it."""
        shard = self.shard(index)
        old = await shard.pid.remote()
        ray.kill(shard, no_restart=False)

        async def restarted() -> bool:
            try:
                return await asyncio.wait_for(shard.pid.remote(), 2) != old
            except (ray.exceptions.RayError, asyncio.TimeoutError):
                return False

        await self.until(restarted, f"shard {index} restarted", 90)

    async def arm(self, point: str, key: str) -> None:
        await asyncio.gather(*(self.shard(i).arm_fault_point.remote(point, key)
                               for i in range(len(self.names))))

    async def held_at(self, point: str, key: str, timeout: float = 30) -> None:
        async def reached() -> bool:
            answers = await asyncio.gather(*(self.shard(i).fault_point_reached.remote(point, key)
                                             for i in range(len(self.names))))
            return any(answers)

        await self.until(reached, f"fault point {point} for {key} reached", timeout)

    async def release(self, point: str, key: str) -> None:
        await asyncio.gather(*(self.shard(i).release_fault_point.remote(point, key)
                               for i in range(len(self.names))))
