"""attachments, message attachments, ratings, a left message's contact

Revision ID: 0005_media
Revises: 0004
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa


revision = '0005_media'
# Written beside 0004_tracking (another branch): the merge re-chains this onto it.
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'attachments',
        sa.Column('id', sa.String(length=40), nullable=False),
        sa.Column('center_id', sa.String(length=64), nullable=False),
        sa.Column('conversation_id', sa.String(length=40), nullable=False),
        sa.Column('uploader_kind', sa.String(length=16), nullable=False),
        sa.Column('uploader_id', sa.String(length=40), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('content_type', sa.String(length=100), nullable=False),
        sa.Column('size', sa.BigInteger(), nullable=False),
        sa.Column('blob_key', sa.String(length=200), nullable=False),
        sa.Column('thumbnail_key', sa.String(length=200), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('message_seq', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index('ix_attachments_conversation', ['conversation_id', 'created_at'],
                              unique=False)
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attachments', sa.JSON(), nullable=True))
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rating_score', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('rating_comment', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('rated_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('left_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('left_contact', sa.String(length=200), nullable=True))
    with op.batch_alter_table('visitors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('visitors', schema=None) as batch_op:
        batch_op.drop_column('contact')
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        for column in ('left_contact', 'left_name', 'rated_at', 'rating_comment', 'rating_score'):
            batch_op.drop_column(column)
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_column('attachments')
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index('ix_attachments_conversation')
    op.drop_table('attachments')
