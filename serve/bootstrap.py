"""Bringing a center up on a Ray cluster: schema, seed, shards, bus, search indexer, gateway."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import ray
from ray import serve

from actors.bus.factory import ensure_hub
from actors.indexer.actor import start_indexer
from actors.monitor.actor import start_monitor_actor
from actors.runtime.shard import EntityShard, shard_names
from actors.store.database import create_engine, migrate, sessionmaker
from config.seed import ensure_admin, read_center_file, seed_center
from config.settings import Settings, write_private
from federation.link_actor import start_link_actor
from serve.app import gateway_app

log = logging.getLogger(__name__)
ADMIN_PASSWORD_FILE = "admin-password.txt"


@dataclass(frozen=True)
class StartedCenter:
    settings: Settings
    generated_admin_password: str | None
    route_prefix: str

    @property
    def url(self) -> str:
        prefix = "" if self.route_prefix == "/" else self.route_prefix
        return f"http://{self.settings.host}:{self.settings.port}{prefix}"


async def _seed(settings: Settings) -> str | None:
    engine = create_engine(settings.database_url, pool_size=2)
    try:
        db = sessionmaker(engine)
        await seed_center(db, read_center_file(settings.center_file), settings.password_cost)
        return await ensure_admin(db, settings.center_id, settings.admin_password,
                                  settings.password_cost)
    finally:
        await engine.dispose()


def start_shards(settings: Settings) -> list:
    if settings.redis_url is None:
        ensure_hub(settings.actor_name("hub"), namespace=settings.namespace)
    shards = [EntityShard.options(name=name, namespace=settings.namespace, get_if_exists=True,
                                  lifetime="detached")
              .remote(settings, index) for index, name in enumerate(shard_names(settings))]
    ray.get([shard.start.remote() for shard in shards])
    return shards


def prepare_center(settings: Settings) -> str | None:
    """Schema, seed and shards: everything but the edge. Returns a generated admin
    password when it made one (to show once)."""
    # Own thread: asyncio.run must not touch a loop the caller may have (pytest's).
    with ThreadPoolExecutor(1) as pool:
        pool.submit(migrate, settings.database_url).result()
        generated = pool.submit(asyncio.run, _seed(settings)).result()
    start_shards(settings)
    if settings.monitor:
        start_monitor_actor(settings)
    start_indexer(settings)  # after the migration: it reads its cursor's table
    start_link_actor(settings)
    return generated


def start_center(settings: Settings, route_prefix: str = "/", app_name: str | None = None) -> StartedCenter:
    """Run on the driver, after ray.init(). Blocks until the center accepts traffic."""
    generated = prepare_center(settings)
    serve.start(http_options={"host": settings.host, "port": settings.port})
    serve.run(gateway_app(settings), name=app_name or settings.instance, route_prefix=route_prefix)
    return StartedCenter(settings, generated, route_prefix)


def build_app(args: dict[str, str]):
    """Application builder for `serve run config/serve_config.yaml` (and `serve deploy`).

    Serve calls it in a task on the cluster; `args` are KEFU_* settings that
    override the environment. Shards and the hub are detached actors, so they
    outlive that task. A generated admin password is written to a file only its
    owner can read; Ray's logs get the file's path, never the password."""
    import os

    os.environ.update({key: str(value) for key, value in (args or {}).items()})
    settings = Settings.from_env()
    generated = prepare_center(settings)
    if generated:
        path = keep_admin_password(settings, generated)
        log.warning("the generated admin password is in %s (readable by its owner only; "
                    "set KEFU_ADMIN_PASSWORD to choose one)", path)
    return gateway_app(settings)


def keep_admin_password(settings: Settings, password: str) -> Path:
    path = settings.data_dir / ADMIN_PASSWORD_FILE
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)  # from an earlier database in the same folder
    write_private(path, password + "\n")
    return path
