"""An OpenAI-compatible chat endpoint composing the bot's answer, grounded in the
articles the built-in search finds: the model may only restate them, briefly and in
the visitor's language, and says NO_ANSWER when they do not answer the question.

It never makes the bot worse than the search alone: no relevant article means no
call at all, and a refusal, an empty reply or any failure of the endpoint (timeout,
connection, status, shape) gives the built-in provider's answer instead.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx

from actors.bot.answers import BotAnswer
from actors.bot.builtin_provider import BuiltinProvider, answer_from_hits
from actors.bot.provider_settings import AnswerProviderSettings
from actors.bot.trimming import trimmed
from actors.knowledge.protocol import KnowledgeHit

log = logging.getLogger(__name__)

PROVIDER = "openai_compatible"
NO_ANSWER = "NO_ANSWER"
GROUNDING_HITS = 3
MAX_ARTICLE_CHARS = 3000  # per article in the prompt: enough to answer, bounded cost
TEMPERATURE = 0.2
SYSTEM_PROMPT = (
    "You are the customer-service assistant of a company. Answer the visitor's question ONLY from "
    "the knowledge-base articles below; never add facts, prices, links or promises they do not state. "
    "Reply in the visitor's language, briefly (a few sentences), as plain text. If the articles do not "
    f"answer the question, reply exactly {NO_ANSWER} and nothing else.\n\n")


def grounding_prompt(hits: list[KnowledgeHit]) -> str:
    articles = "\n\n".join(f"Article {number}: {hit.title}\n{hit.body_text[:MAX_ARTICLE_CHARS]}"
                           for number, hit in enumerate(hits, start=1))
    return SYSTEM_PROMPT + articles


def completion_text(body: Any) -> str:
    """`choices[0].message.content` of a chat completion; ValueError for another shape."""
    try:
        content = body["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError) as error:
        raise ValueError(f"not a chat completion: {error!r}") from None
    if content is not None and not isinstance(content, str):
        raise ValueError("the completion's content is not text")
    return (content or "").strip()


class OpenAICompatibleProvider:
    def __init__(self, settings: AnswerProviderSettings, builtin: BuiltinProvider) -> None:
        self._settings = settings
        self._builtin = builtin

    async def answer(self, center_id: str, question: str, threshold: float) -> BotAnswer:
        answer, _ = await self.answer_and_failure(center_id, question, threshold)
        return answer

    async def answer_and_failure(self, center_id: str, question: str,
                                 threshold: float) -> tuple[BotAnswer, str | None]:
        """The answer, and why the endpoint gave none when it failed (for the admin's try)."""
        hits = await self._builtin.hits(center_id, question, GROUNDING_HITS)
        fallback = answer_from_hits(hits, threshold)
        # Half the threshold: the model may still find the answer in a hit the search is
        # unsure of, but one the search barely matched is not worth a call.
        if not hits or hits[0].confidence < threshold / 2:
            return fallback, None
        try:
            text = await self._complete(question, hits)
        except Exception as error:  # noqa: BLE001  any failure of the endpoint: the search still answers
            failure = f"{type(error).__name__}: {error}".rstrip(": ")
            log.warning("answer provider %s failed, answering from the search: %s", self._settings.base_url,
                        failure)
            return fallback, failure
        if not text or text.startswith(NO_ANSWER):
            return fallback, None
        return BotAnswer(text=trimmed(text), confidence=hits[0].confidence, article_id=hits[0].article_id,
                         provider=PROVIDER), None

    async def article(self, center_id: str, article_id: str) -> BotAnswer | None:
        # A picked article is posted as published: nothing to compose.
        return await self._builtin.article(center_id, article_id)

    async def _complete(self, question: str, hits: list[KnowledgeHit]) -> str:
        settings = self._settings
        headers = {"Authorization": f"Bearer {settings.api_key}"} if settings.api_key else {}
        payload = {"model": settings.model, "temperature": TEMPERATURE,
                   "messages": [{"role": "system", "content": grounding_prompt(hits)},
                                {"role": "user", "content": question}]}
        url = settings.base_url.rstrip("/") + "/chat/completions"
        async with httpx.AsyncClient(timeout=settings.timeout_s) as client:
            response = await client.post(url, json=payload, headers=headers)
            response.raise_for_status()
            return completion_text(response.json())
