"""Linked centers' status (级联): `GET /api/v1/admin/links`, for admins and supervisors.

Read from the link actor (federation/link_actor.py); a center without a links file
answers an empty list.
"""

from __future__ import annotations

import ray
from fastapi import APIRouter
from pydantic import BaseModel

from federation.client import link_actor_name
from serve.api.access import Caller, Runtime, require_role
from serve.api.error_responses import AUTHENTICATED, errors
from serve.errors import ApiError

router = APIRouter(prefix="/api/v1/admin/links", tags=["links"])


class Link(BaseModel):
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
    forwarded: int  # conversations it accepted from us
    declined: int  # offers it declined or left unanswered
    open_forwards: int  # conversations crossing this link now, either way


class Links(BaseModel):
    name: str | None  # this center's link name; null: no links configured
    links: list[Link]


@router.get("", response_model=Links, responses=errors(*AUTHENTICATED, 503))
async def links(rt: Runtime, who: Caller) -> Links:
    require_role(who, "admin", "supervisor")
    if rt.settings.links_file is None:
        return Links(name=None, links=[])
    try:
        actor = ray.get_actor(link_actor_name(rt.settings), namespace=rt.settings.namespace)
        name = await actor.ready.remote()
        status = await actor.status.remote()
    except (ValueError, ray.exceptions.RayActorError) as error:
        raise ApiError(503, "links_unavailable", f"the link actor is not running: {error}") from None
    return Links(name=name, links=[Link(**entry) for entry in status])
