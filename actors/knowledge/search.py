"""KnowledgeSearch over the index of published articles (index_sql.py), on either database.

A question is cut into words (segmenter.py); each word stands for a group of
alternatives: itself, the shorter words inside it (jieba's search mode, as documents
are cut: "开发票" also looks for "发票"), and the center dictionary's synonyms of it
(a term and its synonyms are one group, whichever of them was asked). An article's
own synonyms are indexed with its keywords, so a question using one finds it too.
The database ranks the articles holding any alternative (title and questions weigh
most, then keywords, then body); the best few are re-ranked by the share of the
question's groups they hold, which is also the base of the confidence:

    confidence = coverage * (0.7 + 0.3 * margin)   for the best hit,
    confidence = coverage * 0.7 * score / best     for the others,

with margin = (best - second) / best: a clear winner that holds every word of the
question is near 1, a hit holding half the words or tied with another is near or
under 0.5. A bot answers by itself above about 0.6.
"""

from __future__ import annotations

import asyncio
import html
import time
from dataclasses import dataclass

import jieba
from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.knowledge import index_sql
from actors.knowledge.protocol import KnowledgeHit, Visibility
from actors.knowledge.segmenter import add_terms, query_words
from actors.store import knowledge_dictionary
from actors.store.search_snippet import cut_snippet, marked
from actors.store.text_segmentation import TextQuery

MAX_QUERY_CHARS = 500
DICTIONARY_TTL_S = 30.0  # another process's dictionary change is seen within this
RERANK_POOL = 20


@dataclass(frozen=True)
class _Dictionary:
    read_at: float
    synonyms: dict[str, frozenset[str]]  # each term and synonym: its whole group


class SqlKnowledgeSearch:
    def __init__(self, db: async_sessionmaker) -> None:
        self._db = db
        self._dictionaries: dict[str, _Dictionary] = {}

    def forget_dictionary(self, center_id: str) -> None:
        """After this process changed the dictionary: read it again on the next search."""
        self._dictionaries.pop(center_id, None)

    async def search(self, center_id: str, text: str, *, visibility: Visibility,
                     category_id: int | None = None, limit: int = 5) -> list[KnowledgeHit]:
        dictionary = await self._dictionary(center_id)
        groups = await asyncio.to_thread(_groups, text[:MAX_QUERY_CHARS], dictionary.synonyms)
        if not groups:
            return []
        alternatives = list(dict.fromkeys(word for group in groups for word in group))
        visibilities = ("public",) if visibility == "public" else ("public", "internal")
        async with self._db() as session:
            found = await index_sql.candidates(session, center_id, alternatives, visibilities, category_id,
                                               max(RERANK_POOL, limit + 1))
        return _ranked(found, groups, alternatives, limit)

    async def _dictionary(self, center_id: str) -> _Dictionary:
        cached = self._dictionaries.get(center_id)
        if cached is not None and time.monotonic() - cached.read_at < DICTIONARY_TTL_S:
            return cached
        entries = await knowledge_dictionary.list_entries(self._db, center_id)
        synonyms: dict[str, frozenset[str]] = {}
        for entry in entries:
            group = frozenset(w.lower() for w in (entry.term, *entry.synonyms) if w)
            for word in group:
                synonyms[word] = synonyms.get(word, frozenset()) | group
        await asyncio.to_thread(add_terms, [w for e in entries for w in (e.term, *e.synonyms)])
        fresh = _Dictionary(time.monotonic(), synonyms)
        self._dictionaries[center_id] = fresh
        return fresh


def _groups(text: str, synonyms: dict[str, frozenset[str]]) -> list[tuple[str, ...]]:
    groups = []
    for word in query_words(text):
        alternatives = [word]
        alternatives += [w.lower() for w in jieba.cut_for_search(word) if len(w) > 1 and w.lower() != word]
        for alternative in list(alternatives):
            alternatives += sorted(synonyms.get(alternative, ()))
        groups.append(tuple(dict.fromkeys(alternatives)))
    return groups


def _ranked(found: list[index_sql.Candidate], groups: list[tuple[str, ...]], alternatives: list[str],
            limit: int) -> list[KnowledgeHit]:
    if not found:
        return []
    covered = {c.article_id: sum(any(w in c.words for w in group) for group in groups) / len(groups)
               for c in found}
    scored = sorted(found, key=lambda c: (-c.score * (0.25 + covered[c.article_id]), c.article_id))
    adjusted = [c.score * (0.25 + covered[c.article_id]) for c in scored]
    best = adjusted[0] if adjusted[0] > 0 else 1.0
    margin = (adjusted[0] - adjusted[1]) / best if len(adjusted) > 1 else 1.0
    words = TextQuery(tuple(alternatives))
    hits = []
    for rank, candidate in enumerate(scored[:limit]):
        coverage = covered[candidate.article_id]
        confidence = (coverage * (0.7 + 0.3 * margin) if rank == 0
                      else coverage * 0.7 * adjusted[rank] / best)
        hits.append(KnowledgeHit(candidate.article_id, candidate.title, candidate.category_id,
                                 snippet_html(candidate.body_text, words), round(adjusted[rank], 6),
                                 round(min(1.0, max(0.0, confidence)), 3), candidate.body_text,
                                 candidate.visibility))
    return hits


def snippet_html(body_text: str, words: TextQuery) -> str:
    """The body's text around the first word found, escaped, the words in <mark>."""
    pieces = marked(cut_snippet(body_text, words), words)
    return "".join(f"<mark>{html.escape(text)}</mark>" if found else html.escape(text)
                   for text, found in pieces)
