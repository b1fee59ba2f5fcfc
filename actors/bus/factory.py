"""Choosing and reaching the bus: Redis when configured, else the in-cluster hub."""

from __future__ import annotations

import asyncio
from typing import Any

import ray

from actors.bus.base import EventBus
from actors.bus.hub import BUFFER_EVENTS, EventHub

# How long connect_bus waits for the driver's hub before creating it itself.
HUB_LOOKUP_S = 2.0


def _hub_options(hub_name: str, namespace: str) -> dict[str, Any]:
    # Detached: the hub is usually created by a short-lived driver or a `serve run`
    # build task and must outlive it. Nothing stops it but ray.shutdown() (the
    # tests do that at the end of the session) or an explicit ray.kill.
    return {"name": hub_name, "namespace": namespace, "get_if_exists": True,
            "lifetime": "detached"}


def ensure_hub(hub_name: str, namespace: str, buffer_events: int = BUFFER_EVENTS) -> Any:
    """The named hub actor, created if missing, ready when this returns.

    Blocking (ray.get): for drivers and sync code. An existing hub keeps its
    own `buffer_events`."""
    hub = EventHub.options(**_hub_options(hub_name, namespace)).remote(buffer_events)
    ray.get(hub.ready.remote())
    return hub


async def _ensure_hub_async(hub_name: str, namespace: str) -> Any:
    """ensure_hub without blocking an event loop (inside async actors and replicas)."""
    hub = EventHub.options(**_hub_options(hub_name, namespace)).remote(BUFFER_EVENTS)
    await hub.ready.remote()
    return hub


async def connect_bus(redis_url: str | None, hub_name: str, namespace: str) -> EventBus:
    """The bus this process publishes and subscribes on.

    The driver normally creates the hub (bootstrap.start_shards) before anything
    connects, so a missing hub is waited for briefly; then it is created here,
    which get_if_exists makes safe against a concurrent creator."""
    if redis_url:
        from actors.bus.redis_bus import RedisBus

        return RedisBus(redis_url)
    from actors.bus.in_cluster import InClusterBus

    loop = asyncio.get_running_loop()
    deadline = loop.time() + HUB_LOOKUP_S
    while True:
        try:
            hub = await asyncio.to_thread(ray.get_actor, hub_name, namespace=namespace)
            await hub.ready.remote()
            break
        except ValueError:  # no such actor (yet)
            if loop.time() >= deadline:
                hub = await _ensure_hub_async(hub_name, namespace)
                break
            await asyncio.sleep(0.1)
    return InClusterBus(hub)
