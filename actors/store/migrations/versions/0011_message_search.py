"""message_search: the full-text index of message bodies (会话记录 search), an FTS5
virtual table on SQLite, a tsvector under a GIN index on PostgreSQL
(actors/store/message_index.py); index_cursors: how far the background indexer has
read the messages (actors/indexer/tailer.py). The index starts empty: the indexer
fills it from the messages already stored, off the migration and off the hot path.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'index_cursors',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('position', sa.BigInteger(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('name'),
    )
    if op.get_bind().dialect.name == 'sqlite':
        # rowid is the message's id (a rewrite replaces it); remove_diacritics 0: the
        # words arrive cut and lowercased, nothing else to fold.
        op.execute("CREATE VIRTUAL TABLE message_search USING fts5("
                   "terms, conversation_id UNINDEXED, seq UNINDEXED, visibility UNINDEXED, "
                   "tokenize = 'unicode61 remove_diacritics 0')")
    else:
        op.execute("CREATE TABLE message_search ("
                   "conversation_id VARCHAR(40) NOT NULL, seq INTEGER NOT NULL, "
                   "visibility VARCHAR(8) NOT NULL, terms TSVECTOR NOT NULL, "
                   "PRIMARY KEY (conversation_id, seq))")
        op.execute("CREATE INDEX ix_message_search_terms ON message_search USING GIN (terms)")


def downgrade() -> None:
    op.execute("DROP TABLE message_search")
    op.drop_table('index_cursors')
