"""staff chat (内部对话): messages between two staff members and how far each has read

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'staff_messages',
        sa.Column('thread', sa.String(length=200), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('center_id', sa.String(length=64), nullable=False),
        sa.Column('sender_id', sa.String(length=40), nullable=False),
        sa.Column('recipient_id', sa.String(length=40), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('client_msg_id', sa.String(length=100), nullable=True),
        sa.Column('ts', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('thread', 'seq'),
        sa.UniqueConstraint('thread', 'sender_id', 'client_msg_id'),
    )
    op.create_index('ix_staff_messages_recipient', 'staff_messages', ['recipient_id', 'thread', 'seq'])
    op.create_index('ix_staff_messages_sender', 'staff_messages', ['sender_id', 'thread'])
    op.create_table(
        'staff_reads',
        sa.Column('thread', sa.String(length=200), nullable=False),
        sa.Column('agent_id', sa.String(length=40), nullable=False),
        sa.Column('read_seq', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('thread', 'agent_id'),
    )


def downgrade() -> None:
    op.drop_table('staff_reads')
    op.drop_index('ix_staff_messages_sender', table_name='staff_messages')
    op.drop_index('ix_staff_messages_recipient', table_name='staff_messages')
    op.drop_table('staff_messages')
