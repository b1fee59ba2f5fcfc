"""A center's settings besides routing: limits and switches (centers.settings, JSON).

Stored as a JSON object; a missing object or key means the default written here,
so a center never needs a migration to gain a setting. A value that cannot be
used is refused by `parse_center_settings` (the admin API stores nothing it
refuses); the center entity falls back to the defaults rather than stop.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from actors.center.protocol import CenterSettings

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
    return CenterSettings(**values)
