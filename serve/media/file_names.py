"""File names as users gave them, made safe to keep and to send back.

A name is only ever shown (as text) and put in Content-Disposition, never used as a
path; still, path parts and control characters are dropped when it is stored, and
the header carries it the RFC 6266 way: an ASCII fallback in `filename` and the
real name percent-encoded in `filename*`, so no quote, semicolon or line break in
a name can change the header.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

MAX_NAME_CHARS = 255
_UNSAFE_ASCII = re.compile(r'[^A-Za-z0-9._ ()\[\]+-]')


def clean_name(name: str | None) -> str:
    """The name to store: the last path part, without control or format characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    kept = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip().strip(".")
    return kept[:MAX_NAME_CHARS] or "file"


def content_disposition(name: str, inline: bool) -> str:
    fallback = _UNSAFE_ASCII.sub("_", unicodedata.normalize("NFKD", name).encode("ascii", "ignore")
                                 .decode()).strip()
    stem, dot, suffix = fallback.rpartition(".")
    if not dot:
        stem, suffix = fallback, ""
    if not stem.strip("_. "):  # nothing readable left (a name in Chinese, say)
        fallback = "file" + (f".{suffix}" if dot and suffix else "")
    disposition = "inline" if inline else "attachment"
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
