"""The knowledge base's tables (知识库, migration 0014): categories, articles, every
version of an article, its workflow transitions and the center's dictionary.

The full-text index of published articles (`knowledge_search`) is a table of the
database's own kind (FTS5 / tsvector), written by actors/knowledge/index_sql.py and
not described here, like message_search.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from actors.store.schema import Base


class KnowledgeCategoryRow(Base):
    __tablename__ = "knowledge_categories"
    __table_args__ = (Index("ix_knowledge_categories_center", "center_id", "parent_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    center_id: Mapped[str] = mapped_column(String(64))
    parent_id: Mapped[int | None] = mapped_column(Integer, default=None)
    name: Mapped[str] = mapped_column(String(100))
    name_zh: Mapped[str | None] = mapped_column(String(100), default=None)
    position: Mapped[int] = mapped_column(Integer, default=0)


class KnowledgeArticleRow(Base):
    """The working copy of an article; `published_version` names the version visitors and
    the bot see (None: none yet), which stays while a later edit is in review."""

    __tablename__ = "knowledge_articles"
    __table_args__ = (
        Index("ix_knowledge_articles_center_status", "center_id", "status", "updated_at"),
        Index("ix_knowledge_articles_category", "category_id"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    center_id: Mapped[str] = mapped_column(String(64))
    category_id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    body_html: Mapped[str] = mapped_column(Text)
    keywords: Mapped[list] = mapped_column(JSON)
    synonyms: Mapped[list] = mapped_column(JSON)
    questions: Mapped[list] = mapped_column(JSON)
    attachments: Mapped[list] = mapped_column(JSON)
    visibility: Mapped[str] = mapped_column(String(8))  # public | internal
    status: Mapped[str] = mapped_column(String(12))  # draft | in_review | published | archived
    version: Mapped[int] = mapped_column(Integer)
    published_version: Mapped[int | None] = mapped_column(Integer, default=None)
    source: Mapped[dict | None] = mapped_column(JSON, default=None)
    created_by: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class KnowledgeVersionRow(Base):
    __tablename__ = "knowledge_versions"

    article_id: Mapped[str] = mapped_column(ForeignKey("knowledge_articles.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body_html: Mapped[str] = mapped_column(Text)
    keywords: Mapped[list] = mapped_column(JSON)
    synonyms: Mapped[list] = mapped_column(JSON)
    questions: Mapped[list] = mapped_column(JSON)
    # Where and to whom the version shows once published (a pending edit may change them).
    category_id: Mapped[int] = mapped_column(Integer)
    visibility: Mapped[str] = mapped_column(String(8))
    edited_by: Mapped[str] = mapped_column(String(40))
    edited_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class KnowledgeWorkflowRow(Base):
    __tablename__ = "knowledge_workflow"
    __table_args__ = (Index("ix_knowledge_workflow_article", "article_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("knowledge_articles.id"))
    action: Mapped[str] = mapped_column(String(12))
    by: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    comment: Mapped[str | None] = mapped_column(String(1000), default=None)


class KnowledgeDictionaryRow(Base):
    __tablename__ = "knowledge_dictionary"
    __table_args__ = (UniqueConstraint("center_id", "term"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    center_id: Mapped[str] = mapped_column(String(64))
    term: Mapped[str] = mapped_column(String(64))
    synonyms: Mapped[list] = mapped_column(JSON)
