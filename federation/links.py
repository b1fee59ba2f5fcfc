"""This center's links: one Peer per configured partner, the server they dial in to,
and a dialler for each one we dial. Hosted by the link actor (federation/link_actor.py);
runs in any asyncio loop, so tests drive two centers' links in one process too.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from federation.config import LinksConfig
from federation.peer import AdvertSource, LinkStatus, Peer
from federation.transport import dial_forever, start_server

log = logging.getLogger(__name__)


class Links:
    def __init__(self, config: LinksConfig, adverts: AdvertSource) -> None:
        self.config = config
        self.peers = {link.peer: Peer(config, link, adverts) for link in config.links}
        self._server = None
        self.strangers_refused = 0  # streams from certificates naming no configured peer
        self._dialers: list[asyncio.Task] = []

    async def start(self) -> "Links":
        if self.config.listen:
            self._server = await start_server(self.config, self.peers.get, self._stranger)
        for link in self.config.links:
            if link.address:
                self._dialers.append(asyncio.create_task(
                    dial_forever(self.config, self.peers[link.peer], link.address)))
        return self

    def _stranger(self) -> None:
        self.strangers_refused += 1

    def status(self) -> list[LinkStatus]:
        return [peer.snapshot() for peer in self.peers.values()]

    async def stop(self) -> None:
        for task in self._dialers:
            task.cancel()
        for task in self._dialers:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._server is not None:
            await self._server.stop(grace=0)
