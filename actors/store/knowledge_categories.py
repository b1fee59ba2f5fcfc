"""Knowledge categories (知识分类): a tree per center. A new center gets the default
ones (config/seed.py; migration 0014 gave them to the centers that existed)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.store.knowledge_schema import KnowledgeArticleRow, KnowledgeCategoryRow

DEFAULT_CATEGORIES = (("Solutions", "解决方案"), ("Announcements", "公告"), ("FAQ", "常见问题"),
                      ("Procedures", "业务流程"), ("Manuals", "操作手册"))
MAX_CATEGORIES = 500


class CategoryNotEmpty(Exception):
    pass


class TooManyCategories(Exception):
    pass


class CategoryCycle(Exception):
    pass


async def create_default_categories(db: async_sessionmaker, center_id: str) -> None:
    async with db() as session, session.begin():
        if await session.scalar(select(func.count()).select_from(KnowledgeCategoryRow)
                                .where(KnowledgeCategoryRow.center_id == center_id)):
            return
        for position, (name, zh) in enumerate(DEFAULT_CATEGORIES):
            session.add(KnowledgeCategoryRow(center_id=center_id, parent_id=None, name=name, name_zh=zh,
                                             position=position))


async def list_categories(db: async_sessionmaker, center_id: str) -> list[KnowledgeCategoryRow]:
    async with db() as session:
        return list(await session.scalars(select(KnowledgeCategoryRow)
                                          .where(KnowledgeCategoryRow.center_id == center_id)
                                          .order_by(KnowledgeCategoryRow.position, KnowledgeCategoryRow.id)))


async def get_category(db: async_sessionmaker, center_id: str, category_id: int) -> KnowledgeCategoryRow | None:
    async with db() as session:
        row = await session.get(KnowledgeCategoryRow, category_id)
    return row if row is not None and row.center_id == center_id else None


async def create_category(db: async_sessionmaker, center_id: str, fields: dict[str, Any]) -> KnowledgeCategoryRow:
    row = KnowledgeCategoryRow(center_id=center_id, **fields)
    async with db() as session, session.begin():
        count = await session.scalar(select(func.count()).select_from(KnowledgeCategoryRow)
                                     .where(KnowledgeCategoryRow.center_id == center_id))
        if count >= MAX_CATEGORIES:
            raise TooManyCategories(f"at most {MAX_CATEGORIES} categories")
        session.add(row)
    return row


async def update_category(db: async_sessionmaker, center_id: str, category_id: int,
                          changes: dict[str, Any]) -> KnowledgeCategoryRow | None:
    async with db() as session, session.begin():
        row = await session.get(KnowledgeCategoryRow, category_id)
        if row is None or row.center_id != center_id:
            return None
        if changes.get("parent_id") is not None:
            await _refuse_cycle(session, category_id, changes["parent_id"])
        for name, value in changes.items():
            setattr(row, name, value)
    return row


async def delete_category(db: async_sessionmaker, center_id: str, category_id: int) -> bool:
    """False if there was none; CategoryNotEmpty while it holds articles or categories."""
    async with db() as session, session.begin():
        row = await session.get(KnowledgeCategoryRow, category_id)
        if row is None or row.center_id != center_id:
            return False
        articles = await session.scalar(select(func.count()).select_from(KnowledgeArticleRow)
                                        .where(KnowledgeArticleRow.category_id == category_id))
        children = await session.scalar(select(func.count()).select_from(KnowledgeCategoryRow)
                                        .where(KnowledgeCategoryRow.parent_id == category_id))
        if articles or children:
            raise CategoryNotEmpty(f"the category holds {articles} articles and {children} categories")
        await session.execute(delete(KnowledgeCategoryRow).where(KnowledgeCategoryRow.id == category_id))
    return True


async def _refuse_cycle(session, category_id: int, parent_id: int) -> None:
    seen = set()
    at: int | None = parent_id
    while at is not None and at not in seen:
        if at == category_id:
            raise CategoryCycle("a category cannot be put under itself or its own subcategory")
        seen.add(at)
        parent = await session.get(KnowledgeCategoryRow, at)
        at = parent.parent_id if parent is not None else None
