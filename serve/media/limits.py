"""The center's limits on attachments (center setting `attachments`): how large, and
which types, as sniffed from the content. Stored in the center's settings JSON; a
missing key means the default here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# An upload is held in memory while it is checked: this bounds what a center may allow.
MAX_BYTES_LIMIT = 50 * 1024 * 1024
DEFAULT_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp", "video/mp4", "video/webm",
                 "application/pdf")


@dataclass(frozen=True)
class AttachmentLimits:
    max_bytes: int = DEFAULT_MAX_BYTES
    types: tuple[str, ...] = DEFAULT_TYPES

    def allows(self, content_type: str | None) -> bool:
        return content_type is not None and content_type in self.types


def attachment_limits(center_settings: dict[str, Any] | None) -> AttachmentLimits:
    """The limits in a center's settings JSON; what is missing or unusable takes its default."""
    section = (center_settings or {}).get("attachments")
    if not isinstance(section, dict):
        return AttachmentLimits()
    max_bytes = section.get("max_bytes")
    types = section.get("types")
    return AttachmentLimits(
        max_bytes=max_bytes if isinstance(max_bytes, int) and 1 <= max_bytes <= MAX_BYTES_LIMIT
        else DEFAULT_MAX_BYTES,
        types=tuple(t for t in types if isinstance(t, str)) if isinstance(types, list) else DEFAULT_TYPES)
