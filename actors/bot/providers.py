"""The answer provider a center's settings name (actors/bot/provider_settings.py):
what the conversation's bot and the admin's "try a question" call use."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.bot.answers import AnswerProvider
from actors.bot.builtin_provider import BuiltinProvider
from actors.bot.openai_provider import OpenAICompatibleProvider
from actors.bot.provider_settings import AnswerProviderSettings
from actors.knowledge.protocol import KnowledgeSearch


def provider_for(settings: AnswerProviderSettings, search: KnowledgeSearch,
                 db: async_sessionmaker) -> AnswerProvider:
    builtin = BuiltinProvider(search, db)
    if settings.kind == "openai_compatible":
        return OpenAICompatibleProvider(settings, builtin)
    return builtin
