"""Which answer provider the center's FAQ bot uses: `/api/v1/admin/answer-provider`
(admins only: it holds an endpoint's key). The key is never answered, only whether
one is set and its last four characters; a change that leaves the key out keeps the
stored one, so the console never needs to know it. `…/test` runs the stored provider
on a question, as a visitor's would be answered."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from actors.bot.openai_provider import OpenAICompatibleProvider
from actors.bot.provider_settings import AnswerProviderSettings, ProviderKind, parse_answer_provider
from actors.bot.providers import provider_for
from actors.bot.settings import BotSettings
from actors.knowledge.search import MAX_QUERY_CHARS
from actors.store.centers import get_center, set_center_section
from serve.api.access import Caller, Runtime, require_role
from serve.api.error_responses import AUTHENTICATED, errors
from serve.api.reloads import reload_center
from serve.errors import ApiError

router = APIRouter(prefix="/api/v1/admin/answer-provider", tags=["answer provider"])
SECTION = "answer_provider"


class AnswerProviderOut(BaseModel):
    kind: ProviderKind
    base_url: str  # POST {base_url}/chat/completions
    model: str
    timeout_s: float  # past it the bot answers from the search alone
    api_key_set: bool
    api_key_hint: str  # "…abcd" (a key of at least 8 characters), else ""


class AnswerProviderChange(BaseModel):
    """Replaces the settings; `api_key` left out (or null) keeps the stored key, "" clears it."""

    model_config = ConfigDict(extra="forbid")
    kind: ProviderKind
    base_url: str = ""
    model: str = ""
    api_key: str | None = None
    timeout_s: float = 8.0


class TryQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: Annotated[str, Field(min_length=1, max_length=MAX_QUERY_CHARS)]
    # How sure the search must be to answer outright (a skill group's bot threshold).
    threshold: Annotated[float, Field(ge=0, le=1)] = BotSettings().threshold


class ChoiceOut(BaseModel):
    article_id: str
    title: str


class TriedAnswer(BaseModel):
    provider: str  # who composed it: "builtin" also when the endpoint failed (see `error`)
    answered: bool
    text: str | None
    confidence: float
    article_id: str | None
    choices: list[ChoiceOut]
    error: str | None = None  # why the OpenAI-compatible endpoint gave no answer


async def stored_provider(rt: Runtime) -> AnswerProviderSettings:
    row = await get_center(rt.db, rt.center_id)
    try:
        return parse_answer_provider(((row.settings if row else None) or {}).get(SECTION))
    except ValueError:
        return AnswerProviderSettings()  # what the bot falls back to, too


def _out(settings: AnswerProviderSettings) -> AnswerProviderOut:
    return AnswerProviderOut(**settings.masked())


@router.get("", response_model=AnswerProviderOut, responses=errors(*AUTHENTICATED))
async def answer_provider(rt: Runtime, who: Caller) -> AnswerProviderOut:
    require_role(who, "admin")
    return _out(await stored_provider(rt))


@router.put("", response_model=AnswerProviderOut, responses=errors(*AUTHENTICATED))
async def set_answer_provider(body: AnswerProviderChange, rt: Runtime, who: Caller) -> AnswerProviderOut:
    require_role(who, "admin")
    stored = await stored_provider(rt)
    wanted: dict[str, Any] = body.model_dump(exclude={"api_key"})
    wanted["api_key"] = stored.api_key if body.api_key is None else body.api_key
    try:
        settings = parse_answer_provider(wanted)
    except ValueError as error:
        raise ApiError(422, "invalid_request", str(error)) from None
    await set_center_section(rt.db, rt.center_id, SECTION, settings.to_json())
    await reload_center(rt)  # conversations read the provider from the center
    return _out(settings)


@router.post("/test", response_model=TriedAnswer, responses=errors(*AUTHENTICATED))
async def try_question(body: TryQuestion, rt: Runtime, who: Caller) -> TriedAnswer:
    """The stored provider's answer to `question`, as the bot would post it."""
    require_role(who, "admin")
    provider = provider_for(await stored_provider(rt), rt.knowledge, rt.db)
    failure = None
    if isinstance(provider, OpenAICompatibleProvider):
        answer, failure = await provider.answer_and_failure(rt.center_id, body.question, body.threshold)
    else:
        answer = await provider.answer(rt.center_id, body.question, body.threshold)
    return TriedAnswer(provider=answer.provider, answered=answer.answered, text=answer.text,
                       confidence=answer.confidence, article_id=answer.article_id,
                       choices=[ChoiceOut(article_id=c.article_id, title=c.title) for c in answer.choices],
                       error=failure)
