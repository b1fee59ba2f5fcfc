"""What the FAQ bot says to a visitor's question, whoever composes it (DESIGN.md's
pluggable answer providers): the built-in one answers with a published public
article found by the knowledge search; an OpenAI-compatible endpoint may compose
an answer grounded in the articles the search found."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Choice:
    """A published public article the visitor may pick when the bot is unsure."""

    article_id: str
    title: str


@dataclass(frozen=True)
class BotAnswer:
    """`text` is the answer to post (plain text), None when the bot has no confident
    answer; then `choices` may hold the best matches to offer."""

    text: str | None
    confidence: float = 0.0
    article_id: str | None = None  # the article the answer comes from
    choices: tuple[Choice, ...] = ()
    provider: str = "builtin"  # which provider composed it ("builtin", "openai_compatible")

    @property
    def answered(self) -> bool:
        return self.text is not None


class AnswerProvider(Protocol):
    async def answer(self, center_id: str, question: str, threshold: float) -> BotAnswer:
        """The bot's answer to `question`: confident (`text`) when the best published public
        article's confidence is at least `threshold`, else the best matches as `choices`
        (possibly none). Never raises for a provider's failure: falls back to the search."""
        ...

    async def article(self, center_id: str, article_id: str) -> BotAnswer | None:
        """The answer a picked choice gives: the published public article's text
        (None when it is not, or no longer, published and public)."""
        ...
