"""The center's own settings: `/api/v1/admin/center` (admins change, supervisors read).

Routing switches (default group, sticky agent, selection policy) are tried on the
center's parser, and a selection policy must load, before anything is stored;
a change reaches the center and every queue at once. `limits` are the center
settings with defaults in code (a limit left out, or null, takes its default);
`invitations` is the proactive-invitation section (actors/center/settings.py),
`attachments` the upload limits (serve/media/limits.py), replaced as a whole.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from actors.browsing.protocol import Reload as ReloadBrowsing
from actors.browsing.protocol import browsing_ref
from actors.center.protocol import DEFAULT_INVITATION_TEXT
from actors.center.settings import parse_invitations
from actors.monitor.settings import parse_monitor_settings
from actors.store.centers import get_center, rename_center, set_center_routing, set_center_settings
from actors.store.schema import CenterRow
from serve.api.access import Caller, Runtime, require_role
from serve.api.error_responses import AUTHENTICATED, errors
from serve.api.monitor import reload_monitor
from serve.api.reloads import reload_all_queues, reload_center
from serve.api.routing_check import checked_routing, stored_routing
from serve.errors import ApiError
from serve.media.limits import MAX_BYTES_LIMIT, attachment_limits

router = APIRouter(prefix="/api/v1/admin/center", tags=["center settings"])
Policy = Annotated[str, Field(min_length=1, max_length=200,
                              examples=["least_loaded", "round_robin", "highest_level"])]


class CenterLimits(BaseModel):
    """Limits of the center; null: the default in code."""

    model_config = ConfigDict(extra="forbid")
    # Open conversations a visitor may hold at once (default 1).
    max_open_conversations_per_visitor: Annotated[int, Field(ge=1, le=100)] | None = None
    # Whether an invited collaborator takes one of their slots (default false).
    collaborators_take_slot: bool | None = None


class AutoInviteRule(BaseModel):
    """Invite on the center's behalf after `after_s` on a page whose URL matches
    `url_pattern` (shell-style: `*` any text, `?` one character); once per stay."""

    model_config = ConfigDict(extra="forbid")
    enabled: bool = False
    after_s: Annotated[float, Field(ge=0, le=86400)] = 30.0
    url_pattern: Annotated[str, Field(min_length=1, max_length=500)] = "*"
    text: Annotated[str, Field(max_length=500)] = DEFAULT_INVITATION_TEXT


class Invitations(BaseModel):
    """Proactive invitations (主动邀请): the center's switch, how long one stays open,
    the text of an agent's invitation that gives none, and the auto-invite rule."""

    model_config = ConfigDict(extra="forbid")
    enabled: bool = True
    ttl_s: Annotated[float, Field(ge=1, le=3600)] = 120.0
    text: Annotated[str, Field(max_length=500)] = DEFAULT_INVITATION_TEXT
    auto: AutoInviteRule = AutoInviteRule()
MediaType = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*$", max_length=100)]


class AttachmentSettings(BaseModel):
    """What visitors and agents may upload: the largest file in bytes, and the types
    allowed, as sniffed from the content (image/png, application/pdf, ...). SVG and
    HTML, if allowed, are only ever served as downloads."""

    model_config = ConfigDict(extra="forbid")
    max_bytes: Annotated[int, Field(ge=1, le=MAX_BYTES_LIMIT)]
    types: Annotated[list[MediaType], Field(max_length=100)]


Seconds = Annotated[float, Field(gt=0, le=86400)]


class MonitorTargets(BaseModel):
    """The live monitor's alert thresholds and SLA targets, in seconds (README "Live monitor")."""

    model_config = ConfigDict(extra="forbid")
    wait_alert_s: Seconds = 120.0  # a wait in a queue longer than this raises an alert
    no_answer_alert_s: Seconds = 180.0  # a visitor unanswered this long raises an alert
    answer_within_s: Seconds = 30.0  # service level: answered within this of the request
    first_response_within_s: Seconds = 60.0  # first agent reply within this of the assignment


