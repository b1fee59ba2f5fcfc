"""What an upload is, judged by its bytes (magic numbers), never by its name or the
type the browser claims: a `.png` that is really HTML is HTML."""

from __future__ import annotations

import puremagic

SNIFF_BYTES = 8192
# Types a browser may show in the page (images, videos). Anything else is served as a
# download, whatever the center allows: SVG and HTML run scripts, PDFs have viewers.
SHOWN_INLINE = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "video/mp4",
                          "video/webm"})
IMAGES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
# The labels puremagic gives that name a type by another of its names.
_ALIASES = {"image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg", "application/x-pdf": "application/pdf"}


def sniff(head: bytes) -> str | None:
    """The MIME type of content starting with `head` (its first SNIFF_BYTES), or None
    when nothing is recognised (plain text, random bytes)."""
    if not head:
        return None
    try:
        matches = puremagic.magic_string(head[:SNIFF_BYTES])
    except (puremagic.PureError, ValueError):
        return None
    # The most confident match that names a MIME type (matches come sorted by confidence).
    for match in matches:
        if match.mime_type:
            return _ALIASES.get(match.mime_type, match.mime_type)
    return None


def shown_inline(content_type: str) -> bool:
    return content_type in SHOWN_INLINE
