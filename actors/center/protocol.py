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
class Reload:
    """Settings changed in the database (a new skill group, new rules)."""
