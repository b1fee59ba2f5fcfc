"""The search indexer's Ray actor: one per center, named, detached and restartable,
started with the shards (serve/bootstrap.py). Ray builds it again should it die; its
__init__ starts the work, so a restarted indexer resumes from its stored cursor
without anyone asking (as a shard and the link actor do)."""

from __future__ import annotations

import asyncio

import ray

from actors.indexer.tailer import IndexerStats, MessageIndexer
from actors.store.database import create_engine, sessionmaker
from config.settings import Settings


def indexer_name(settings: Settings) -> str:
    return settings.actor_name("indexer")


@ray.remote(num_cpus=0, max_restarts=-1, max_task_retries=0, max_concurrency=100)
class SearchIndexer:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._started = asyncio.get_running_loop().create_task(self._start())

    async def _start(self) -> None:
        # Its own small pool: one pass at a time, and the API's reads go elsewhere.
        self.engine = create_engine(self.settings.database_url, pool_size=2)
        self.indexer = MessageIndexer(sessionmaker(self.engine))
        await self.indexer.start()
        self._runner = asyncio.get_running_loop().create_task(self.indexer.run())

    async def ready(self) -> int:
        """The stored cursor it started from."""
        await self._started
        return self.indexer.started_from

    async def stats(self) -> IndexerStats:
        await self._started
        return self.indexer.stats()


def start_indexer(settings: Settings):
    """The center's indexer, started (or found) and running; waits for it to begin."""
    actor = SearchIndexer.options(name=indexer_name(settings), namespace=settings.namespace,
                                  get_if_exists=True, lifetime="detached").remote(settings)
    ray.get(actor.ready.remote())
    return actor
