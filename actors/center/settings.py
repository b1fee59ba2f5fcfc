"""A center's settings besides routing: limits and switches (centers.settings, JSON).

Stored as a JSON object; a missing object or key means the default written here,
so a center never needs a migration to gain a setting. A value that cannot be
used is refused by `parse_center_settings` (the admin API stores nothing it
refuses); the center entity falls back to the defaults rather than stop.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from actors.bot.provider_settings import parse_answer_provider
from actors.center.protocol import AutoInvite, CenterSettings, InvitationSettings

MAX_OPEN_CONVERSATIONS_LIMIT = 100


def parse_center_settings(data: dict[str, Any] | None) -> CenterSettings:
    """The settings in `data`, defaults for what it does not name. Keys this module
    does not know are left to the code that does; a bad value raises ValueError."""
    if data is None:
        return CenterSettings()
    if not isinstance(data, dict):
        raise ValueError("center settings must be a JSON object")
    known = {f.name for f in fields(CenterSettings)}
    values = {key: value for key, value in data.items() if key in known}
    limit = values.get("max_open_conversations_per_visitor", 1)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_OPEN_CONVERSATIONS_LIMIT:
        raise ValueError("max_open_conversations_per_visitor must be a whole number from 1 to "
                         f"{MAX_OPEN_CONVERSATIONS_LIMIT}")
    if not isinstance(values.get("collaborators_take_slot", False), bool):
        raise ValueError("collaborators_take_slot must be true or false")
    values["invitations"] = parse_invitations(values.get("invitations"))
    values["answer_provider"] = parse_answer_provider(values.get("answer_provider"))
    return CenterSettings(**values)


MAX_TEXT_CHARS = 500
MAX_PATTERN_CHARS = 500


def _number(data: dict[str, Any], key: str, default: float, low: float, high: float, where: str) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise ValueError(f"{where}.{key} must be a number of seconds from {low:g} to {high:g}")
    return float(value)


def _text(data: dict[str, Any], key: str, default: str, limit: int, where: str,
          may_be_empty: bool = False) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or len(value) > limit or not (value.strip() or (may_be_empty and not value)):
        raise ValueError(f"{where}.{key} must be text of {0 if may_be_empty else 1} to {limit} characters")
    return value


def _switch(data: dict[str, Any], key: str, default: bool, where: str) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise ValueError(f"{where}.{key} must be true or false")
    return value


def parse_invitations(data: Any) -> InvitationSettings:
    """The `invitations` section: {enabled, ttl_s, text, auto: {enabled, after_s, url_pattern, text}}."""
    if data is None:
        return InvitationSettings()
    if not isinstance(data, dict) or not isinstance(data.get("auto", {}), dict):
        raise ValueError("invitations must be a JSON object (and invitations.auto too)")
    auto = data.get("auto") or {}
    defaults, auto_defaults = InvitationSettings(), AutoInvite()
    return InvitationSettings(
        enabled=_switch(data, "enabled", defaults.enabled, "invitations"),
        ttl_s=_number(data, "ttl_s", defaults.ttl_s, 1, 3600, "invitations"),
        text=_text(data, "text", defaults.text, MAX_TEXT_CHARS, "invitations", may_be_empty=True),
        auto=AutoInvite(
            enabled=_switch(auto, "enabled", auto_defaults.enabled, "invitations.auto"),
            after_s=_number(auto, "after_s", auto_defaults.after_s, 0, 86400, "invitations.auto"),
            url_pattern=_text(auto, "url_pattern", auto_defaults.url_pattern, MAX_PATTERN_CHARS,
                              "invitations.auto"),
            text=_text(auto, "text", auto_defaults.text, MAX_TEXT_CHARS, "invitations.auto", may_be_empty=True)))
