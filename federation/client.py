"""The shards' side of the link actor: which businesses may leave this center, and
asking the link actor to offer a conversation. A center without links forwards
nothing and never calls the actor (a chat request costs nothing more)."""

from __future__ import annotations

import asyncio

import logging

import ray

from config.settings import Settings
from federation.config import load_links
from federation.messages import OfferRequest, OfferResult

log = logging.getLogger(__name__)

ACTOR = "links"


def link_actor_name(settings: Settings) -> str:
    return settings.actor_name(ACTOR)


class LinkClient:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.businesses: frozenset[str] = frozenset()
        if settings.links_file is not None:
            config = load_links(settings.links_file)
            self.businesses = frozenset(rule.business for link in config.links for rule in link.forward_rules())
        self._actor = None

    def forwards(self, business: str | None) -> bool:
        return business in self.businesses

    async def offer(self, request: OfferRequest) -> OfferResult:
        try:
            if self._actor is None:
                self._actor = await asyncio.to_thread(ray.get_actor, link_actor_name(self.settings),
                                                     namespace=self.settings.namespace)
            return await self._actor.offer.remote(request)
        except Exception as error:  # noqa: BLE001 - the link actor is restarting: serve it here
            self._actor = None
            log.warning("offer of %s not made: %r", request.conversation_id, error)
            return OfferResult(None, reason="links_unavailable")
