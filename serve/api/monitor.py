"""The live monitor (实时监控): `GET /api/v1/monitor`, and the sensitive-word list
(`/api/v1/admin/sensitive-words`) its alerts look for.

The snapshot comes from the center's monitor actor (actors/monitor/actor.py); the
same shape is pushed as the `monitor` frame (serve/websocket-frames.md).
"""

from __future__ import annotations

from typing import Annotated

import ray
from fastapi import APIRouter
from pydantic import BaseModel, Field

from actors.monitor.actor import find_monitor
from actors.monitor.settings import MAX_SENSITIVE_WORDS, MAX_WORD_CHARS, clean_words, parse_monitor_settings
from actors.monitor.snapshot import MonitorSnapshot
from actors.store.centers import get_center, set_center_settings
from serve.api.access import Caller, Runtime, require_role
from serve.api.error_responses import AUTHENTICATED, errors
from serve.errors import ApiError
from serve.monitor_view import monitor_view

router = APIRouter(tags=["monitor"])


class MonitorOut(MonitorSnapshot):
    epoch: str  # changes when the monitor restarted (and reseeded from the event log)


Word = Annotated[str, Field(min_length=1, max_length=MAX_WORD_CHARS)]


class SensitiveWords(BaseModel):
    """Matched case-insensitively anywhere in a public message (Chinese too)."""

    words: Annotated[list[Word], Field(max_length=MAX_SENSITIVE_WORDS)]


async def _call(rt: Runtime, method: str, *args):
    try:
        return await getattr(await find_monitor(rt.settings), method).remote(*args)
    except (ValueError, ray.exceptions.RayActorError) as failure:
        raise ApiError(503, "monitor_unavailable", f"the monitor is not running: {failure}") from None


async def reload_monitor(rt: Runtime) -> None:
    """Settings the monitor reads changed; it also rereads them every 30 s on its own."""
    await _call(rt, "reload")


@router.get("/api/v1/monitor", response_model=MonitorOut, responses=errors(*AUTHENTICATED, 503))
async def monitor(rt: Runtime, who: Caller) -> MonitorOut:
    """Today's figures (UTC day), live agents and queues, trend, heatmap and alerts; a
    supervisor of departments gets their departments' part (serve/monitor_view.py)."""
    require_role(who, "admin", "supervisor")
    return MonitorOut(**await monitor_view(rt, who, await _call(rt, "snapshot")))


@router.get("/api/v1/admin/sensitive-words", response_model=SensitiveWords, responses=errors(*AUTHENTICATED))
async def sensitive_words(rt: Runtime, who: Caller) -> SensitiveWords:
    require_role(who, "admin", "supervisor")
    row = await get_center(rt.db, rt.center_id)
    return SensitiveWords(words=list(parse_monitor_settings(row.settings if row else None).sensitive_words))


@router.put("/api/v1/admin/sensitive-words", response_model=SensitiveWords, responses=errors(*AUTHENTICATED))
async def replace_sensitive_words(body: SensitiveWords, rt: Runtime, who: Caller) -> SensitiveWords:
    """Replaces the whole list (trimmed; repeats, ignoring case, are kept once)."""
    require_role(who, "admin")
    row = await get_center(rt.db, rt.center_id)
    if row is None:
        raise ApiError(404, "not_found", f"no center {rt.center_id}")
    words = clean_words(body.words)
    await set_center_settings(rt.db, rt.center_id, {**(row.settings or {}), "sensitive_words": list(words)})
    await reload_monitor(rt)
    return SensitiveWords(words=list(words))
