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
from actors.routing.salvage import salvage_center_routing
from actors.routing.types import CenterRouting
from actors.runtime.entity import Entity
from actors.runtime.replies import Rejected
from actors.store.centers import get_center, routing_config

log = logging.getLogger(__name__)


async def load_routing(db, center_id: str) -> CenterRouting | None:
    """The stored routing. The admin API refuses what the router cannot use, but a
    row stored otherwise (an older version, a hand edit) is left out with a
    warning rather than failing every chat request of the center."""
    config = await routing_config(db, center_id)
    if config is None:
        return None
    routing, problems = salvage_center_routing(config)
    for problem in problems:
        log.warning("center %s: stored routing: %s", center_id, problem)
    return routing


async def load_settings(db, center_id: str) -> CenterSettings:
    row = await get_center(db, center_id)
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
