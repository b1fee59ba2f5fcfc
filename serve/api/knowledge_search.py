"""Searching the knowledge base: staff's `/api/v1/knowledge/search` (published public and
internal articles), and the public help center's `/api/v1/help/*` (no token; published
public articles of this center only: anything else is "not found")."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from actors.knowledge import index_sql
from actors.knowledge.protocol import KnowledgeHit
from actors.knowledge.search import MAX_QUERY_CHARS
from actors.store import knowledge_articles as articles
from actors.store import knowledge_categories as categories
import serve.api.knowledge_access as check
from serve.api.access import Caller, Runtime, client_ip, too_many
from serve.api.error_responses import AUTHENTICATED, errors
from serve.api.knowledge_models import (HelpArticle, HelpArticles, HelpArticleSummary, HelpCategories,
                                        HelpCategory, SearchResult, SearchResults, Visibility)
from serve.errors import ApiError

router = APIRouter(tags=["knowledge base"])
QueryText = Annotated[str, Query(max_length=MAX_QUERY_CHARS)]
CategoryId = Annotated[int | None, Query(ge=1, le=2**31 - 1)]
MAX_HELP_LIST = 500


def _result(hit: KnowledgeHit) -> SearchResult:
    return SearchResult(article_id=hit.article_id, title=hit.title, category_id=hit.category_id,
                        visibility=hit.visibility, snippet_html=hit.snippet_html, score=hit.score,
                        confidence=hit.confidence, body_text=hit.body_text)


@router.get("/api/v1/knowledge/search", response_model=SearchResults, responses=errors(*AUTHENTICATED))
async def search(rt: Runtime, who: Caller, q: QueryText = "", visibility: Visibility = "internal",
                 category_id: CategoryId = None,
                 limit: Annotated[int, Query(ge=1, le=50)] = 5) -> SearchResults:
    """Published articles best answering `q`. visibility "internal" (the default): public
    and internal ones; "public": only what visitors may see (what the bot would answer)."""
    check.staff_reader(who)
    hits = await rt.knowledge.search(rt.center_id, q, visibility=visibility, category_id=category_id,
                                     limit=limit)
    return SearchResults(results=[_result(h) for h in hits])


@router.get("/api/v1/help/categories", response_model=HelpCategories, responses=errors(422))
async def help_categories(rt: Runtime) -> HelpCategories:
    """Every category; `article_count` counts its published public articles."""
    async with rt.db() as session:
        counts = await index_sql.counts(session, rt.center_id, "public")
    rows = await categories.list_categories(rt.db, rt.center_id)
    return HelpCategories(categories=[HelpCategory(id=r.id, parent_id=r.parent_id, name=r.name, name_zh=r.name_zh,
                                                   position=r.position, article_count=counts.get(r.id, 0))
                                      for r in rows])


@router.get("/api/v1/help/articles", response_model=HelpArticles, responses=errors(422, 429))
async def help_articles(request: Request, rt: Runtime, category_id: CategoryId = None, q: QueryText = "",
                        limit: Annotated[int, Query(ge=1, le=MAX_HELP_LIST)] = 100) -> HelpArticles:
    """With `q`: the best answers (at most 20), each with its snippet; without: the
    category's (or every) published public article, by title. Searches are limited per
    address (429 `rate_limited` with Retry-After past it)."""
    if q.strip():
        wait = rt.throttles.help_searches_per_ip.take(client_ip(request, rt))
        if wait:
            raise too_many(wait, "too many searches from this address; retry later")
        hits = await rt.knowledge.search(rt.center_id, q, visibility="public", category_id=category_id,
                                         limit=min(limit, 20))
        return HelpArticles(articles=[HelpArticleSummary(id=h.article_id, title=h.title, category_id=h.category_id,
                                                         snippet_html=h.snippet_html) for h in hits])
    async with rt.db() as session:
        rows = await index_sql.listing(session, rt.center_id, ("public",), category_id, limit)
    return HelpArticles(articles=[HelpArticleSummary(id=i, title=t, category_id=c, snippet_html=None)
                                  for i, t, c in rows])


@router.get("/api/v1/help/articles/{article_id}", response_model=HelpArticle, responses=errors(404, 422))
async def help_article(article_id: str, rt: Runtime) -> HelpArticle:
    """The published version; 404 for an article that is not published and public."""
    live = await articles.published(rt.db, rt.center_id, article_id)
    if live is None or live.visibility != "public":
        raise ApiError(404, "not_found", f"no published article {article_id}")
    return HelpArticle(id=live.article_id, title=live.title, category_id=live.category_id,
                       body_html=live.body_html, questions=live.questions, keywords=live.keywords)
