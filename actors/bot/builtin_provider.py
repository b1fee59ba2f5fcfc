"""The built-in answer provider: the knowledge search alone, over published public
articles. A confident best hit is the answer (its published text, trimmed); an
unsure search offers its best few hits as choices; nothing found is no answer."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.bot.answers import BotAnswer, Choice
from actors.bot.trimming import trimmed
from actors.knowledge.protocol import KnowledgeHit, KnowledgeSearch
from actors.knowledge.rich_text import text_of
from actors.store import knowledge_articles

MAX_CHOICES = 3
PROVIDER = "builtin"


def answer_from_hits(hits: list[KnowledgeHit], threshold: float) -> BotAnswer:
    """What the search's hits (best first) answer: pure, so the rule is tested alone."""
    if not hits:
        return BotAnswer(text=None, provider=PROVIDER)
    best = hits[0]
    if best.confidence >= threshold and best.body_text.strip():
        return BotAnswer(text=trimmed(best.body_text), confidence=best.confidence, article_id=best.article_id,
                         provider=PROVIDER)
    choices = tuple(Choice(article_id=hit.article_id, title=hit.title) for hit in hits[:MAX_CHOICES])
    return BotAnswer(text=None, confidence=best.confidence, choices=choices, provider=PROVIDER)


class BuiltinProvider:
    def __init__(self, search: KnowledgeSearch, db: async_sessionmaker) -> None:
        self._search = search
        self._db = db

    async def hits(self, center_id: str, question: str, limit: int = MAX_CHOICES) -> list[KnowledgeHit]:
        """The best published public articles for `question` (what a grounded provider reads too)."""
        if not question.strip():
            return []
        return await self._search.search(center_id, question, visibility="public", limit=limit)

    async def answer(self, center_id: str, question: str, threshold: float) -> BotAnswer:
        return answer_from_hits(await self.hits(center_id, question), threshold)

    async def article(self, center_id: str, article_id: str) -> BotAnswer | None:
        live = await knowledge_articles.published(self._db, center_id, article_id)
        if live is None or live.visibility != "public":
            return None
        text = trimmed(text_of(live.body_html))
        if not text:
            return None
        return BotAnswer(text=text, confidence=1.0, article_id=live.article_id, provider=PROVIDER)
