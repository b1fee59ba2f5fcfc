"""Loads a generated corpus (knowledge_corpus.py) into a migrated database as published
public articles: the rows the store writes on approval (article, version 1, workflow,
index row), in batches of one transaction each, so 10,000 load in seconds."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.knowledge import index_sql
from actors.knowledge.segmenter import add_terms
from actors.store import knowledge_dictionary
from actors.store.clock import utcnow
from actors.store.knowledge_categories import create_default_categories, list_categories
from actors.store.knowledge_schema import KnowledgeArticleRow, KnowledgeVersionRow, KnowledgeWorkflowRow
from benchmarks.lib.knowledge_corpus import Article, Corpus

BATCH = 500


async def load(db: async_sessionmaker, center_id: str, corpus: Corpus, more: list[Article] = (),
               id_prefix: str = "kb_bench") -> dict[str, str]:
    """The corpus published (ids `id_prefix` and a number: one prefix per load); article key -> stored id."""
    await create_default_categories(db, center_id)
    category = (await list_categories(db, center_id))[0].id
    for term, synonyms in corpus.dictionary:
        await knowledge_dictionary.add_entry(db, center_id, term, synonyms)
    add_terms([w for term, synonyms in corpus.dictionary for w in (term, *synonyms)])  # as the store does before indexing
    ids: dict[str, str] = {}
    everything = [*corpus.articles, *more]
    for start in range(0, len(everything), BATCH):
        async with db() as session, session.begin():
            for n, article in enumerate(everything[start:start + BATCH], start):
                article_id = f"{id_prefix}{n:07d}"
                ids[article.key] = article_id
                now = utcnow()
                content = dict(title=article.title, body_html=article.body_html, keywords=article.keywords,
                               synonyms=article.synonyms, questions=article.questions)
                session.add(KnowledgeArticleRow(
                    id=article_id, center_id=center_id, category_id=category, attachments=[], visibility="public",
                    status="published", version=1, published_version=1, created_by="bench", created_at=now,
                    updated_by="bench", updated_at=now, **content))
                session.add(KnowledgeVersionRow(article_id=article_id, version=1, category_id=category,
                                                visibility="public", edited_by="bench", edited_at=now, **content))
                session.add(KnowledgeWorkflowRow(article_id=article_id, action="approved", by="bench", at=now))
                await session.flush()
                await index_sql.write(session, index_sql.IndexedArticle(
                    article_id, center_id, "public", category, **content))
    return ids
