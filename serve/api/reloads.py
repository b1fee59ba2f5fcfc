"""After a settings change: the entities that cache those settings read them again.

The center first (queues ask it for their group's settings), then the queues and
agents concerned, so a change counts from the next request, offer or match, with
no restart. Each ask is awaited: the admin call answers once the change is live.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Iterable

import ray

from actors.agent.protocol import Reload as ReloadAgent
from actors.agent.protocol import agent_ref
from actors.center.protocol import Reload as ReloadCenter
from actors.center.protocol import center_ref
from actors.monitor.actor import find_monitor
from actors.skill_group.protocol import Reload as ReloadQueue
from actors.skill_group.protocol import queue_ref
from actors.store.skill_groups import list_skill_groups
from serve.runtime import GatewayRuntime

log = logging.getLogger(__name__)


async def reload_center(rt: GatewayRuntime) -> None:
    await rt.ask(center_ref(rt.center_id), ReloadCenter())


async def reload_queues(rt: GatewayRuntime, groups: Iterable[str]) -> None:
    await asyncio.gather(*(rt.ask(queue_ref(rt.center_id, group), ReloadQueue())
                           for group in sorted(set(groups))))


async def reload_all_queues(rt: GatewayRuntime) -> None:
    await reload_queues(rt, [group.name for group in await list_skill_groups(rt.db, rt.center_id)])


async def reload_agents(rt: GatewayRuntime, agent_ids: Iterable[str]) -> None:
    ids = sorted(set(agent_ids))
    for agent_id in ids:
        rt.accounts.forget(agent_id)
    await asyncio.gather(*(rt.ask(agent_ref(agent_id), ReloadAgent()) for agent_id in ids))


async def reload_monitor_departments(rt: GatewayRuntime) -> None:
    """The department tree or who is in it changed: the monitor's per-department rows
    follow now rather than at its next 30 s refresh. A monitor that is down does not
    fail the admin's change (it reads the departments when it starts)."""
    try:
        await (await find_monitor(rt.settings)).reload.remote()
    except (ValueError, ray.exceptions.RayActorError) as failure:
        log.warning("the monitor did not reload its departments: %s", failure)
