"""The center entity's protocol (value types only)."""

from __future__ import annotations

from dataclasses import dataclass

from actors.placement import EntityRef

KIND = "center"


def center_ref(center_id: str) -> EntityRef:
    return EntityRef(KIND, center_id)


@dataclass(frozen=True)
class GetRouting:
    """Answered with the center's CenterRouting (actors.routing.types)."""


@dataclass(frozen=True)
class GetSettings:
    """Answered with the center's CenterSettings."""


@dataclass(frozen=True)
class CenterSettings:
    """A center's settings besides routing, with their defaults (read and checked by
    actors/center/settings.py)."""

    # Conversations (queued, assigned or a left message) one visitor may have open
    # at once; a chat request beyond it answers with the newest open one.
    max_open_conversations_per_visitor: int = 1
    # Whether an invited collaborator takes one of their slots (under their cap) while
    # in the conversation; by default only the owner does.
    collaborators_take_slot: bool = False


@dataclass(frozen=True)
class Reload:
    """Settings changed in the database (a new skill group, new rules)."""
