"""How much of an article the bot posts: the whole published text when it is short,
else its beginning cut where a paragraph or sentence ends, so the visitor reads
whole sentences of the article and nothing the article does not say."""

from __future__ import annotations

import re

MAX_ANSWER_CHARS = 1200
# Below this share of the limit, an earlier paragraph end is too early a cut: a
# sentence end nearer the limit keeps more of the answer.
MIN_PARAGRAPH_SHARE = 0.5
# Latin sentences end at . ! ? before a space; Chinese ones at 。！？；, spaces or not.
_SENTENCE_END = re.compile(r"(?:[.!?](?=\s)|[。！？；…])")
_ELLIPSIS = "…"


def trimmed(text: str, limit: int = MAX_ANSWER_CHARS) -> str:
    """`text` when it fits in `limit` characters; else its longest beginning that ends a
    paragraph (past half the limit), else a sentence, else a word, followed by "…"."""
    text = text.strip()
    if len(text) <= limit:
        return text
    room = limit - len(_ELLIPSIS)
    head = text[:room + 1]  # one more: a cut exactly at the limit may end a paragraph
    paragraph = head.rfind("\n")
    if paragraph >= room * MIN_PARAGRAPH_SHARE:
        return text[:paragraph].rstrip() + "\n" + _ELLIPSIS
    ends = [match.end() for match in _SENTENCE_END.finditer(head) if match.end() <= room]
    if ends and ends[-1] >= room * MIN_PARAGRAPH_SHARE:
        sentence = text[:ends[-1]].rstrip()
        return sentence + (" " if sentence[-1].isascii() else "") + _ELLIPSIS
    space = head.rfind(" ", 0, room)
    cut = space if space >= room * MIN_PARAGRAPH_SHARE else room
    return text[:cut].rstrip() + _ELLIPSIS
