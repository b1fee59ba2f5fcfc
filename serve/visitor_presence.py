"""The replica's visitor sockets, reported to the center's browsing entity.

Each socket tells the entity when it opens, on every page and when it closes; and
this replica renews all its sockets' leases together, every `visitor_heartbeat_s`,
in batched tells (one per `RENEW_BATCH` sockets), so ten thousand browsing visitors
cost a few tells a heartbeat, not ten thousand. Should the replica die, the
renewals stop and its visitors drop off the list within a lease
(actors/browsing/entity.py).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

from actors.browsing.protocol import Left, PageShown, Present, Renew, Viewed, browsing_ref

log = logging.getLogger(__name__)

RENEW_BATCH = 500


class VisitorPresence:
    def __init__(self, runtime) -> None:
        self.rt = runtime
        self.present: dict[str, Present] = {}  # socket id -> its latest Present
        self._heartbeat: asyncio.Task | None = None

    def arrived(self, present: Present) -> None:
        self.present[present.socket_id] = present
        self.rt.tell(browsing_ref(present.center_id), present)
        if self._heartbeat is None or self._heartbeat.done():
            self._heartbeat = asyncio.get_running_loop().create_task(self._renew_forever())

    def viewed(self, socket_id: str, page: PageShown, source: str | None) -> None:
        present = self.present.get(socket_id)
        if present is None:
            return
        visitor = replace(present.visitor, source=source) if source is not None else present.visitor
        self.present[socket_id] = replace(present, page=page, visitor=visitor)
        self.rt.tell(browsing_ref(present.center_id), Viewed(present.visitor_id, socket_id, page, source))

    def left(self, socket_id: str) -> None:
        present = self.present.pop(socket_id, None)
        if present is not None:
            self.rt.tell(browsing_ref(present.center_id), Left(present.visitor_id, socket_id))

    def renew(self) -> None:
        by_center: dict[str, list[Present]] = {}
        for present in self.present.values():
            by_center.setdefault(present.center_id, []).append(present)
        for center_id, presents in by_center.items():
            for start in range(0, len(presents), RENEW_BATCH):
                self.rt.tell(browsing_ref(center_id), Renew(tuple(presents[start:start + RENEW_BATCH])))

    async def _renew_forever(self) -> None:
        while self.present:
            await asyncio.sleep(self.rt.settings.visitor_heartbeat_s)
            try:
                self.renew()
            except Exception:  # a tell that cannot leave now; the next heartbeat retries
                log.exception("renewing visitor presence failed")
