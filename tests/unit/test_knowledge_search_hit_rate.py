"""The knowledge search answers paraphrased questions (benchmarks/lib/knowledge_corpus.py):
on a smaller corpus than the benchmark's, the right article is in the top 3 for at
least 90% of them, in Chinese and in English, with the center dictionary's nicknames."""

from __future__ import annotations

from actors.knowledge.search import SqlKnowledgeSearch
from actors.store import accounts
from actors.store.database import create_engine, migrate_async, sessionmaker
from benchmarks.lib.knowledge_corpus import generate
from benchmarks.lib.knowledge_load import load


async def test_paraphrased_questions_find_their_article_in_the_top_3(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'kb.db'}"
    await migrate_async(url)
    engine = create_engine(url)
    try:
        db = sessionmaker(engine)
        await accounts.ensure_center(db, "c1", "Center", {"default_skill_group": "g"})
        corpus = generate(products_per_language=8)
        ids = await load(db, "c1", corpus)
        search = SqlKnowledgeSearch(db)
        hits = {"zh": [], "en": []}
        for paraphrase in corpus.paraphrases:
            found = [h.article_id for h in await search.search("c1", paraphrase.text, visibility="public", limit=3)]
            hits[paraphrase.article_key[:2]].append(ids[paraphrase.article_key] in found)
        for language, results in hits.items():
            assert len(results) == 80
            assert sum(results) / len(results) >= 0.9, (language, sum(results))
    finally:
        await engine.dispose()
