"""Linked centers (级联): `GET /api/v1/admin/links` (status, for admins and supervisors)
and `PUT /api/v1/admin/links/{peer}/isolation` (the isolate switch, admins).

Read from the link actor (federation/link_actor.py); a center without a links file
answers an empty list.
"""

from __future__ import annotations

import asyncio

import ray
from fastapi import APIRouter
from pydantic import BaseModel

from federation.client import link_actor_name
from serve.api.access import Caller, Runtime, require_role
from serve.api.error_responses import AUTHENTICATED, errors
from serve.errors import ApiError

router = APIRouter(prefix="/api/v1/admin/links", tags=["links"])


class Link(BaseModel):
    """federation/peer.py's LinkStatus, and the link actor's counts."""

    peer: str
    role: str
    up: bool
    since: float | None  # epoch s of the last change of `up`
    rtt_ms: float | None
    last_heard: float | None
    peer_epoch: int
    advert_age_s: dict[str, float]  # business -> age of the peer's usable advert
    streams: int
    refused: int
    isolated: bool  # by this center's admin: no new offers either way
    isolated_by_peer: bool
    forwarded: int  # conversations it accepted from us
    declined: int  # offers it declined or left unanswered
    open_forwards: int  # conversations crossing this link now, either way


class Links(BaseModel):
    name: str | None  # this center's link name; null: no links configured
    links: list[Link]
    strangers_refused: int = 0  # streams from certificates of our CA naming no configured peer


class Isolation(BaseModel):
    isolated: bool


async def _actor(rt):
    try:
        # A blocking call to Ray's GCS: on a thread, off the replica's event loop.
        return await asyncio.to_thread(ray.get_actor, link_actor_name(rt.settings),
                                       namespace=rt.settings.namespace)
    except ValueError as error:
        raise ApiError(503, "links_unavailable", f"the link actor is not running: {error}") from None


@router.get("", response_model=Links, responses=errors(*AUTHENTICATED, 503))
async def links(rt: Runtime, who: Caller) -> Links:
    require_role(who, "admin", "supervisor")
    if rt.settings.links_file is None:
        return Links(name=None, links=[])
    try:
        return Links(**await (await _actor(rt)).report.remote())
    except ray.exceptions.RayActorError as error:
        raise ApiError(503, "links_unavailable", f"the link actor is not running: {error}") from None


@router.put("/{peer}/isolation", response_model=Link, responses=errors(*AUTHENTICATED, 404, 503))
async def isolate(peer: str, body: Isolation, rt: Runtime, who: Caller) -> Link:
    """The isolate switch (隔离): while on, no new conversations cross this link either
    way (the peer is told, and stops offering); those crossing it already carry on."""
    require_role(who, "admin")
    if rt.settings.links_file is None:
        raise ApiError(404, "not_found", "this center has no links")
    try:
        actor = await _actor(rt)
        if not await actor.isolate.remote(peer, body.isolated, who.id):
            raise ApiError(404, "not_found", f"no link to {peer!r}")
        report = await actor.report.remote()
    except ray.exceptions.RayActorError as error:
        raise ApiError(503, "links_unavailable", f"the link actor is not running: {error}") from None
    return Link(**next(link for link in report["links"] if link["peer"] == peer))
