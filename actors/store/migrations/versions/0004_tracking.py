"""visitor tracking: page views, returning visitors (key, visits), region, device, source

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

_VISITOR_COLUMNS = (
    ('key_hash', sa.String(length=64)),
    ('last_seen_at', sa.DateTime(timezone=True)),
    ('country', sa.String(length=8)),
    ('province', sa.String(length=32)),
    ('city', sa.String(length=64)),
    ('device_type', sa.String(length=16)),
    ('os', sa.String(length=64)),
    ('browser', sa.String(length=64)),
    ('landing_url', sa.String(length=2000)),
    ('referrer', sa.String(length=2000)),
    ('source_engine', sa.String(length=64)),
    ('source_keyword', sa.String(length=200)),
    ('source_host', sa.String(length=255)),
    ('utm', sa.JSON()),
)


def upgrade() -> None:
    with op.batch_alter_table('visitors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('visits', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('landing_visit', sa.Integer(), nullable=False,
                                      server_default='0'))
        for name, type_ in _VISITOR_COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))

    op.create_table(
        'page_views',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True,
                  nullable=False),
        sa.Column('center_id', sa.String(length=64), nullable=False),
        sa.Column('visitor_id', sa.String(length=40), nullable=False),
        sa.Column('url', sa.String(length=2000), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('referrer', sa.String(length=2000), nullable=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('dwell_s', sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(['visitor_id'], ['visitors.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('page_views', schema=None) as batch_op:
        batch_op.create_index('ix_page_views_visitor', ['visitor_id', 'at'], unique=False)


def downgrade() -> None:
    op.drop_table('page_views')
    with op.batch_alter_table('visitors', schema=None) as batch_op:
        for name, _ in reversed(_VISITOR_COLUMNS):
            batch_op.drop_column(name)
        batch_op.drop_column('landing_visit')
        batch_op.drop_column('visits')
