"""forwards: conversations that crossed a link to another center (级联)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'forwards',
        sa.Column('id', sa.String(length=40), nullable=False),
        sa.Column('direction', sa.String(length=3), nullable=False),
        sa.Column('peer', sa.String(length=64), nullable=False),
        sa.Column('conversation_id', sa.String(length=40), nullable=False),
        sa.Column('visitor_id', sa.String(length=40), nullable=False),
        sa.Column('business', sa.String(length=64), nullable=False),
        sa.Column('offer_id', sa.String(length=64), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('disposition', sa.String(length=32), nullable=True),
        sa.Column('received_seq', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', 'direction'),
        sa.UniqueConstraint('peer', 'direction', 'offer_id'),
    )
    op.create_index('ix_forwards_open', 'forwards', ['state', 'peer'])
    op.create_index('ix_forwards_conversation', 'forwards', ['conversation_id'])


def downgrade() -> None:
    op.drop_index('ix_forwards_conversation', table_name='forwards')
    op.drop_index('ix_forwards_open', table_name='forwards')
    op.drop_table('forwards')
