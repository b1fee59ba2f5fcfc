"""Signed, expiring links to attachments, so `<img src>` works without a header.

A link names the attachment, the variant (the file or its thumbnail) and when it
expires, signed with HMAC-SHA256 under a key derived from the center's token secret:
whoever holds a link may fetch that one thing until then, and nobody can make a
link for anything else. Links are made whenever a message is rendered (frames,
resume, history), so an old frame's link expiring costs a re-read, never the file.
Expiry times are rounded up to the hour so the same message renders the same URL
for an hour and browsers can cache it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import time
from enum import Enum
from typing import Callable

ROUND_S = 3600


class Variant(str, Enum):
    FILE = "file"
    THUMBNAIL = "thumbnail"


class BadLink(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class AttachmentLinks:
    def __init__(self, secret: str, ttl_s: int, clock: Callable[[], float] = time.time) -> None:
        self._key = hmac.new(secret.encode(), b"kefu attachment links v1", hashlib.sha256).digest()
        self.ttl_s = ttl_s
        self.clock = clock

    def sign(self, attachment_id: str, variant: Variant) -> str:
        expires = math.ceil((self.clock() + self.ttl_s) / ROUND_S) * ROUND_S
        return f"{expires}.{self._mac(attachment_id, variant, expires)}"

    def url(self, attachment_id: str, variant: Variant = Variant.FILE) -> str:
        path = f"/api/v1/attachments/{attachment_id}"
        if variant is Variant.THUMBNAIL:
            path += "/thumbnail"
        return f"{path}?sig={self.sign(attachment_id, variant)}"

    def verify(self, attachment_id: str, variant: Variant, sig: str) -> int:
        """The expiry (epoch seconds) of a good signature; BadLink otherwise."""
        expires_text, _, mac = sig.partition(".")
        if not expires_text.isdigit() or len(expires_text) > 12 or not mac:
            raise BadLink("forbidden", "the link is not signed")
        expires = int(expires_text)
        if not hmac.compare_digest(mac, self._mac(attachment_id, variant, expires)):
            raise BadLink("forbidden", "the link's signature is wrong")
        if expires <= self.clock():
            raise BadLink("link_expired", "the link has expired; reload the conversation for a new one")
        return expires

    def _mac(self, attachment_id: str, variant: Variant, expires: int) -> str:
        signed = f"{attachment_id}\n{variant.value}\n{expires}".encode()
        digest = hmac.new(self._key, signed, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
