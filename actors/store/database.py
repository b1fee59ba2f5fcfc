"""Engines and migrations for SQLite (embedded default) and PostgreSQL (production).

Same SQLAlchemy code on both (DESIGN.md decision 3); the schema is managed by
the Alembic migrations in `actors/store/migrations/`.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, URL, event
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_POOL = 4  # connections per process


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str, pool_size: int = 10) -> AsyncEngine:
    if is_sqlite(url):
        path = make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # Several processes (shards, gateway) write the same file: WAL lets readers
        # run beside the writer, and the busy timeout turns lock contention into a
        # wait. That wait is SQLite polling with sleeps of up to 100 ms, during which
        # the lock may sit idle, so writers must be few: a shard's writes go through
        # its group commit (one transaction at a time), and a small pool bounds the
        # rest while letting reads run side by side.
        engine = create_async_engine(url, connect_args={"timeout": 30}, pool_size=SQLITE_POOL,
                                     max_overflow=0, pool_timeout=120)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)


def create_writer_engine(url: str) -> AsyncEngine:
    """The engine a shard's group commit is built on (actors/store/group_commit.py).

    On PostgreSQL the group commit writes through it (the fence locks the agents'
    rows). On SQLite it writes through a SqliteWriter of its own and only reads
    through this engine (the stored message a resent one matched), so this is an
    ordinary engine: a read must not take the write lock, nor fail at once when
    another shard holds it.
    """
    return create_engine(url, pool_size=1 if is_sqlite(url) else 2)


T = TypeVar("T")


class SqliteWriter:
    """A group commit's transactions on SQLite, each run whole on a thread of its own.

    Each takes the write lock at BEGIN (BEGIN IMMEDIATE) and does not wait for it
    inside SQLite: SQLite's own wait polls with sleeps growing to 100 ms, and measured
    in an ACD burst, commits of two rows took 40-90 ms behind the other shard's
    commits while the lock sat idle most of that time. The group commit retries a
    refused BEGIN itself after a fraction of a millisecond, without blocking its
    event loop. Holding the lock from BEGIN is also what makes the fence of a grant
    exact: the check of an agent's incarnation and the record it guards run under
    one lock.

    Through aiosqlite every statement is a hop to the connection's thread and back
    (a queue, a future, a wake of the event loop), and SQLAlchemy's async layer adds
    a greenlet switch on top: BEGIN, four or five executemany and COMMIT made a
    transaction cost about as much CPU as the writes themselves. Here the
    transaction is one hop: a plain sqlite3 connection (the same pragmas, BEGIN
    IMMEDIATE) runs `work(connection, ...)` on one dedicated thread, so the
    connection never changes threads, and the event loop waits for the outcome
    as for any other future."""

    def __init__(self, url: URL | str) -> None:
        sync_url = make_url(url).set(drivername="sqlite+pysqlite")
        self.engine = create_sync_engine(sync_url, pool_size=1, max_overflow=0, pool_timeout=120,
                                         connect_args={"check_same_thread": False})
        event.listen(self.engine, "connect", _sqlite_writer_pragmas)
        event.listen(self.engine, "begin", _begin_immediate)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-writer")

    async def transaction(self, work: Callable[..., T], *args: Any) -> T:
        """`work(connection, *args)` inside BEGIN IMMEDIATE ... COMMIT (rolled back if it raises)."""
        return await asyncio.get_running_loop().run_in_executor(self._thread, self._run, work, args)

    def _run(self, work: Callable[..., T], args: tuple) -> T:
        connection: Connection
        with self.engine.begin() as connection:
            return work(connection, *args)

    def close(self) -> None:
        self._thread.submit(self.engine.dispose)
        self._thread.shutdown(wait=False)


def _sqlite_writer_pragmas(dbapi_connection, record) -> None:
    _sqlite_pragmas(dbapi_connection, record)
    # The driver's own implicit BEGIN off: _begin_immediate says how to begin.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=0")
    cursor.close()


def _begin_immediate(conn) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def is_lock_busy(error: BaseException) -> bool:
    """SQLite refused the write lock (another process holds it)."""
    text = str(getattr(error, "orig", error)).lower()
    return "database is locked" in text or "database is busy" in text


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # NORMAL in WAL mode survives a process crash; only a power cut may lose the
    # last commits, which the production PostgreSQL setup covers.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def new_postgres_database(url: str, prefix: str) -> str:
    """Create an empty PostgreSQL database beside the one `url` names and return its
    URL: a test run or benchmark gets a database of its own. Blocking."""
    import uuid

    import asyncpg

    base = make_url(url)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"

    async def create() -> None:
        conn = await asyncpg.connect(user=base.username, host=base.host, port=base.port or 5432,
                                     database=base.database, password=base.password)
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    asyncio.run(create())
    return base.set(database=name).render_as_string(hide_password=False)


def sessionmaker(engine: AsyncEngine) -> async_sessionmaker:
    return async_sessionmaker(engine, expire_on_commit=False)


def _alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(url: str) -> None:
    """Bring the schema to the newest revision (safe to call on every start)."""
    if is_sqlite(url):
        path = make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(_alembic_config(url), "head")


async def migrate_async(url: str) -> None:
    await asyncio.to_thread(migrate, url)
