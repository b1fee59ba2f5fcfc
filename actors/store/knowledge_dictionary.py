"""The center dictionary (词典): terms jieba keeps whole (product names) and their
synonyms, expanded when a question is searched (actors/knowledge/search.py)."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.store.knowledge_schema import KnowledgeDictionaryRow

MAX_ENTRIES = 5000


class DuplicateTerm(Exception):
    pass


class TooManyEntries(Exception):
    pass


async def list_entries(db: async_sessionmaker, center_id: str) -> list[KnowledgeDictionaryRow]:
    async with db() as session:
        return list(await session.scalars(select(KnowledgeDictionaryRow)
                                          .where(KnowledgeDictionaryRow.center_id == center_id)
                                          .order_by(KnowledgeDictionaryRow.term)))


async def add_entry(db: async_sessionmaker, center_id: str, term: str, synonyms: list[str]) -> KnowledgeDictionaryRow:
    row = KnowledgeDictionaryRow(center_id=center_id, term=term, synonyms=synonyms)
    try:
        async with db() as session, session.begin():
            count = await session.scalar(select(func.count()).select_from(KnowledgeDictionaryRow)
                                         .where(KnowledgeDictionaryRow.center_id == center_id))
            if count >= MAX_ENTRIES:
                raise TooManyEntries(f"at most {MAX_ENTRIES} dictionary entries")
            session.add(row)
    except IntegrityError:
        raise DuplicateTerm(f"the dictionary has {term!r} already") from None
    return row


async def delete_entry(db: async_sessionmaker, center_id: str, entry_id: int) -> bool:
    async with db() as session, session.begin():
        done = await session.execute(delete(KnowledgeDictionaryRow).where(
            KnowledgeDictionaryRow.id == entry_id, KnowledgeDictionaryRow.center_id == center_id))
    return done.rowcount > 0
