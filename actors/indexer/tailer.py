"""The indexer's work: tail the messages table by id and write the words of each new
message to the full-text index (actors/store/message_index.py), in batches.

Nothing of it runs in a message's commit or on a shard's loop: cutting words with
jieba cost the relay 4 ms of p50 and half its throughput when it did. The price is
that a message becomes searchable a moment after it is acknowledged (README.md,
chat records: the measured bound).

The cursor (actors/store/index_cursor.py) is the id up to which every message is
indexed; it is written with the index rows it covers, so a restarted indexer
resumes there and indexes the messages written while it was down.

Ids are taken when a row is inserted, not when it commits. On SQLite writers take
turns (one write lock), so rows become visible in id order. On PostgreSQL two
shards commit at once: id 101 may be visible while 100's transaction is still open.
An id skipped over is a hole: looked for on every pass until it appears, or given
up after HOLE_WAIT_S (a rolled back insert leaves its id unused forever). The
stored cursor stays below the lowest hole, so nothing is skipped across a restart;
the rows above it are written again then, which leaves one row each.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.store.clock import as_utc, utcnow
from actors.store.index_cursor import move_cursor, read_cursor
from actors.store.message_index import IndexEntry, write_entries
from actors.store.schema import MessageRow
from actors.store.text_segmentation import documents_terms, load_dictionary

log = logging.getLogger(__name__)
CURSOR = "message_search"
BATCH = 200  # messages per transaction: bounds how long SQLite's write lock is held
IDLE_POLL_S = 0.1  # between passes that found nothing new
HOLE_WAIT_S = 30.0  # longer than any write transaction of the group commit
MAX_HOLES = 10_000  # ids skipped beyond this many are taken for gone at once
_COLUMNS = (MessageRow.id, MessageRow.conversation_id, MessageRow.seq, MessageRow.visibility,
            MessageRow.body, MessageRow.ts)


@dataclass(frozen=True)
class IndexerStats:
    started_from: int  # the stored cursor this run began at
    started_at: datetime | None  # when this run began (a restart is a new run)
    cursor: int
    indexed: int  # messages this run
    holes: int
    # From a message's commit time (its ts) to its index row's commit, over the last
    # passes that found messages: what "searchable within" means.
    lag_ms_p50: float | None
    lag_ms_max: float | None


class MessageIndexer:
    def __init__(self, db: async_sessionmaker) -> None:
        self.db = db
        self._holes_may_fill = db.kw["bind"].dialect.name != "sqlite"
        self.cursor = 0  # every id up to it is indexed (or gone)
        self._seen = 0  # the highest id indexed
        self._holes: dict[int, float] = {}  # id -> when first missed (monotonic)
        self.started_from = 0
        self.started_at: datetime | None = None
        self.indexed = 0
        self._lags_ms: deque[float] = deque(maxlen=1000)

    async def start(self) -> None:
        await load_dictionary()
        self.cursor = self._seen = self.started_from = await read_cursor(self.db, CURSOR)
        self.started_at = utcnow()

    async def index_pending(self) -> int:
        """One pass: the holes that appeared, then up to BATCH new messages, written
        in one transaction with the cursor. Returns how many messages it indexed."""
        rows = await self._fetch()
        now = time.monotonic()
        for row in rows:
            self._holes.pop(row.id, None)
        top = max((row.id for row in rows), default=self._seen)
        if self._holes_may_fill:
            present = {row.id for row in rows}
            for missing in range(self._seen + 1, min(top, self._seen + 1 + MAX_HOLES)):
                if missing not in present:
                    self._holes.setdefault(missing, now)
        for hole, since in list(self._holes.items()):
            if now - since > HOLE_WAIT_S:
                del self._holes[hole]
        self._seen = max(self._seen, top)
        cursor = min(self._holes) - 1 if self._holes else self._seen
        if not rows and cursor == self.cursor:
            return 0
        # A thread: the actor keeps answering (stats, ready) while jieba cuts.
        terms = await asyncio.to_thread(documents_terms, [row.body for row in rows])
        entries = [IndexEntry(row.id, row.conversation_id, row.seq, row.visibility or "public", words)
                   for row, words in zip(rows, terms)]
        async with self.db() as session, session.begin():
            connection = await session.connection()
            await write_entries(connection, entries)
            await move_cursor(connection, CURSOR, cursor)
        self.cursor = cursor
        self.indexed += len(rows)
        if rows:
            committed = utcnow()
            self._lags_ms.extend((committed - as_utc(row.ts)).total_seconds() * 1000 for row in rows)
        return len(rows)

    async def _fetch(self) -> list:
        async with self.db() as session:
            rows = list((await session.execute(select(*_COLUMNS).where(MessageRow.id > self._seen)
                                               .order_by(MessageRow.id).limit(BATCH))).all())
            if self._holes:
                rows += (await session.execute(select(*_COLUMNS).where(
                    MessageRow.id.in_(sorted(self._holes)[:BATCH])))).all()
        return rows

    async def run(self) -> None:
        """Pass after pass, forever; a pass that found a full batch is followed at once."""
        while True:
            try:
                found = await self.index_pending()
            except Exception:  # the database away for a moment: the next pass tries again
                log.exception("indexing messages failed; retrying")
                await asyncio.sleep(1.0)
                continue
            if found < BATCH:
                # A poll, not the bus's message events: one indexed read per 100 ms is
                # cheap, and nothing is missed while a subscription is down.
                await asyncio.sleep(IDLE_POLL_S)

    def stats(self) -> IndexerStats:
        lags = sorted(self._lags_ms)
        return IndexerStats(self.started_from, self.started_at, self.cursor, self.indexed, len(self._holes),
                            lags[len(lags) // 2] if lags else None, lags[-1] if lags else None)
