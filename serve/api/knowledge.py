"""Knowledge articles (知识库): `/api/v1/knowledge/articles`, the review queue, versions.

Any staff member of the center reads and writes articles (authoring); approving
(= publishing), rejecting, archiving and restoring are for supervisors and admins
(actors/knowledge/workflow.py has the rules). Bodies are sanitized on the server
(actors/knowledge/rich_text.py); a stale `version` in an edit is a 409, so two
editors never overwrite each other silently.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from actors.knowledge.workflow import TRANSITIONS, BadTransition
from actors.store import knowledge_articles as store
from actors.store.clock import as_utc
from actors.store.knowledge_schema import KnowledgeArticleRow
import serve.api.knowledge_access as check
from serve.api.access import Caller, Runtime
from serve.api.error_responses import AUTHENTICATED, errors
from serve.api.knowledge_models import (Article, ArticleBody, ArticleChange, ArticleList, ArticleSummary,
                                        Status, TransitionBody, VersionContent, Versions, VersionSummary,
                                        Visibility, WorkflowStep)
from serve.errors import ApiError
from serve.runtime import GatewayRuntime

router = APIRouter(prefix="/api/v1/knowledge", tags=["knowledge base"])
MAX_LIMIT = 200
Cursor = Annotated[str | None, Query(max_length=12, pattern=r"^\d+$")]


def summary(row: KnowledgeArticleRow) -> ArticleSummary:
    return ArticleSummary(id=row.id, title=row.title, category_id=row.category_id, status=row.status,
                          visibility=row.visibility, version=row.version, updated_at=as_utc(row.updated_at),
                          updated_by=row.updated_by)


async def article_out(rt: GatewayRuntime, row: KnowledgeArticleRow) -> Article:
    workflow = await store.workflow_of(rt.db, row.id)
    return Article(id=row.id, category_id=row.category_id, title=row.title, body_html=row.body_html,
                   keywords=row.keywords, synonyms=row.synonyms, questions=row.questions,
                   attachments=row.attachments, visibility=row.visibility, status=row.status,
                   version=row.version, published_version=row.published_version, created_by=row.created_by,
                   created_at=as_utc(row.created_at), updated_by=row.updated_by, updated_at=as_utc(row.updated_at),
                   source=row.source,
                   workflow=[WorkflowStep(action=w.action, by=w.by, at=as_utc(w.at), comment=w.comment)
                             for w in workflow])


async def _page(rt: GatewayRuntime, cursor: str | None, limit: int, **filters) -> ArticleList:
    # The cursor is the offset of the next page, opaque to callers.
    offset = int(cursor or 0)
    rows = await store.list_articles(rt.db, rt.center_id, offset=offset, limit=limit + 1, **filters)
    more = len(rows) > limit
    return ArticleList(articles=[summary(r) for r in rows[:limit]],
                       next_cursor=str(offset + limit) if more else None)


@router.get("/articles", response_model=ArticleList, responses=errors(*AUTHENTICATED))
async def list_articles(rt: Runtime, who: Caller, status: Status | None = None,
                        category_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
                        visibility: Visibility | None = None,
                        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
                        cursor: Cursor = None) -> ArticleList:
    """Newest change first."""
    check.staff_reader(who)
    return await _page(rt, cursor, limit, status=status, category_id=category_id, visibility=visibility)


@router.get("/review", response_model=ArticleList, responses=errors(*AUTHENTICATED))
async def review_queue(rt: Runtime, who: Caller, limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
                       cursor: Cursor = None) -> ArticleList:
    """The articles waiting for a reviewer (in_review)."""
    check.staff_reader(who)
    return await _page(rt, cursor, limit, status="in_review")


@router.post("/articles", response_model=Article, status_code=201, responses=errors(*AUTHENTICATED))
async def create_article(body: ArticleBody, rt: Runtime, who: Caller) -> Article:
    """A draft at version 1."""
    check.author(who)
    await check.known_category(rt, body.category_id)
    fields = {"category_id": body.category_id, "title": body.title, "body_html": check.clean_body(body.body_html),
              "keywords": check.tags(body.keywords), "synonyms": check.tags(body.synonyms),
              "questions": check.tags(body.questions), "visibility": body.visibility,
              "attachments": await check.known_attachments(rt, body.attachments)}
    row = await store.create_article(rt.db, rt.center_id, who.id, fields)
    return await article_out(rt, row)


@router.get("/articles/{article_id}", response_model=Article, responses=errors(*AUTHENTICATED, 404))
async def get_article(article_id: str, rt: Runtime, who: Caller) -> Article:
    check.staff_reader(who)
    return await article_out(rt, await check.article_of(rt, article_id))


@router.patch("/articles/{article_id}", response_model=Article, responses=errors(*AUTHENTICATED, 404, 409))
async def edit_article(article_id: str, body: ArticleChange, rt: Runtime, who: Caller) -> Article:
    """A new version (version + 1). An agent's edit of a published article goes to review
    while the published version stays live; a reviewer's is published at once."""
    check.author(who)
    await check.article_of(rt, article_id)
    changes = body.model_dump(exclude_none=True, exclude={"version"})
    if "category_id" in changes:
        await check.known_category(rt, changes["category_id"])
    if "body_html" in changes:
        changes["body_html"] = check.clean_body(changes["body_html"])
    for name in ("keywords", "synonyms", "questions"):
        if name in changes:
            changes[name] = check.tags(changes[name])
    if "attachments" in changes:
        changes["attachments"] = await check.known_attachments(rt, changes["attachments"])
    try:
        row = await store.edit_article(rt.db, rt.center_id, article_id, who.id, who.role, changes, body.version)
    except store.VersionConflict as error:
        raise ApiError(409, "version_conflict", str(error)) from None
    except store.ArchivedArticle as error:
        raise ApiError(409, "archived", str(error)) from None
    if row is None:
        raise ApiError(404, "not_found", f"no knowledge article {article_id}")
    return await article_out(rt, row)


