"""agents.incarnation: the fence of an agent's slot grants

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

Bumped each time an agent's entity is (re)built; an assignment records only if the
incarnation that granted its slot is still the agent's (actors/agent/reservations.py).
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('agents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('incarnation', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('agents', schema=None) as batch_op:
        batch_op.drop_column('incarnation')
