"""departments: a tree per center (部门); agents.department_id, skill_groups.department_id

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02

Another branch adds 0011 at the same time; the integrator re-chains this one after it.
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'departments',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('center_id', sa.String(length=64), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('parent_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['center_id'], ['centers.id']),
        sa.ForeignKeyConstraint(['parent_id'], ['departments.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('center_id', 'parent_id', 'name'),
    )
    for table in ('agents', 'skill_groups'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('department_id', sa.Integer(), nullable=True))
            batch_op.create_foreign_key(f'fk_{table}_department_id', 'departments',
                                        ['department_id'], ['id'])


def downgrade() -> None:
    for table in ('skill_groups', 'agents'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f'fk_{table}_department_id', type_='foreignkey')
            batch_op.drop_column('department_id')
    op.drop_table('departments')
