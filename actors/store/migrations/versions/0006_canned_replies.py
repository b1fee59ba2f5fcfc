"""canned replies (常用语), personal and public

Revision ID: 0006
Revises: 0005_media
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005_media'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'canned_replies',
        sa.Column('id', sa.String(length=40), nullable=False),
        sa.Column('center_id', sa.String(length=64), nullable=False),
        sa.Column('owner_agent_id', sa.String(length=40), nullable=True),
        sa.Column('category', sa.String(length=64), nullable=False),
        sa.Column('title', sa.String(length=100), nullable=False),
        sa.Column('body', sa.String(length=5000), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['center_id'], ['centers.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_canned_replies_center_owner', 'canned_replies', ['center_id', 'owner_agent_id'])


def downgrade() -> None:
    op.drop_index('ix_canned_replies_center_owner', table_name='canned_replies')
    op.drop_table('canned_replies')
