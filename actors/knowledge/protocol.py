"""What the knowledge base answers a question with, for the help center, the desk's
knowledge tab, the FAQ bot and agent assist: one interface, whatever the database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

Visibility = Literal["public", "internal"]


@dataclass(frozen=True)
class KnowledgeHit:
    """A published article that answers the question. `snippet_html` is escaped text with
    <mark> around the words found (never the article's markup); `confidence` in [0, 1]
    is how sure the search is that this article answers it (a bot answers above a
    threshold, see search.py); `score` only orders hits of one search."""

    article_id: str
    title: str
    category_id: int
    snippet_html: str
    score: float
    confidence: float
    body_text: str
    visibility: Visibility = "public"


class KnowledgeSearch(Protocol):
    async def search(self, center_id: str, text: str, *, visibility: Visibility,
                     category_id: int | None = None, limit: int = 5) -> list[KnowledgeHit]:
        """The best published articles for `text`, best first. `visibility` "public":
        public articles only (visitors, the bot); "internal": public and internal (staff)."""
        ...
