"""Knowledge search: does it find the article a paraphrased question asks about, and how
fast at 10,000 articles.

A generated corpus (benchmarks/lib/knowledge_corpus.py: deterministic, Chinese and
English, products x tasks, one paraphrase per article in other words than the
title's) is published into a fresh SQLite file through the store's rows and index
(benchmarks/lib/knowledge_load.py), and each paraphrase is searched through the
KnowledgeSearch interface the help center, the desk and the bot use
(actors/knowledge/search.py), public articles only:

- kb_top3_hit_rate: the share of paraphrases whose article is among the first 3;
- kb_top1_hit_rate: ... is the first;
- kb_search_p50_ms / kb_search_p95_ms: one search, with filler articles added up to
  10,000 (2,000 with --quick), the paraphrases asked again.

With KEFU_BENCH_DATABASE_URL set (a PostgreSQL database URL) the same runs on
PostgreSQL too (kb_pg_* metrics), in a database of its own that it drops afterwards.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from pathlib import Path

from actors.knowledge.search import SqlKnowledgeSearch
from actors.store import accounts
from actors.store.database import create_engine, migrate_async, new_postgres_database, sessionmaker
from benchmarks.lib.fragment import common_args, metric, write_fragment
from benchmarks.lib.knowledge_corpus import filler, generate
from benchmarks.lib.knowledge_load import load
from benchmarks.lib.stats import summarize

CENTER = "bench"


async def measure(url: str, total: int) -> dict:
    await migrate_async(url)
    engine = create_engine(url)
    try:
        db = sessionmaker(engine)
        await accounts.ensure_center(db, CENTER, "Bench", {"default_skill_group": "g"})
        corpus = generate()
        ids = await load(db, CENTER, corpus)
        search = SqlKnowledgeSearch(db)

        async def ranks() -> list[int | None]:
            found = []
            for paraphrase in corpus.paraphrases:
                hits = await search.search(CENTER, paraphrase.text, visibility="public", limit=3)
                ranked = [h.article_id for h in hits]
                target = ids[paraphrase.article_key]
                found.append(ranked.index(target) if target in ranked else None)
            return found

        small = await ranks()
        await load(db, CENTER, type(corpus)([], [], []), filler(total - len(corpus.articles)), id_prefix="kb_filler")
        await ranks()  # warm: caches, jieba, the database's pages
        samples = []
        for paraphrase in corpus.paraphrases:
            started = time.perf_counter()
            await search.search(CENTER, paraphrase.text, visibility="public", limit=5)
            samples.append((time.perf_counter() - started) * 1000)
        large = await ranks()
        return {"articles": len(corpus.articles), "questions": len(small),
                "top3": sum(r is not None for r in small) / len(small),
                "top1": sum(r == 0 for r in small) / len(small),
                "top3_large": sum(r is not None for r in large) / len(large), "samples": samples}
    finally:
        await engine.dispose()


async def drop_database(url: str) -> None:
    import asyncpg
    from sqlalchemy.engine import make_url

    target = make_url(url)
    conn = await asyncpg.connect(user=target.username, host=target.host, port=target.port or 5432,
                                 database="postgres", password=target.password)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{target.database}"')
    finally:
        await conn.close()


def main() -> None:
    args = common_args(__doc__).parse_args()
    total = 2000 if args.quick else 10_000
    runs = []
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-kb-") as tmp:
        runs.append(("kb", "sqlite", f"sqlite+aiosqlite:///{Path(tmp) / 'kb.db'}"))
        pg = os.environ.get("KEFU_BENCH_DATABASE_URL")
        if pg:
            runs.append(("kb_pg", "postgres", new_postgres_database(pg, "kefu_bench_kb")))
        else:
            notes.append("knowledge_search: PostgreSQL not measured (set KEFU_BENCH_DATABASE_URL)")
        metrics: dict[str, dict] = {}
        series: dict[str, list[float]] = {}
        for prefix, label, url in runs:
            try:
                result = asyncio.run(measure(url, total))
            finally:
                if label == "postgres":
                    asyncio.run(drop_database(url))
            timing = summarize(result["samples"])
            metrics[f"{prefix}_top3_hit_rate"] = metric(result["top3"], "share", None, ">= 0.9")
            metrics[f"{prefix}_top1_hit_rate"] = metric(result["top1"], "share")
            metrics[f"{prefix}_search_p50_ms"] = metric(timing["p50"], "ms")
            metrics[f"{prefix}_search_p95_ms"] = metric(timing["p95"], "ms", None, "<= 50")
            series[f"cdf:knowledge search {label} {total} articles"] = result["samples"]
            notes.append(f"knowledge_search {label}: {result['questions']} paraphrases of {result['articles']} "
                         f"articles; top-3 hit rate {result['top3']:.3f} alone, {result['top3_large']:.3f} "
                         f"among {total} articles; search timed at {total} articles")
    write_fragment(args.out, metrics, series=series, notes=notes)


if __name__ == "__main__":
    main()
