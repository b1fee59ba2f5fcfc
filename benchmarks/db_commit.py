"""Baseline: one INSERT + COMMIT of a message-sized row, a part no relay can avoid.

Uses the center's own engine settings (actors.store.database.create_engine: WAL,
synchronous=NORMAL, busy timeout on SQLite) and the center's way of writing a
message (an ORM session, one transaction per message) on a table shaped like
`messages`, in a temporary SQLite file. With KEFU_BENCH_DATABASE_URL set (e.g.
postgresql+asyncpg://postgres@127.0.0.1/test) it measures PostgreSQL too, on a
table of its own that it drops afterwards.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import BigInteger, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from tqdm import tqdm

from actors.store.database import create_engine, sessionmaker
from benchmarks.lib.fragment import common_args, metric, write_fragment
from benchmarks.lib.stats import summarize

BODY = "x" * 100


def _message_model(table_name: str) -> type:
    """A model shaped like the center's MessageRow (same columns and unique
    constraints, so the same index work per insert), under a table name of our own."""

    class Base(DeclarativeBase):
        pass

    class BenchMessage(Base):
        __tablename__ = table_name
        __table_args__ = (UniqueConstraint("conversation_id", "seq"),
                          UniqueConstraint("conversation_id", "client_msg_id"))

        id: Mapped[int] = mapped_column(
            BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
        conversation_id: Mapped[str] = mapped_column(String(40))
        seq: Mapped[int] = mapped_column(Integer)
        sender_kind: Mapped[str] = mapped_column(String(8))
        sender_id: Mapped[str] = mapped_column(String(40))
        body: Mapped[str] = mapped_column(Text)
        client_msg_id: Mapped[str | None] = mapped_column(String(100))
        ts: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    return BenchMessage


async def measure(url: str, commits: int, warmup: int, label: str) -> list[float]:
    model = _message_model(f"bench_commit_{os.getpid()}")
    engine = create_engine(url, pool_size=2)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(model.metadata.create_all)
        db = sessionmaker(engine)
        samples: list[float] = []
        loop = asyncio.get_running_loop()
        with tqdm(total=commits, desc=label, unit="commit") as bar:
            for seq in range(warmup + commits):
                started = loop.time()
                async with db() as session, session.begin():
                    session.add(model(conversation_id="c-0123456789abcdef", seq=seq, sender_kind="visitor",
                                      sender_id="v-0123456789abcdef", body=BODY,
                                      client_msg_id=f"m-{seq}", ts=datetime.now(UTC)))
                if seq >= warmup:
                    samples.append((loop.time() - started) * 1000)
                    bar.update()
        async with engine.begin() as connection:
            await connection.run_sync(model.metadata.drop_all)
        return samples
    finally:
        await engine.dispose()


def main() -> None:
    args = common_args(__doc__).parse_args()
    commits, warmup = (200, 20) if args.quick else (2000, 100)
    runs: list[tuple[str, str, str]] = []  # (metric prefix, label, url)
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-db-") as tmp:
        runs.append(("db_commit", "sqlite commit", f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"))
        pg_url = os.environ.get("KEFU_BENCH_DATABASE_URL")
        if pg_url:
            runs.append(("db_commit_pg", "postgres commit", pg_url))
        else:
            notes.append("db_commit: PostgreSQL not measured (set KEFU_BENCH_DATABASE_URL)")
        metrics: dict[str, dict] = {}
        series: dict[str, list[float]] = {}
        for prefix, label, url in runs:
            samples = asyncio.run(measure(url, commits, warmup, label))
            summary = summarize(samples)
            metrics[f"{prefix}_p50_ms"] = metric(summary["p50"], "ms")
            metrics[f"{prefix}_p99_ms"] = metric(summary["p99"], "ms")
            series[f"cdf:{label}"] = samples
    write_fragment(args.out, metrics, series=series, notes=notes)


if __name__ == "__main__":
    main()
