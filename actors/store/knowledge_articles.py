"""Knowledge articles (知识库文章): the working copy, every version's full content, the
workflow's record, and the search index kept in step with what is published
(actors/knowledge/workflow.py has the rules, actors/knowledge/index_sql.py the index)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actors.knowledge import index_sql
from actors.knowledge.segmenter import add_terms
from actors.knowledge.workflow import RECORDED, next_status, published_after, status_after_edit
from actors.store.clock import utcnow
from actors.store.knowledge_schema import (KnowledgeArticleRow, KnowledgeDictionaryRow, KnowledgeVersionRow,
                                           KnowledgeWorkflowRow)
from actors.store.records import new_id

CONTENT = ("title", "body_html", "keywords", "synonyms", "questions", "category_id", "visibility")
EDITABLE = (*CONTENT, "attachments")


class VersionConflict(Exception):
    pass


class ArchivedArticle(Exception):
    pass


async def create_article(db: async_sessionmaker, center_id: str, by: str, fields: dict[str, Any],
                         source: dict | None = None) -> KnowledgeArticleRow:
    now = utcnow()
    row = KnowledgeArticleRow(id=new_id("kb"), center_id=center_id, status="draft", version=1,
                              published_version=None, source=source, created_by=by, created_at=now,
                              updated_by=by, updated_at=now, **fields)
    async with db() as session, session.begin():
        session.add(row)
        await session.flush()
        session.add(_version_of(row))
        session.add(KnowledgeWorkflowRow(article_id=row.id, action="created", by=by, at=now))
    return row


async def get_article(db: async_sessionmaker, center_id: str, article_id: str) -> KnowledgeArticleRow | None:
    async with db() as session:
        row = await session.get(KnowledgeArticleRow, article_id)
    return row if row is not None and row.center_id == center_id else None


async def list_articles(db: async_sessionmaker, center_id: str, *, status: str | None = None,
                        category_id: int | None = None, visibility: str | None = None,
                        offset: int = 0, limit: int = 50) -> list[KnowledgeArticleRow]:
    """Newest change first; `limit` rows from `offset`."""
    query = select(KnowledgeArticleRow).where(KnowledgeArticleRow.center_id == center_id)
    if status is not None:
        query = query.where(KnowledgeArticleRow.status == status)
    if category_id is not None:
        query = query.where(KnowledgeArticleRow.category_id == category_id)
    if visibility is not None:
        query = query.where(KnowledgeArticleRow.visibility == visibility)
    query = query.order_by(KnowledgeArticleRow.updated_at.desc(), KnowledgeArticleRow.id.desc())
    async with db() as session:
        return list(await session.scalars(query.offset(offset).limit(limit)))


async def edit_article(db: async_sessionmaker, center_id: str, article_id: str, by: str, role: str,
                       changes: dict[str, Any], expected_version: int) -> KnowledgeArticleRow | None:
    """A new version with `changes`; None if there is no such article."""
    async with db() as session, session.begin():
        row = await _locked(session, center_id, article_id)
        if row is None:
            return None
        if row.status == "archived":
            raise ArchivedArticle("an archived article cannot be edited; restore it first")
        if row.version != expected_version:
            raise VersionConflict(f"the article is at version {row.version}, not {expected_version}")
        for name, value in changes.items():
            setattr(row, name, value)
        row.version += 1
        row.status = status_after_edit(row.status, role)
        if row.status == "published":
            row.published_version = row.version
        row.updated_by, row.updated_at = by, utcnow()
        session.add(_version_of(row))
        session.add(KnowledgeWorkflowRow(article_id=row.id, action="edited", by=by, at=row.updated_at))
        await _reindex(session, row)
    return row


async def transition(db: async_sessionmaker, center_id: str, article_id: str, action: str, by: str,
                     comment: str | None = None) -> KnowledgeArticleRow | None:
    """Raises workflow.BadTransition when `action` is not allowed from the status."""
    async with db() as session, session.begin():
        row = await _locked(session, center_id, article_id)
        if row is None:
            return None
        row.status = next_status(action, row.status)
        row.published_version = published_after(action, row.version, row.published_version)
        row.updated_by, row.updated_at = by, utcnow()
        session.add(KnowledgeWorkflowRow(article_id=row.id, action=RECORDED[action], by=by,
                                         at=row.updated_at, comment=comment))
        await _reindex(session, row)
    return row


async def workflow_of(db: async_sessionmaker, article_id: str) -> list[KnowledgeWorkflowRow]:
    async with db() as session:
        return list(await session.scalars(select(KnowledgeWorkflowRow).where(
            KnowledgeWorkflowRow.article_id == article_id).order_by(KnowledgeWorkflowRow.id)))


async def versions_of(db: async_sessionmaker, article_id: str) -> list[KnowledgeVersionRow]:
    async with db() as session:
        return list(await session.scalars(select(KnowledgeVersionRow).where(
            KnowledgeVersionRow.article_id == article_id).order_by(KnowledgeVersionRow.version.desc())))


async def version_of(db: async_sessionmaker, article_id: str, version: int) -> KnowledgeVersionRow | None:
    async with db() as session:
        return await session.get(KnowledgeVersionRow, (article_id, version))


async def published(db: async_sessionmaker, center_id: str, article_id: str) -> index_sql.IndexedArticle | None:
    """What visitors see of the article, or None when nothing of it is live."""
    async with db() as session:
        row = await session.get(KnowledgeArticleRow, article_id)
        if row is None or row.center_id != center_id:
            return None
        return await _live(session, row)


async def count_in_categories(db: async_sessionmaker, center_id: str) -> dict[int, int]:
    async with db() as session:
        rows = (await session.execute(select(KnowledgeArticleRow.category_id, func.count())
                                      .where(KnowledgeArticleRow.center_id == center_id)
                                      .group_by(KnowledgeArticleRow.category_id))).all()
    return {category: count for category, count in rows}


async def _locked(session: AsyncSession, center_id: str, article_id: str) -> KnowledgeArticleRow | None:
    # FOR UPDATE on PostgreSQL (two editors of one version: one wins, one conflicts).
    # SQLite has no row locks: a no-op write first takes the database's write lock, so
    # the read below cannot go stale before this transaction writes (a read-then-write
    # transaction whose snapshot another writer changed would fail as "busy").
    if session.bind.dialect.name == "sqlite":
        await session.execute(update(KnowledgeArticleRow).where(KnowledgeArticleRow.id == article_id)
                              .values(version=KnowledgeArticleRow.version))
    row = await session.scalar(select(KnowledgeArticleRow).where(KnowledgeArticleRow.id == article_id)
                               .with_for_update())
    return row if row is not None and row.center_id == center_id else None


async def _live(session: AsyncSession, row: KnowledgeArticleRow) -> index_sql.IndexedArticle | None:
    if row.published_version is None or row.status == "archived":
        return None
    content: Any = row
    if row.published_version != row.version:
        content = await session.get(KnowledgeVersionRow, (row.id, row.published_version))
    return index_sql.IndexedArticle(row.id, row.center_id, content.visibility, content.category_id, content.title,
                                    content.body_html, list(content.keywords), list(content.synonyms),
                                    list(content.questions))


async def _reindex(session: AsyncSession, row: KnowledgeArticleRow) -> None:
    live = await _live(session, row)
    if live is None:
        await index_sql.remove(session, row.id)
        return
    # The dictionary's terms are words for jieba before the article is cut, so a
    # product name is one word in the index as it is in a question.
    entries = (await session.execute(select(KnowledgeDictionaryRow.term, KnowledgeDictionaryRow.synonyms)
                                     .where(KnowledgeDictionaryRow.center_id == row.center_id))).all()
    add_terms([word for term, synonyms in entries for word in (term, *synonyms)])
    await index_sql.write(session, live)


async def reindex_mentioning(db: async_sessionmaker, center_id: str, words: list[str]) -> int:
    """Index again the published articles whose title or text holds one of `words` (a new
    dictionary term and its synonyms), so the term is one word in them as it is in questions
    at once; returns how many. Their keywords and questions alone are not looked at."""
    words = [w for w in dict.fromkeys(words) if w]
    if not words:
        return 0
    matches = " OR ".join(f"title LIKE :w{i} ESCAPE '!' OR body_text LIKE :w{i} ESCAPE '!'"
                          for i in range(len(words)))
    params = {f"w{i}": "%" + w.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%"
              for i, w in enumerate(words)}
    async with db() as session, session.begin():
        ids = list((await session.execute(text(
            f"SELECT article_id FROM knowledge_search WHERE center_id = :center AND ({matches})"),
            {"center": center_id, **params})).scalars())
        for article_id in ids:
            row = await _locked(session, center_id, article_id)
            if row is not None:
                await _reindex(session, row)
    return len(ids)


def _version_of(row: KnowledgeArticleRow) -> KnowledgeVersionRow:
    return KnowledgeVersionRow(article_id=row.id, version=row.version, edited_by=row.updated_by,
                               edited_at=row.updated_at, **{name: getattr(row, name) for name in CONTENT})
