"""Center (客服中心): holds the center's routing settings and hands them out.

Routing itself is a pure function (actors.routing.rules.route) that each
conversation runs on the settings it gets here, so a burst of requests is not
funnelled through this one mailbox for more than a lookup.

It also hands out the center's other settings (limits, actors/center/settings.py).

Durable: everything (centers and skill_groups tables); the entity is a cache.
"""

from __future__ import annotations

import logging
from typing import Any

from actors.center.protocol import KIND, CenterSettings, GetSettings, Reload
from actors.center.settings import parse_center_settings
from actors.routing.rules import parse_center_routing
from actors.routing.types import CenterRouting
from actors.runtime.entity import Entity
from actors.runtime.replies import Rejected
from actors.store import accounts

log = logging.getLogger(__name__)


async def load_routing(db, center_id: str) -> CenterRouting | None:
    row = await accounts.get_center(db, center_id)
    if row is None:
        return None
    groups = await accounts.list_skill_groups(db, center_id)
    return parse_center_routing({**row.routing, "skill_groups": [
        {"name": g.name, "display_name": g.display_name, "queue_timeout_s": g.queue_timeout_s,
         "overflow_to": g.overflow_to, "work_hours": g.work_hours} for g in groups]})


async def load_settings(db, center_id: str) -> CenterSettings:
    row = await accounts.get_center(db, center_id)
    try:
        return parse_center_settings(row.settings if row is not None else None)
    except ValueError:
        # Refused by the admin API before storing; should one get in anyway, the
        # center keeps serving on the defaults.
        log.exception("center %s: unusable settings, using the defaults", center_id)
        return CenterSettings()


class Center(Entity):
    kind = KIND

    async def on_activate(self) -> None:
        self.routing = await load_routing(self.services.db, self.key)
        self.settings = await load_settings(self.services.db, self.key)

    async def receive(self, command: Any) -> Any:
        match command:
            case Reload():
                self.routing = await load_routing(self.services.db, self.key)
                self.settings = await load_settings(self.services.db, self.key)
            case GetSettings():
                return self.settings
        if self.routing is None:
            return Rejected("unknown_center", f"no center {self.key}")
        return self.routing
