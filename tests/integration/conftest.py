"""A real center for the integration tier: Ray, Serve (HAProxy ingress), SQLite, the
in-cluster bus; and a second one on PostgreSQL and Redis in the same Ray."""

from __future__ import annotations

import asyncio

import os
import uuid
from dataclasses import replace
from pathlib import Path
from typing import AsyncIterator, Awaitable, Callable, Iterator

import pytest
import ray

from actors.bus.base import EventBus
from actors.bus.factory import connect_bus, ensure_hub
from config.settings import Settings

TEST_PORT = int(os.environ.get("KEFU_TEST_PORT", "18000"))
ADMIN_PASSWORD = "admin-test-pw"
# Bus tests start hubs of their own in this namespace.
BUS_NAMESPACE = "kefu-tests"


def center_settings(data_dir: Path, instance: str, **overrides) -> Settings:
    os.environ["KEFU_DATA_DIR"] = str(data_dir)
    os.environ["KEFU_PORT"] = str(TEST_PORT)
    os.environ["KEFU_ADMIN_PASSWORD"] = ADMIN_PASSWORD
    os.environ["KEFU_SHARDS"] = "2"
    os.environ["KEFU_INSTANCE"] = instance
    settings = Settings.from_env()
    return replace(settings, **overrides)


# The suite creates hundreds of visitors and logins from one address: the per-address
# rates are off on the shared center (the failed-login lockout stays on) and are
# tested on `throttled_center`.
NO_ADDRESS_RATES = {"visitors_per_ip_per_min": 0, "logins_per_ip_per_min": 0}
THROTTLED = {"visitors_per_ip_per_min": 5, "logins_per_ip_per_min": 10, "login_max_failures": 3,
             "login_lockout_s": 2, "uploads_per_min": 3, "help_searches_per_ip_per_min": 4}


@pytest.fixture(scope="session")
def center(ray_cluster, tmp_path_factory):
    """The embedded-default center: SQLite file, in-cluster bus."""
    from serve.bootstrap import start_center

    # Fault points let the crash-window tests hold an entity between two steps
    # (actors/runtime/fault_points.py); nothing is held unless a test arms one.
    settings = center_settings(tmp_path_factory.mktemp("center"), "kefu-t", fault_points=True,
                               **NO_ADDRESS_RATES)
    return start_center(settings)


@pytest.fixture(scope="session")
def throttled_center(center):
    """The same center through a second gateway with tight throttles (THROTTLED) and
    a short lockout, under /throttled: same shards, database and bus."""
    from ray import serve

    from serve.app import gateway_app
    from serve.bootstrap import StartedCenter

    settings = replace(center.settings, **THROTTLED)
    serve.run(gateway_app(settings), name="throttled", route_prefix="/throttled")
    return StartedCenter(settings, None, "/throttled")


def _fresh_postgres_database(url: str) -> str:
    """A database of its own for this run, so earlier runs' rows never leak in."""
    from actors.store.database import new_postgres_database

    return new_postgres_database(url, "kefu_test")


async def migrated_database_url(request, kind: str, folder) -> str:
    """An empty database with every migration applied: a SQLite file in `folder`, or
    (`kind` "postgres") a PostgreSQL database of its own for this run."""
    from actors.store.database import migrate_async

    if kind == "sqlite":
        url = f"sqlite+aiosqlite:///{folder / 'store.db'}"
    else:
        url = await asyncio.to_thread(_fresh_postgres_database, request.getfixturevalue("postgres_url"))
    await migrate_async(url)
    return url


@pytest.fixture(scope="session")
def pg_center(center, postgres_url, redis_url, tmp_path_factory):
    """The production shape: PostgreSQL and Redis, served under /pg on the same Serve."""
    from serve.bootstrap import start_center

    settings = center_settings(tmp_path_factory.mktemp("pgcenter"), "kefu-pg",
                               database_url=_fresh_postgres_database(postgres_url),
                               redis_url=redis_url, **NO_ADDRESS_RATES)
    return start_center(settings, route_prefix="/pg", app_name="pg")


# -- one bus, either backend (tests of the bus and of what is built on it) ----------------

Connect = Callable[[], Awaitable[EventBus]]


@pytest.fixture(scope="module",
                params=["in_cluster", pytest.param("redis", marks=pytest.mark.redis)])
def connect(request: pytest.FixtureRequest) -> Iterator[Connect]:
    """Opens another client of the same bus (another process would have its own)."""
    if request.param == "redis":
        url = request.getfixturevalue("redis_url")

        async def connect_redis() -> EventBus:
            return await connect_bus(url, "unused", BUS_NAMESPACE)

        yield connect_redis
        return
    request.getfixturevalue("ray_cluster")
    name = f"bus-test-hub-{uuid.uuid4().hex[:8]}"
    hub = ensure_hub(name, namespace=BUS_NAMESPACE)

    async def connect_hub() -> EventBus:
        return await connect_bus(None, name, BUS_NAMESPACE)

    yield connect_hub
    ray.kill(hub, no_restart=True)


@pytest.fixture(scope="module")
async def bus(connect: Connect) -> AsyncIterator[EventBus]:
    bus = await connect()
    yield bus
    await bus.close()
