"""How far we stored each forward's messages from the peer (`received_seq`), written to
the forwards table in batches.

Every message the peer sends moves a forward's cursor; a commit per message made the
cursor writes most of a forwarded message's cost. The cursor only tells a restarted link
actor where to ask the peer to resend from (its Hello), and a message resent that we
have already is recognised by its id (`fwd:<forward>:<seq>`) and stored once, so a cursor
a moment behind costs a few resends after a crash, never a loss or a double. While the
actor runs, its Hello uses the cursor in memory.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.store import forwards as store

log = logging.getLogger(__name__)

FLUSH_EVERY_S = 0.5


class ReceivedCursors:
    def __init__(self, db: async_sessionmaker) -> None:
        self.db = db
        self._moved: dict[tuple[str, str], int] = {}  # (forward, direction) -> received_seq, not stored yet

    def advance(self, key: tuple[str, str], received_seq: int) -> None:
        self._moved[key] = max(received_seq, self._moved.get(key, 0))

    async def run(self) -> None:
        while True:
            await asyncio.sleep(FLUSH_EVERY_S)
            try:
                await self.flush()
            except Exception:  # noqa: BLE001 - the next round writes them (they are kept)
                log.exception("storing forwards' cursors failed")

    async def flush(self) -> None:
        moved, self._moved = self._moved, {}
        if not moved:
            return
        try:
            await store.advance_all(self.db, moved)
        except BaseException:
            for key, seq in moved.items():
                self.advance(key, seq)
            raise
