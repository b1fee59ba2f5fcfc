"""The knowledge base (知识库): articles, their review workflow and their search.

protocol.py is the interface the FAQ bot and agent assist use (KnowledgeSearch);
search.py implements it over the index of published articles (index_sql.py), on
SQLite FTS5 or PostgreSQL, with the words cut by jieba (segmenter.py)."""