class CenterSettings(BaseModel):
    center_id: str
    name: str
    default_skill_group: str | None
    sticky_agent: bool
    selection_policy: str
    limits: CenterLimits
    invitations: Invitations
    attachments: AttachmentSettings
    monitor: MonitorTargets


class CenterChange(BaseModel):
    """Only the fields given change."""

    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    default_skill_group: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    sticky_agent: bool | None = None
    selection_policy: Policy | None = None
    limits: CenterLimits | None = None
    # Replaces the whole section (fields left out take their defaults).
    invitations: Invitations | None = None
    attachments: AttachmentSettings | None = None
    monitor: MonitorTargets | None = None  # replaces the whole section


def _settings_out(row: CenterRow) -> CenterSettings:
    routing = row.routing or {}
    known = {key: value for key, value in (row.settings or {}).items() if key in CenterLimits.model_fields}
    return CenterSettings(center_id=row.id, name=row.name,
                          default_skill_group=routing.get("default_skill_group"),
                          sticky_agent=bool(routing.get("sticky_agent", True)),
                          selection_policy=routing.get("selection_policy") or "least_loaded",
                          limits=CenterLimits(**known),
                          invitations=_invitations_out((row.settings or {}).get("invitations")),
                          attachments=_attachments_out(row),
                          monitor=_monitor_out(row))


def _monitor_out(row: CenterRow) -> MonitorTargets:
    parsed = parse_monitor_settings(row.settings)
    return MonitorTargets(**{name: getattr(parsed, name) for name in MonitorTargets.model_fields})


def _attachments_out(row: CenterRow) -> AttachmentSettings:
    limits = attachment_limits(row.settings)
    return AttachmentSettings(max_bytes=limits.max_bytes, types=list(limits.types))


def _invitations_out(stored: Any) -> Invitations:
    try:
        parsed = parse_invitations(stored)
    except ValueError:
        parsed = parse_invitations(None)  # as the center itself falls back
    return Invitations(**{**asdict(parsed), "auto": AutoInviteRule(**asdict(parsed.auto))})


async def _center(rt: Runtime) -> CenterRow:
    row = await get_center(rt.db, rt.center_id)
    if row is None:
        raise ApiError(404, "not_found", f"no center {rt.center_id}")
    return row


@router.get("", response_model=CenterSettings, responses=errors(*AUTHENTICATED))
async def center_settings(rt: Runtime, who: Caller) -> CenterSettings:
    require_role(who, "admin", "supervisor")
    return _settings_out(await _center(rt))


@router.patch("", response_model=CenterSettings, responses=errors(*AUTHENTICATED))
async def change_center(body: CenterChange, rt: Runtime, who: Caller) -> CenterSettings:
    require_role(who, "admin")
    row = await _center(rt)
    routing_changes = body.model_dump(include={"default_skill_group", "sticky_agent", "selection_policy"},
                                      exclude_none=True)
    if routing_changes:
        checked_routing({**await stored_routing(rt), **routing_changes})
        await set_center_routing(rt.db, rt.center_id, {**(row.routing or {}), **routing_changes})
    if any(section is not None for section in (body.limits, body.invitations, body.attachments, body.monitor)):
        stored: dict[str, Any] = {**(row.settings or {})}
        if body.limits is not None:
            stored.update(body.limits.model_dump(exclude_unset=True))
        if body.invitations is not None:
            stored["invitations"] = body.invitations.model_dump()
        if body.attachments is not None:
            stored["attachments"] = body.attachments.model_dump()
        if body.monitor is not None:
            stored["monitor"] = body.monitor.model_dump()
        await set_center_settings(rt.db, rt.center_id,
                                  {k: v for k, v in stored.items() if v is not None} or None)
    if body.name is not None:
        await rename_center(rt.db, rt.center_id, body.name)
    await reload_center(rt)
    if body.invitations is not None:
        rt.tell(browsing_ref(rt.center_id), ReloadBrowsing())
    if body.monitor is not None:
        await reload_monitor(rt)
    if "selection_policy" in routing_changes:
        await reload_all_queues(rt)
    return _settings_out(await _center(rt))
