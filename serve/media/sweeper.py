"""Attachments uploaded and never sent are deleted after a day (DESIGN.md decision 13:
only the upload rate bounded them before).

Each gateway replica that took an upload sweeps every `SWEEP_EVERY_S` while it runs:
rows older than `KEFU_UNSENT_ATTACHMENT_TTL_S` that no message carries go first (a
row a message took meanwhile stays), then their bytes. Replicas sweeping at once
delete each row once; a blob already gone is no error.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from actors.store import attachments as store
from actors.store.clock import utcnow

log = logging.getLogger(__name__)

SWEEP_EVERY_S = 3600.0
BATCH = 500


async def sweep_unsent(db, blobs, older_than_s: float) -> int:
    """One pass: deletes unsent attachments older than `older_than_s`; how many."""
    cutoff = utcnow() - timedelta(seconds=older_than_s)
    deleted = 0
    while True:
        rows = await store.unsent_before(db, cutoff, BATCH)
        for row in rows:
            if not await store.forget_unsent(db, row.id):
                continue  # a message carries it now
            for key in (row.blob_key, row.thumbnail_key):
                if key:
                    await blobs.delete(key)
            deleted += 1
        if len(rows) < BATCH:
            return deleted


class UnsentSweeper:
    def __init__(self, runtime) -> None:
        self.rt = runtime
        self._task: asyncio.Task | None = None

    def ensure_running(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._sweep_forever())

    async def _sweep_forever(self) -> None:
        while True:
            try:
                removed = await sweep_unsent(self.rt.db, self.rt.blobs, self.rt.settings.unsent_attachment_ttl_s)
                if removed:
                    log.info("deleted %d attachments never sent", removed)
            except Exception:  # the database is away: try at the next sweep
                log.exception("sweeping unsent attachments failed")
            await asyncio.sleep(SWEEP_EVERY_S)
