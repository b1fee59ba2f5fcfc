"""The link actor: this center's links, hosted in a named, restartable Ray actor
(Ray Serve's gRPC ingress has no bidirectional streams and no TLS; DESIGN.md
decision 8). Started by the center when `KEFU_LINKS_FILE` is set; Ray builds it
again should it die, and it dials and listens again on its own.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from typing import Any

import ray

from actors.bus.factory import connect_bus
from actors.routing.capacity import Capacity
from actors.runtime.directory import Directory
from actors.runtime.shard import shard_names
from actors.skill_group.protocol import GetCapacity, queue_ref
from actors.store.database import create_engine, sessionmaker
from actors.store.link_switches import isolated_peers, set_isolated
from config.settings import Settings
from federation.client import link_actor_name
from federation.config import load_links
from federation.forwarding import Forwarding
from federation.links import Links
from federation.messages import OfferRequest, OfferResult
from federation.offers import Offers
from serve.media.blob_store import FolderBlobStore

log = logging.getLogger(__name__)


@ray.remote(num_cpus=0, max_restarts=-1, max_task_retries=0, max_concurrency=10_000)
class LinkActor:
    def __init__(self, settings: Settings) -> None:
        # Links going up and down, offers declined, take-backs: worth a line in the log.
        logging.basicConfig(level=logging.INFO)
        logging.getLogger("federation").setLevel(logging.INFO)
        self.settings = settings
        self.directory = Directory(shard_names(settings), settings.namespace)
        self.links: Links | None = None
        # As a shard does: an async actor's __init__ runs on its loop, so a restarted
        # actor links up again without anyone asking.
        self._started = asyncio.get_running_loop().create_task(self._start())

    async def _start(self) -> None:
        settings = self.settings
        config = load_links(settings.links_file)
        self.engine = create_engine(settings.database_url, pool_size=4)
        bus = await connect_bus(settings.redis_url, settings.actor_name("hub"), namespace=settings.namespace)
        links = Links(config, self._capacity)
        self.db = sessionmaker(self.engine)
        for peer in await isolated_peers(self.db):
            if peer in links.peers:
                links.peers[peer].isolating = True
        # The same folder the gateway keeps uploads in (serve/runtime.py).
        blobs = FolderBlobStore(settings.data_dir / "attachments")
        self.forwarding = Forwarding(settings.center_id, config.name, links.peers, self.directory, bus, self.db,
                                     blobs)
        self.offers = Offers(config, self.forwarding)
        await self.forwarding.start(config.take_back_after_s)
        self.links = await links.start()

    async def _capacity(self, business: str) -> Capacity | None:
        reply = await self.directory.ask(queue_ref(self.settings.center_id, business), GetCapacity())
        return reply if isinstance(reply, Capacity) else None  # no such group here: nothing to say

    async def ready(self) -> str:
        await self._started
        return self.links.config.name

    async def report(self) -> dict[str, Any]:
        """This center's link name and each link's state (serve/api/links.py's shape)."""
        await self._started
        links = []
        for status in self.links.status():
            entry = dataclasses.asdict(status)
            entry["forwarded"] = self.forwarding.forwarded_count.get(status.peer, 0)
            entry["declined"] = self.forwarding.declined.get(status.peer, 0)
            entry["open_forwards"] = sum(1 for e in self.forwarding.open.values() if e.forward.peer == status.peer)
            links.append(entry)
        return {"name": self.links.config.name, "links": links, "strangers_refused": self.links.strangers_refused}

    async def isolate(self, peer: str, isolated: bool, by: str | None) -> bool:
        """An admin's switch: no new offers either way with `peer` (kept); False: no such link."""
        await self._started
        link = self.links.peers.get(peer)
        if link is None:
            return False
        await set_isolated(self.db, peer, isolated, by)
        link.isolate(isolated)
        log.info("link %s %s by %s", peer, "isolated" if isolated else "no longer isolated", by)
        return True

    async def offer(self, request: OfferRequest) -> OfferResult:
        """A conversation of ours to offer to a linked center (federation/offers.py)."""
        await self._started
        return await self.offers.make(request)


def start_link_actor(settings: Settings):
    """The center's link actor (None when it has no links file); waits for it to listen."""
    if settings.links_file is None:
        return None
    actor = LinkActor.options(name=link_actor_name(settings), namespace=settings.namespace,
                              get_if_exists=True, lifetime="detached").remote(settings)
    name = ray.get(actor.ready.remote())
    log.info("links of %s started", name)
    return actor
