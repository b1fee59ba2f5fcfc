"""FAQ bot: skill_groups.bot, messages.bot

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04

A group's bot settings live on its row (routing reads them with the rest of the group);
a bot message's extras (the article it answers from, the choices it offers, whether it
offers a person or the leave-message form) live on the message, so history, resume and
exports render it without a join.
"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('skill_groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bot', sa.JSON(), nullable=True))
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bot', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_column('bot')
    with op.batch_alter_table('skill_groups', schema=None) as batch_op:
        batch_op.drop_column('bot')
