"""Browsing now (正在访问): who is on the center's site at this moment, one entity per center.

Every gateway replica tells it of its visitor sockets (`Present` on open and, batched,
as each socket's heartbeat; `Viewed` per page; `Left` on close), so the list is the
same whichever replica an agent asks. Each socket holds a lease (actors/agent/leases.py):
one whose gateway died is not renewed and lapses within a lease. A visitor whose last
socket closed stays listed for a short grace, so following a link to the next page of
a multi-page site (a new socket) does not drop them or reset their time on site.

It also runs the center's auto-invite rule: after `after_s` on a page matching the
pattern, it asks the visitor's entity to invite them on the center's behalf, once
per stay.

Bounded (DESIGN.md decision 13): at most `browsing_max_visitors` visitors are held
(KEFU_BROWSING_MAX_VISITORS, default 5000; beyond it new arrivals are not listed),
and of each only the current page (every page is in the page_views table).

Durable: nothing (page views are stored by the gateways). Rebuilt after a restart:
from the gateways' next heartbeats, within one heartbeat; counts of pages seen
start again from then.
"""

from __future__ import annotations

import fnmatch
import time
from dataclasses import dataclass, field, replace
from typing import Any

from actors.agent.leases import SocketLeases
from actors.browsing.protocol import (KIND, AutoInviteDue, BrowsingEntry, BrowsingList, BrowsingVisitor,
                                      GetBrowsing, InvitationPending, IsBrowsing,
                                      Left, PageShown, Present, Reload, Renew, SweepDue, Viewed)
from actors.center.protocol import CenterSettings, GetSettings, InvitationSettings, center_ref
from actors.runtime.entity import Entity
from actors.visitor.protocol import Invite, visitor_ref

# How long the auto-invite rule's settings are trusted before asking the center again
# (an admin's change also reaches this entity at once, as `Reload`).
SETTINGS_TTL_S = 30.0


@dataclass
class Browser:
    visitor: BrowsingVisitor
    arrived_at: float
    sockets: SocketLeases
    page: PageShown | None = None
    pages_viewed: int = 0
    invited: bool = False
    auto_invited: bool = False


@dataclass
class _Cached:
    settings: InvitationSettings = field(default_factory=InvitationSettings)
    at: float = float("-inf")


