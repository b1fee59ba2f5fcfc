"""knowledge base (知识库): knowledge_categories, knowledge_articles, knowledge_versions,
knowledge_workflow, knowledge_dictionary; knowledge_search, the full-text index of the
published articles (FTS5 on SQLite, a weighted tsvector under GIN on PostgreSQL,
actors/knowledge/index_sql.py). Every existing center gets the default categories.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

# Kept here as written at this revision (actors/knowledge/categories.py has the live list).
_DEFAULT_CATEGORIES = (("Solutions", "解决方案"), ("Announcements", "公告"), ("FAQ", "常见问题"),
                       ("Procedures", "业务流程"), ("Manuals", "操作手册"))


def upgrade() -> None:
    categories = op.create_table(
        'knowledge_categories',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('center_id', sa.String(length=64), nullable=False),
        sa.Column('parent_id', sa.Integer(), nullable=True),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('name_zh', sa.String(length=100), nullable=True),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_knowledge_categories_center', 'knowledge_categories', ['center_id', 'parent_id'])
    op.create_table(
        'knowledge_articles',
        sa.Column('id', sa.String(length=40), nullable=False),
        sa.Column('center_id', sa.String(length=64), nullable=False),
        sa.Column('category_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('body_html', sa.Text(), nullable=False),
        sa.Column('keywords', sa.JSON(), nullable=False),
        sa.Column('synonyms', sa.JSON(), nullable=False),
        sa.Column('questions', sa.JSON(), nullable=False),
        sa.Column('attachments', sa.JSON(), nullable=False),
        sa.Column('visibility', sa.String(length=8), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('published_version', sa.Integer(), nullable=True),
        sa.Column('source', sa.JSON(), nullable=True),
        sa.Column('created_by', sa.String(length=40), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by', sa.String(length=40), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_knowledge_articles_center_status', 'knowledge_articles',
                    ['center_id', 'status', 'updated_at'])
    op.create_index('ix_knowledge_articles_category', 'knowledge_articles', ['category_id'])
    op.create_table(
        'knowledge_versions',
        sa.Column('article_id', sa.String(length=40), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('body_html', sa.Text(), nullable=False),
        sa.Column('keywords', sa.JSON(), nullable=False),
        sa.Column('synonyms', sa.JSON(), nullable=False),
        sa.Column('questions', sa.JSON(), nullable=False),
        sa.Column('category_id', sa.Integer(), nullable=False),
        sa.Column('visibility', sa.String(length=8), nullable=False),
        sa.Column('edited_by', sa.String(length=40), nullable=False),
        sa.Column('edited_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['article_id'], ['knowledge_articles.id']),
        sa.PrimaryKeyConstraint('article_id', 'version'),
    )
    op.create_table(
        'knowledge_workflow',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('article_id', sa.String(length=40), nullable=False),
        sa.Column('action', sa.String(length=12), nullable=False),
        sa.Column('by', sa.String(length=40), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('comment', sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(['article_id'], ['knowledge_articles.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_knowledge_workflow_article', 'knowledge_workflow', ['article_id', 'id'])
    op.create_table(
        'knowledge_dictionary',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('center_id', sa.String(length=64), nullable=False),
        sa.Column('term', sa.String(length=64), nullable=False),
        sa.Column('synonyms', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('center_id', 'term'),
    )
    if op.get_bind().dialect.name == 'sqlite':
        # One row per published article; the term columns hold jieba's words joined by
        # spaces (bm25 weighs them per column), the rest is what a hit shows.
        op.execute("CREATE VIRTUAL TABLE knowledge_search USING fts5("
                   "title_terms, question_terms, keyword_terms, body_terms, "
                   "article_id UNINDEXED, center_id UNINDEXED, visibility UNINDEXED, "
                   "category_id UNINDEXED, title UNINDEXED, body_text UNINDEXED, "
                   "tokenize = 'unicode61 remove_diacritics 0')")
    else:
        op.execute("CREATE TABLE knowledge_search ("
                   "article_id VARCHAR(40) PRIMARY KEY, center_id VARCHAR(64) NOT NULL, "
                   "visibility VARCHAR(8) NOT NULL, category_id INTEGER NOT NULL, "
                   "title TEXT NOT NULL, body_text TEXT NOT NULL, words TEXT NOT NULL, "
                   "terms TSVECTOR NOT NULL)")
        op.execute("CREATE INDEX ix_knowledge_search_terms ON knowledge_search USING GIN (terms)")
    centers = [row[0] for row in op.get_bind().execute(sa.text("SELECT id FROM centers"))]
    op.bulk_insert(categories, [{"center_id": center, "parent_id": None, "name": name, "name_zh": zh,
                                 "position": position}
                                for center in centers
                                for position, (name, zh) in enumerate(_DEFAULT_CATEGORIES)])


def downgrade() -> None:
    op.execute("DROP TABLE knowledge_search")
    op.drop_table('knowledge_dictionary')
    op.drop_index('ix_knowledge_workflow_article', table_name='knowledge_workflow')
    op.drop_table('knowledge_workflow')
    op.drop_table('knowledge_versions')
    op.drop_index('ix_knowledge_articles_category', table_name='knowledge_articles')
    op.drop_index('ix_knowledge_articles_center_status', table_name='knowledge_articles')
    op.drop_table('knowledge_articles')
    op.drop_index('ix_knowledge_categories_center', table_name='knowledge_categories')
    op.drop_table('knowledge_categories')
