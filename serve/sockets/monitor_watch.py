"""`monitor.watch` / `monitor.unwatch` on the workspace socket: the live monitor, pushed.

One long poll per watching socket on the monitor actor (actors/monitor/actor.py):
the full snapshot first, then one whenever the figures change, at most one frame
per COALESCE_S, so a burst of events costs one frame and figures arrive well
within 2 s. Only supervisors and admins may watch; the role is checked on the
server for every frame.
"""

from __future__ import annotations

import asyncio
import logging

import ray

from actors.monitor.actor import find_monitor
from serve import frames
from serve.auth import Principal
from serve.connection import Connection
from serve.runtime import GatewayRuntime
from serve.monitor_view import monitor_view
from serve.sockets.common import error

log = logging.getLogger(__name__)
COALESCE_S = 0.5
RETRY_S = 1.0  # the monitor is restarting


class MonitorWatch:
    def __init__(self, connection: Connection, rt: GatewayRuntime, who: Principal) -> None:
        self.connection, self.rt, self.who = connection, rt, who
        self.task: asyncio.Task | None = None

    def handle(self, frame: frames.MonitorWatchFrame) -> None:
        if not self.who.may_oversee():
            self.connection.send(error("forbidden", "the monitor is for supervisors and admins"))
            return
        if frame.type == "monitor.unwatch":
            self.stop()
        elif self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._push())

    def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.task = None

    async def _push(self) -> None:
        version, epoch = -1, None
        while not self.connection.closed:
            try:
                snapshot = await (await find_monitor(self.rt.settings)).watch.remote(version, epoch)
            except (ValueError, ray.exceptions.RayActorError):
                log.warning("monitor unavailable; watching again shortly")
                await asyncio.sleep(RETRY_S)
                continue
            if snapshot is None:
                continue
            version, epoch = snapshot["version"], snapshot["epoch"]
            self.connection.send({"type": "monitor", **await monitor_view(self.rt, self.who, snapshot)})
            await asyncio.sleep(COALESCE_S)