async def _transition(rt: GatewayRuntime, who, article_id: str, action: str, body: TransitionBody | None) -> Article:
    rule = TRANSITIONS[action]
    if who.role not in rule.roles or not who.is_staff:
        raise ApiError(403, "forbidden", f"to {action} an article needs the role {' or '.join(rule.roles)}")
    await check.article_of(rt, article_id)
    comment = body.comment if body is not None and body.comment else None
    if rule.needs_comment and not comment:
        raise ApiError(422, "comment_required", f"say why in a comment to {action} an article")
    try:
        row = await store.transition(rt.db, rt.center_id, article_id, action, who.id, comment)
    except BadTransition as error:
        raise ApiError(409, "bad_transition", str(error)) from None
    if row is None:
        raise ApiError(404, "not_found", f"no knowledge article {article_id}")
    return await article_out(rt, row)


_TRANSITION_RESPONSES = errors(*AUTHENTICATED, 404, 409)


@router.post("/articles/{article_id}/submit", response_model=Article, responses=_TRANSITION_RESPONSES)
async def submit(article_id: str, rt: Runtime, who: Caller, body: TransitionBody | None = None) -> Article:
    """draft -> in_review."""
    return await _transition(rt, who, article_id, "submit", body)


@router.post("/articles/{article_id}/approve", response_model=Article, responses=_TRANSITION_RESPONSES)
async def approve(article_id: str, rt: Runtime, who: Caller, body: TransitionBody | None = None) -> Article:
    """in_review -> published: this version is what visitors and the bot see."""
    return await _transition(rt, who, article_id, "approve", body)


@router.post("/articles/{article_id}/reject", response_model=Article, responses=_TRANSITION_RESPONSES)
async def reject(article_id: str, rt: Runtime, who: Caller, body: TransitionBody | None = None) -> Article:
    """in_review -> draft, with a comment saying why."""
    return await _transition(rt, who, article_id, "reject", body)


@router.post("/articles/{article_id}/archive", response_model=Article, responses=_TRANSITION_RESPONSES)
async def archive(article_id: str, rt: Runtime, who: Caller, body: TransitionBody | None = None) -> Article:
    """Off the help center and search; kept with its versions."""
    return await _transition(rt, who, article_id, "archive", body)


@router.post("/articles/{article_id}/restore", response_model=Article, responses=_TRANSITION_RESPONSES)
async def restore(article_id: str, rt: Runtime, who: Caller, body: TransitionBody | None = None) -> Article:
    """archived -> draft (to be approved again before it is live)."""
    return await _transition(rt, who, article_id, "restore", body)


@router.get("/articles/{article_id}/versions", response_model=Versions, responses=errors(*AUTHENTICATED, 404))
async def versions(article_id: str, rt: Runtime, who: Caller) -> Versions:
    """Newest first."""
    check.staff_reader(who)
    await check.article_of(rt, article_id)
    rows = await store.versions_of(rt.db, article_id)
    return Versions(versions=[VersionSummary(version=v.version, title=v.title, edited_by=v.edited_by,
                                             edited_at=as_utc(v.edited_at)) for v in rows])


@router.get("/articles/{article_id}/versions/{version}", response_model=VersionContent,
            responses=errors(*AUTHENTICATED, 404))
async def version(article_id: str, version: Annotated[int, Path(ge=1, le=2**31 - 1)], rt: Runtime, who: Caller) -> VersionContent:
    check.staff_reader(who)
    await check.article_of(rt, article_id)
    row = await store.version_of(rt.db, article_id, version)
    if row is None:
        raise ApiError(404, "not_found", f"article {article_id} has no version {version}")
    return VersionContent(version=row.version, title=row.title, body_html=row.body_html, keywords=row.keywords,
                          synonyms=row.synonyms, questions=row.questions, category_id=row.category_id,
                          visibility=row.visibility, edited_by=row.edited_by, edited_at=as_utc(row.edited_at))
