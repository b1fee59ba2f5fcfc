"""Words of a message body for the full-text index of chat records (会话记录).

Chinese is written without spaces, so neither SQLite's FTS5 tokenizers nor
PostgreSQL's parser find its words: jieba cuts the text into words, and both
databases index the words joined by spaces. A document is cut in jieba's search
mode, which adds the shorter words inside a long one ("开发票" also yields
"发票"), so a query for a short word finds a message where jieba saw a longer
one; a query is cut in the precise mode, whose words a document of the same text
always holds. Latin words come out whole and are lowercased on both sides.

jieba builds its dictionary (about half a second) on first use: `load_dictionary`
does it once per process, in a thread, so no event loop stalls on it.
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
from dataclasses import dataclass

import jieba

jieba.setLogLevel(logging.WARNING)  # its "Building prefix dict" lines on every start
_loaded = threading.Event()
_loading = threading.Lock()
# Quoted parts of a query are phrases: "退货 怎么办", 'late delivery'.
_PHRASE = re.compile(r'"([^"]+)"|“([^”]+)”')


@dataclass(frozen=True)
class TextQuery:
    """What a searcher typed: every term must be in one message, and each phrase as
    written (case aside). Empty when it held no word at all (only punctuation)."""

    terms: tuple[str, ...]
    phrases: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.terms


def load_dictionary_now() -> None:
    """Blocking; a no-op after the first call in a process."""
    if _loaded.is_set():
        return
    with _loading:
        if not _loaded.is_set():
            jieba.initialize()
            _loaded.set()


async def load_dictionary() -> None:
    if not _loaded.is_set():
        await asyncio.to_thread(load_dictionary_now)


def document_terms(text: str) -> str:
    """The words of a message body as the index keeps them: lowercased, space-separated."""
    load_dictionary_now()
    return " ".join(_words(jieba.cut_for_search(text)))


def documents_terms(texts: list[str]) -> list[str]:
    return [document_terms(text) for text in texts]


def parse_query(text: str) -> TextQuery:
    load_dictionary_now()
    phrases = tuple(p.strip() for match in _PHRASE.finditer(text) for p in match.groups() if p and p.strip())
    terms = _words(jieba.cut(_PHRASE.sub(lambda m: " " + (m.group(1) or m.group(2)) + " ", text)))
    return TextQuery(tuple(dict.fromkeys(terms)), tuple(dict.fromkeys(phrases)))


def _words(pieces) -> list[str]:
    # Punctuation and spaces are pieces too; a word has a letter or a digit. Control
    # characters go (PostgreSQL refuses a NUL in text).
    words = ("".join(c for c in piece if c.isprintable()).strip().lower() for piece in pieces)
    return [word for word in words if any(c.isalnum() for c in word)]
