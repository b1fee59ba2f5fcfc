"""What one gateway replica holds: database, bus fan-out and the entity directory."""

from __future__ import annotations

import asyncio
from typing import Any

from actors.bus.factory import connect_bus
from actors.knowledge.search import SqlKnowledgeSearch
from actors.placement import EntityRef
from actors.runtime.directory import Directory
from actors.runtime.replies import Rejected
from actors.runtime.shard import shard_names
from actors.store.batched_reads import BatchedLookup
from actors.store.conversations import fetch_requesters
from actors.store.visitor_arrival import fetch_arrivals
from actors.store.database import create_engine, sessionmaker
from config.settings import Settings
from serve.account_check import AccountCheck
from serve.fanout import Fanout
from serve.frame_rate import FrameBudgets
from serve.media.blob_store import BlobStore, FolderBlobStore
from serve.media.links import AttachmentLinks
from serve.media.sweeper import UnsentSweeper
from serve.region import RegionLookup
from serve.throttle import Lockout, RateLimit
from serve.visitor_presence import VisitorPresence


class Throttles:
    """The replica's throttles on what anyone may call (serve/throttle.py)."""

    def __init__(self, settings: Settings) -> None:
        keys = settings.throttle_max_keys
        self.visitors_per_ip = RateLimit(settings.visitors_per_ip_per_min, keys)
        self.logins_per_ip = RateLimit(settings.logins_per_ip_per_min, keys)
        self.login_failures = Lockout(settings.login_max_failures, settings.login_lockout_s, keys)
        # Per visitor or staff member (not per address: a whole office shares one).
        self.uploads = RateLimit(settings.uploads_per_min, keys)
        # The public help center's search: each one ranks articles, and no token is needed.
        self.help_searches_per_ip = RateLimit(settings.help_searches_per_ip_per_min, keys)


class GatewayRuntime:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.center_id = settings.center_id
        self._lock = asyncio.Lock()
        self.started = False

    async def start(self) -> "GatewayRuntime":
        if self.started:
            return self
        async with self._lock:
            if not self.started:
                self.engine = create_engine(self.settings.database_url, pool_size=10)
                self.db = sessionmaker(self.engine)
                # Every chat request reads its visitor: batched (actors/store/batched_reads.py).
                self.requesters = BatchedLookup(self.engine, fetch_requesters)
                # And every visitor socket what it shows on arrival (a surge of sockets shares a query).
                self.arrivals = BatchedLookup(self.engine, fetch_arrivals)
                self.directory = Directory(shard_names(self.settings), self.settings.namespace)
                self.bus = await connect_bus(self.settings.redis_url, self.settings.actor_name("hub"),
                                             namespace=self.settings.namespace)
                self.fanout = Fanout(self.bus)
                await self.fanout.start()
                self.regions = RegionLookup(self.settings.trusted_proxies)
                self.accounts = AccountCheck(self.db, self.settings.account_cache_s)
                self.throttles = Throttles(self.settings)
                # Attachments (serve/media/): their bytes, and the signed links to them.
                self.blobs: BlobStore = FolderBlobStore(self.settings.data_dir / "attachments")
                self.links = AttachmentLinks(self.settings.token_secret, self.settings.attachment_url_ttl_s)
                self.unsent = UnsentSweeper(self)  # started by the replica's first upload
                # One frame budget per principal, shared by their sockets on this replica.
                self.frame_budgets = FrameBudgets(self.settings.visitor_frame_rate,
                                                  self.settings.staff_frame_rate,
                                                  self.settings.max_connections)
                # This replica's visitor sockets, reported to the browsing entity.
                self.presence = VisitorPresence(self)
                # The knowledge base's search (actors/knowledge/): help center, desk, bot.
                self.knowledge = SqlKnowledgeSearch(self.db)
                self.started = True
        return self

    async def ask(self, ref: EntityRef, command: Any) -> Any:
        return await self.directory.ask(ref, command)

    def tell(self, ref: EntityRef, command: Any) -> None:
        self.directory.tell(ref, command)


# The replica's runtime. Serve hands the replica a deserialized copy of the FastAPI
# app, so state set on the module's `app` object would not be seen by requests;
# route handlers are pickled by reference, so this module global is shared.
_current: GatewayRuntime | None = None


def install(runtime: GatewayRuntime) -> None:
    global _current
    _current = runtime


async def current() -> GatewayRuntime:
    if _current is None:
        raise RuntimeError("no gateway runtime installed in this process")
    return await _current.start()


def rejected_status(reply: Rejected) -> int:
    return {"forbidden": 403, "not_found": 404, "unknown_center": 404}.get(reply.code, 409)
