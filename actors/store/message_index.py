"""The full-text index of message bodies: one row per message, its words as
actors/store/text_segmentation.py cuts them, and its visibility.

SQLite keeps it in an FTS5 virtual table (rowid: the message's id), PostgreSQL in a
table with a tsvector (the 'simple' configuration: no stemming or stop words, the
words are cut already) under a GIN index; migration 0011 creates both. Neither is
in actors/store/schema.py: they are not portable tables, and the models describe
what both databases share.

Rows are written by the background indexer (actors/indexer/tailer.py), never in a
message's own transaction: cutting words costs milliseconds the relay must not
wait for. Writing a message's row twice leaves one row (the indexer may read a
message again after a restart). Each row carries the message's visibility and a
public-only search filters on it, and all the words of a query must be in one
message: an internal note never makes a public-only search match.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from sqlalchemy import (ColumnElement, Select, and_, column, func, literal_column, select,
                        table, text)
from sqlalchemy.ext.asyncio import AsyncConnection

from actors.store.schema import MessageRow
from actors.store.text_segmentation import TextQuery

INDEX = table("message_search", column("conversation_id"), column("seq"), column("visibility"),
              column("terms"))
_SIMPLE = literal_column("'simple'::regconfig")
# FTS5 has no unique key but its rowid: REPLACE on it. PostgreSQL's key is the message's.
_INSERT_SQLITE = text("INSERT OR REPLACE INTO message_search (rowid, terms, conversation_id, seq, visibility) "
                      "VALUES (:message_id, :terms, :conversation_id, :seq, :visibility)")
_INSERT_POSTGRES = text("INSERT INTO message_search (conversation_id, seq, visibility, terms) "
                        "VALUES (:conversation_id, :seq, :visibility, to_tsvector('simple', :terms)) "
                        "ON CONFLICT (conversation_id, seq) DO NOTHING")


@dataclass(frozen=True)
class IndexEntry:
    message_id: int
    conversation_id: str
    seq: int
    visibility: str
    terms: str  # space-separated words (text_segmentation.document_terms)

    def row(self) -> dict[str, object]:
        return {"message_id": self.message_id, "conversation_id": self.conversation_id, "seq": self.seq,
                "visibility": self.visibility, "terms": self.terms}


async def write_entries(conn: AsyncConnection, entries: Sequence[IndexEntry]) -> None:
    """In the caller's transaction; one executemany."""
    if entries:
        statement = _INSERT_SQLITE if conn.dialect.name == "sqlite" else _INSERT_POSTGRES
        await conn.execute(statement, [e.row() for e in entries])


def matching_messages(dialect: str, query: TextQuery, public_only: bool) -> Select:
    """(conversation_id, seq) of the messages holding every term (and every phrase)."""
    found = select(INDEX.c.conversation_id, INDEX.c.seq).where(_matches(dialect, query.terms))
    if public_only:
        found = found.where(INDEX.c.visibility == "public")
    if query.phrases:
        # Words joined by spaces lose where one ended; a phrase is checked on the body.
        found = found.join(MessageRow, and_(MessageRow.conversation_id == INDEX.c.conversation_id,
                                            MessageRow.seq == INDEX.c.seq))
        for phrase in query.phrases:
            found = found.where(func.lower(MessageRow.body).like(_containing(phrase.lower()), escape="\\"))
    return found


def _matches(dialect: str, terms: Sequence[str]) -> ColumnElement[bool]:
    if dialect == "sqlite":
        # Each term quoted: FTS5 reads it as a string, never as an operator (AND, NEAR, *).
        expression = " AND ".join('"' + term.replace('"', '""') + '"' for term in terms)
        return INDEX.c.terms.op("MATCH")(expression)
    # plainto_tsquery ANDs the words and gives no word an operator's meaning.
    return INDEX.c.terms.op("@@")(func.plainto_tsquery(_SIMPLE, " ".join(terms)))


def _containing(fragment: str) -> str:
    escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
