"""left message pool: conversations.left_state, left_assignee_id, left_submitted_at, left_replied_at,
left_reply_via, left_reply_seen_at, left_closed_at

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02

A left message (留言) is a conversation; its place in the pool is kept on its row, so the
record view, the search and the pool read one table and the entity owns all of it.
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

_COLUMNS = (
    ('left_state', sa.String(length=16)),
    ('left_assignee_id', sa.String(length=40)),
    ('left_submitted_at', sa.DateTime(timezone=True)),
    ('left_replied_at', sa.DateTime(timezone=True)),
    ('left_reply_via', sa.String(length=8)),
    ('left_reply_seen_at', sa.DateTime(timezone=True)),
    ('left_closed_at', sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        for name, kind in _COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))
        batch_op.create_index('ix_conversations_left_pool', ['center_id', 'left_state', 'left_submitted_at'])


def downgrade() -> None:
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.drop_index('ix_conversations_left_pool')
        for name, _ in reversed(_COLUMNS):
            batch_op.drop_column(name)