class Browsing(Entity):
    kind = KIND

    async def on_activate(self) -> None:
        self.browsers: dict[str, Browser] = {}
        self.cached = _Cached()
        self.sweep_at: float | None = None

    def evictable(self) -> bool:
        return not self.browsers and super().evictable()

    async def receive(self, command: Any) -> Any:
        match command:
            case Present():
                await self._present(command)
            case Renew(presents=presents):
                for present in presents:
                    await self._present(present)
            case Viewed():
                await self._viewed(command)
            case Left(visitor_id=vid, socket_id=sid):
                self._left(vid, sid)
            case InvitationPending(visitor_id=vid, pending=pending):
                if vid in self.browsers:
                    self.browsers[vid].invited = pending
            case SweepDue():
                self._sweep()
            case AutoInviteDue():
                self._auto_invite_due(command)
            case Reload():
                self.cached = _Cached()
            case IsBrowsing(visitor_id=vid):
                return vid in self.browsers
            case GetBrowsing(limit=limit):
                return self._list(limit)
        return None

    # -- presence ---------------------------------------------------------------------------

    async def _present(self, command: Present) -> None:
        now = self.services.clock()
        browser = self.browsers.get(command.visitor_id)
        if browser is None:
            if len(self.browsers) >= self.services.settings.browsing_max_visitors:
                return  # full: listed once someone leaves
            browser = self.browsers[command.visitor_id] = Browser(
                command.visitor, min(command.opened_at, now),
                SocketLeases(self.services.settings.visitor_lease_s))
            if command.page is not None:
                browser.page, browser.pages_viewed = command.page, 1
                await self._arm_auto_invite(command.visitor_id, browser)
        else:
            browser.visitor = command.visitor
            if command.page is not None and (browser.page is None or command.page.since > browser.page.since):
                browser.page = command.page
        browser.sockets.renew(command.socket_id, now)
        self._arm_sweep()

    async def _viewed(self, command: Viewed) -> None:
        browser = self.browsers.get(command.visitor_id)
        if browser is None:
            return  # its Present was refused (full) or lapsed; the next heartbeat brings it
        browser.page = command.page
        browser.pages_viewed += 1
        if command.source is not None:
            browser.visitor = replace(browser.visitor, source=command.source)
        browser.sockets.renew(command.socket_id, self.services.clock())
        await self._arm_auto_invite(command.visitor_id, browser)

    def _left(self, visitor_id: str, socket_id: str) -> None:
        browser = self.browsers.get(visitor_id)
        if browser is None:
            return
        browser.sockets.drop(socket_id)
        if not browser.sockets:
            browser.sockets.expect(self.services.clock(), self.services.settings.visitor_leave_grace_s)
            self._arm_sweep(browser.sockets.next_expiry())

    def _sweep(self) -> None:
        now = self.services.clock()
        self.sweep_at = None
        for visitor_id in list(self.browsers):
            browser = self.browsers[visitor_id]
            browser.sockets.expire(now)
            if not browser.sockets:
                del self.browsers[visitor_id]
                self.cancel(f"auto:{visitor_id}")
        self._arm_sweep()

    def _arm_sweep(self, lapse: float | None = None) -> None:
        """One timer for every lease, at the earliest lapse. A renewal only moves a lapse
        later, so only a sooner one (`lapse`, a visitor's grace) moves the timer; the
        earliest of all is looked for once a sweep, not on every renewal."""
        if not self.browsers:
            self.cancel("sweep")
            self.sweep_at = None
            return
        if "sweep" in self._timers and (lapse is None or self.sweep_at <= lapse):
            return
        if lapse is None:
            lapse = min(b.sockets.next_expiry() or 0.0 for b in self.browsers.values())
        self.sweep_at = lapse
        self.schedule("sweep", max(0.0, lapse - self.services.clock()), SweepDue())

    # -- the auto-invite rule -----------------------------------------------------------------

    async def _invitation_settings(self) -> InvitationSettings:
        now = time.monotonic()
        if now - self.cached.at > SETTINGS_TTL_S:
            settings = await self.ask(center_ref(self.key), GetSettings())
            self.cached = _Cached(settings.invitations if isinstance(settings, CenterSettings)
                                  else InvitationSettings(), now)
        return self.cached.settings

    async def _arm_auto_invite(self, visitor_id: str, browser: Browser) -> None:
        self.cancel(f"auto:{visitor_id}")
        if browser.auto_invited or browser.invited or browser.page is None:
            return
        rule = await self._invitation_settings()
        if not (rule.enabled and rule.auto.enabled):
            return
        if not fnmatch.fnmatchcase(browser.page.url, rule.auto.url_pattern):
            return
        self.schedule(f"auto:{visitor_id}", rule.auto.after_s, AutoInviteDue(visitor_id, browser.page.since))

    def _auto_invite_due(self, command: AutoInviteDue) -> None:
        browser = self.browsers.get(command.visitor_id)
        if (browser is None or browser.page is None or browser.page.since != command.since
                or browser.invited or browser.auto_invited):
            return
        browser.auto_invited = True
        # A tell: the visitor's entity decides (switch, open conversation, open invitation).
        self.tell(visitor_ref(command.visitor_id), Invite(self.key, None, None, None))

    # -- the list --------------------------------------------------------------------------------

    def _list(self, limit: int) -> BrowsingList:
        newest = sorted(self.browsers.items(), key=lambda item: item[1].arrived_at, reverse=True)
        return BrowsingList(tuple(
            BrowsingEntry(visitor_id, b.visitor, b.page, b.pages_viewed, b.arrived_at, b.invited)
            for visitor_id, b in newest[:max(0, limit)]), len(self.browsers))
