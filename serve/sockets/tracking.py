"""What a visitor socket reports of its visitor: where from and with what on opening,
each page shown (`page.view`), and when it closes (which ends the last page's dwell).

Page views are stored by the socket's gateway (actors/store/tracking.py) and limited
per socket (`page_view_rate`, on top of the frame budget); the center's browsing
entity hears of each (serve/visitor_presence.py).
"""

from __future__ import annotations

import asyncio
import logging

from fastapi import WebSocket

from actors.browsing.protocol import BrowsingVisitor, PageShown, Present
from actors.store import tracking as store
from actors.store.clock import utcnow
from serve import frames
from serve.connection import Connection
from serve.device import describe
from serve.frame_rate import FrameBudget
from serve.region import Location
from serve.runtime import GatewayRuntime
from serve.sockets.common import error

log = logging.getLogger(__name__)


class SocketTrack:
    def __init__(self, connection: Connection, rt: GatewayRuntime) -> None:
        self.connection, self.rt = connection, rt
        self.visitor_id = connection.principal.id
        self.budget = FrameBudget(rt.settings.page_view_rate)
        self.page_view_id: int | None = None

    async def arrive(self, websocket: WebSocket) -> None:
        peer = websocket.client.host if websocket.client else None
        where = self.rt.regions.location(peer, websocket.headers.get("x-forwarded-for"))
        device = describe(websocket.headers.get("user-agent"))
        now = utcnow()
        seen = BrowsingVisitor(region=where.display, device=device.type, browser=device.browser,
                               os=device.os)
        try:
            row = await store.record_arrival(self.rt.db, self.visitor_id, store.Seen(
                where.code, where.country, where.province, where.city, device.type, device.os,
                device.browser), now)
        except Exception:  # tracking must never cost the visitor their chat
            log.exception("recording the arrival of %s failed", self.visitor_id)
            row = None
        if row is not None:
            seen = BrowsingVisitor(name=row.name, source=store.source_of(row).display,
                                   region=Location(row.country, row.province, row.city).display,
                                   device=row.device_type, browser=row.browser, os=row.os,
                                   visits=row.visits or 1)
        self.rt.presence.arrived(Present(self.rt.center_id, self.visitor_id, self.connection.id,
                                         now.timestamp(), seen))

    async def page_view(self, frame: frames.PageViewFrame) -> None:
        if not self.budget.take():
            self.connection.send({**error("rate_limited", "too many page views; this one was dropped"),
                                  "retry_after_s": round(self.budget.retry_after_s(), 3)})
            return
        now = utcnow()
        self.page_view_id, source = await store.record_page_view(
            self.rt.db, self.rt.center_id, self.visitor_id, frame.url, frame.title, frame.referrer,
            now, self.page_view_id)
        self.rt.presence.viewed(self.connection.id, PageShown(frame.url, frame.title, now.timestamp()),
                                source.display if source is not None else None)

    def close(self) -> None:
        """The socket closed: off the list, and the last page's dwell ends now. Written from
        a task of its own: the socket's handler may be cancelled as it closes."""
        self.rt.presence.left(self.connection.id)
        if self.page_view_id is not None:
            task = asyncio.get_running_loop().create_task(self._end_dwell(self.page_view_id, utcnow()))
            _closing.add(task)
            task.add_done_callback(_closing.discard)

    async def _end_dwell(self, page_view_id: int, now) -> None:
        try:
            await store.end_page_view(self.rt.db, page_view_id, self.visitor_id, now)
        except Exception:  # the socket is gone either way; the page keeps no dwell
            log.exception("ending the dwell of page view %s failed", page_view_id)


# Dwell writes in flight (a task nobody references may be collected before it runs).
_closing: set[asyncio.Task] = set()
