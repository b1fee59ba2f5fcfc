"""The snippet shown beside a chat record found by its words: the newest matching
message of the conversation, cut around the first word found in it."""

from __future__ import annotations

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.store.message_index import INDEX, matching_messages
from actors.store.schema import MessageRow
from actors.store.text_segmentation import TextQuery

# Characters of a snippet at most, and how many of them come before the word found.
SNIPPET_CHARS = 120
LEAD_CHARS = 30


async def snippets(db: async_sessionmaker, conversation_ids: list[str], words: TextQuery,
                   public_only: bool) -> dict[str, str]:
    """Per conversation id (of those given) with a matching message, its snippet."""
    if not conversation_ids or words.empty:
        return {}
    found = matching_messages(db.kw["bind"].dialect.name, words, public_only).where(
        INDEX.c.conversation_id.in_(conversation_ids)).subquery()
    newest = (select(MessageRow.conversation_id, MessageRow.body,
                     func.row_number().over(partition_by=MessageRow.conversation_id,
                                            order_by=MessageRow.seq.desc()).label("rank"))
              .join(found, and_(found.c.conversation_id == MessageRow.conversation_id,
                                found.c.seq == MessageRow.seq))).subquery()
    async with db() as session:
        rows = (await session.execute(select(newest.c.conversation_id, newest.c.body)
                                      .where(newest.c.rank == 1))).all()
    return {row.conversation_id: cut_snippet(row.body, words) for row in rows}


def cut_snippet(body: str, words: TextQuery) -> str:
    """Around the earliest of the phrases and terms in `body` (case aside)."""
    text = " ".join(body.split())
    lowered = text.lower()
    places = [lowered.find(w) for w in (*words.phrases, *words.terms)]
    start = min((p for p in places if p >= 0), default=0)
    begin = max(0, start - LEAD_CHARS)
    piece = text[begin:begin + SNIPPET_CHARS]
    return ("…" if begin else "") + piece + ("…" if begin + SNIPPET_CHARS < len(text) else "")


def marked(snippet: str, words: TextQuery) -> list[tuple[str, bool]]:
    """The snippet as pieces, each (text, whether it is one of the words searched): what
    the records table highlights, built as text nodes (never markup) by the console.
    Overlapping finds merge; case aside, as the index matches."""
    # Per character, so the offsets stay those of `snippet` ("İ".lower() is two characters).
    lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in snippet)
    spans: list[tuple[int, int]] = []
    for word in {w.lower() for w in (*words.phrases, *words.terms) if w}:
        start = lowered.find(word)
        while start >= 0:
            spans.append((start, start + len(word)))
            start = lowered.find(word, start + len(word))
    pieces: list[tuple[str, bool]] = []
    at = 0
    for start, end in sorted(spans):
        if end <= at:
            continue
        start = max(start, at)
        if start > at:
            pieces.append((snippet[at:start], False))
        if pieces and pieces[-1][1] and start == at:  # touching the previous find: one mark
            pieces[-1] = (pieces[-1][0] + snippet[start:end], True)
        else:
            pieces.append((snippet[start:end], True))
        at = end
    if at < len(snippet):
        pieces.append((snippet[at:], False))
    return pieces
