"""event log, participants, message visibility, account state, center settings

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'events',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True,
                  nullable=False),
        sa.Column('center_id', sa.String(length=64), nullable=False),
        sa.Column('type', sa.String(length=64), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('conversation_id', sa.String(length=40), nullable=True),
        sa.Column('agent_id', sa.String(length=40), nullable=True),
        sa.Column('skill_group', sa.String(length=64), nullable=True),
        sa.Column('visitor_id', sa.String(length=40), nullable=True),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_center_at', ['center_id', 'at'], unique=False)
        batch_op.create_index('ix_events_center_type_at', ['center_id', 'type', 'at'], unique=False)
        batch_op.create_index('ix_events_conversation', ['conversation_id', 'id'], unique=False)
        batch_op.create_index('ix_events_agent_at', ['agent_id', 'at'], unique=False)

    op.create_table(
        'conversation_participants',
        sa.Column('conversation_id', sa.String(length=40), nullable=False),
        sa.Column('participant_id', sa.String(length=40), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('role', sa.String(length=16), nullable=False),
        sa.Column('mode', sa.String(length=16), nullable=True),
        sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('left_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], ),
        sa.PrimaryKeyConstraint('conversation_id', 'participant_id', 'joined_at'),
    )
    with op.batch_alter_table('conversation_participants', schema=None) as batch_op:
        batch_op.create_index('ix_participants_open', ['participant_id', 'left_at'], unique=False)

    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('visibility', sa.String(length=8), nullable=False,
                                      server_default='public'))

    with op.batch_alter_table('agents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('disabled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))
        # Bumped when a password changes or the account is disabled: tokens issued
        # before carry the old epoch and stop working at once.
        batch_op.add_column(sa.Column('token_epoch', sa.Integer(), nullable=False, server_default='0'))

    with op.batch_alter_table('centers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('settings', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('centers', schema=None) as batch_op:
        batch_op.drop_column('settings')
    with op.batch_alter_table('agents', schema=None) as batch_op:
        batch_op.drop_column('token_epoch')
        batch_op.drop_column('deleted_at')
        batch_op.drop_column('disabled_at')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_column('visibility')
    with op.batch_alter_table('conversation_participants', schema=None) as batch_op:
        batch_op.drop_index('ix_participants_open')
    op.drop_table('conversation_participants')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_agent_at')
        batch_op.drop_index('ix_events_conversation')
        batch_op.drop_index('ix_events_center_type_at')
        batch_op.drop_index('ix_events_center_at')
    op.drop_table('events')
