"""link_switches: an admin's isolate switch per linked center (级联隔离); room for the
ids of senders on linked centers (`<peer>:<agent id>`, through a chain `<b>:<c>:<agent id>`)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'link_switches',
        sa.Column('peer', sa.String(length=64), nullable=False),
        sa.Column('isolated', sa.Boolean(), nullable=False),
        sa.Column('changed_by', sa.String(length=40), nullable=True),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('peer'),
    )
    with op.batch_alter_table('messages') as batch:
        batch.alter_column('sender_id', type_=sa.String(length=200), existing_type=sa.String(length=40),
                           existing_nullable=False)
    with op.batch_alter_table('attachments') as batch:
        batch.alter_column('uploader_id', type_=sa.String(length=200), existing_type=sa.String(length=40),
                           existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('attachments') as batch:
        batch.alter_column('uploader_id', type_=sa.String(length=40), existing_type=sa.String(length=200),
                           existing_nullable=False)
    with op.batch_alter_table('messages') as batch:
        batch.alter_column('sender_id', type_=sa.String(length=40), existing_type=sa.String(length=200),
                           existing_nullable=False)
    op.drop_table('link_switches')
