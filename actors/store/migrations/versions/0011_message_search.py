"""message_search: the full-text index of message bodies (会话记录 search), an FTS5
virtual table on SQLite, a tsvector under a GIN index on PostgreSQL
(actors/store/message_index.py), filled from the messages already stored

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

from actors.store.message_index import insert_statement
from actors.store.text_segmentation import documents_terms


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

# Messages cut and indexed per statement: bounds the memory of a large backfill.
BATCH = 2000


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        # remove_diacritics 0: the words arrive cut and lowercased; nothing else to fold.
        op.execute("CREATE VIRTUAL TABLE message_search USING fts5("
                   "terms, conversation_id UNINDEXED, seq UNINDEXED, visibility UNINDEXED, "
                   "tokenize = 'unicode61 remove_diacritics 0')")
    else:
        op.execute("CREATE TABLE message_search ("
                   "conversation_id VARCHAR(40) NOT NULL, seq INTEGER NOT NULL, "
                   "visibility VARCHAR(8) NOT NULL, terms TSVECTOR NOT NULL, "
                   "PRIMARY KEY (conversation_id, seq))")
        op.execute("CREATE INDEX ix_message_search_terms ON message_search USING GIN (terms)")
    _fill(bind)


def _fill(bind) -> None:
    statement = insert_statement(bind.dialect.name)
    last_id = 0
    while True:
        rows = bind.execute(sa.text(
            "SELECT id, conversation_id, seq, visibility, body FROM messages WHERE id > :after "
            "ORDER BY id LIMIT :batch"), {"after": last_id, "batch": BATCH}).all()
        if not rows:
            return
        terms = documents_terms([row.body for row in rows])
        bind.execute(statement, [{"conversation_id": row.conversation_id, "seq": row.seq,
                                  "visibility": row.visibility or 'public', "terms": words}
                                 for row, words in zip(rows, terms)])
        last_id = rows[-1].id


def downgrade() -> None:
    op.execute("DROP TABLE message_search")
