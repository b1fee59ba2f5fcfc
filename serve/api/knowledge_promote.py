"""Promote to knowledge (转为知识): `POST /api/v1/knowledge/articles/promote` makes a draft
from a finished conversation or a left message (留言, a conversation too): the title and
question from the visitor's first message, the body from the agents' answers, each an
escaped paragraph. Only for a conversation the caller may see (as the records and the
left message pool decide); the draft goes through review like any other."""

from __future__ import annotations

from fastapi import APIRouter

from actors.knowledge.rich_text import paragraphs_of
from actors.participants import PartyKind
from actors.store import knowledge_articles as store
from actors.store import knowledge_categories as categories
from actors.store.conversations import messages_after
from actors.store.left_messages import pooled
import serve.api.knowledge_access as check
from serve.api.access import Caller, Runtime
from serve.api.conversations import readable_conversation
from serve.api.error_responses import AUTHENTICATED, errors
from serve.api.knowledge import article_out
from serve.api.knowledge_models import Article, PromoteBody
from serve.api.scope import pool_viewer
from serve.errors import ApiError

FINISHED = ("ended", "left_message")
TITLE_CHARS = 200
QUESTION_CHARS = 500
# The category a promoted draft starts in (an author moves it): FAQ if the center has one.
PREFERRED_CATEGORY = "FAQ"
router = APIRouter(prefix="/api/v1/knowledge", tags=["knowledge base"])


@router.post("/articles/promote", response_model=Article, status_code=201,
             responses=errors(*AUTHENTICATED, 404, 409))
async def promote(body: PromoteBody, rt: Runtime, who: Caller) -> Article:
    check.author(who)
    row = await readable_or_left(rt, who, body.conversation_id)
    if row.status not in FINISHED and row.left_state is None:
        raise ApiError(409, "conversation_not_finished", "promote a conversation once it has ended")
    said = await messages_after(rt.db, row.id, 0, 1000, public_only=True)
    asked = [m.body.strip() for m in said if m.sender_kind is PartyKind.VISITOR and m.body.strip()]
    answers = [m.body.strip() for m in said if m.sender_kind in (PartyKind.AGENT, PartyKind.SUPERVISOR)
               and m.body.strip()]
    if not asked:
        raise ApiError(409, "nothing_to_promote", "the visitor asked nothing in this conversation")
    question = " ".join(asked[0].split())
    title = question[:TITLE_CHARS]
    found = await categories.list_categories(rt.db, rt.center_id)
    if not found:
        raise ApiError(409, "no_category", "create a knowledge category first")
    category = next((c for c in found if c.name == PREFERRED_CATEGORY), found[0])
    fields = {"category_id": category.id, "title": title, "body_html": paragraphs_of(answers),
              "keywords": [], "synonyms": [], "questions": [question[:QUESTION_CHARS]],
              "visibility": "internal", "attachments": []}
    source = {"kind": "left_message" if row.left_state is not None else "conversation",
              "conversation_id": row.id}
    article = await store.create_article(rt.db, rt.center_id, who.id, fields, source)
    return await article_out(rt, article)


async def readable_or_left(rt: Runtime, who, conversation_id: str):
    """The conversation if the caller may read it as a record, or as a left message."""
    try:
        return await readable_conversation(rt, who, conversation_id)
    except ApiError as refused:
        entry = await pooled(rt.db, await pool_viewer(rt, who), conversation_id)
        if entry is None:
            raise ApiError(404, "not_found", "no such conversation") if refused.status == 403 else refused
        return entry.row
