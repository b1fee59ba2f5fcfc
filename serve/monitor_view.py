"""What of the live monitor a caller may see: everything for admins and center-wide
supervisors; for a supervisor of departments, their departments' agents, skill groups,
alerts and per-department rows only (actors/monitor/scoped_view.py), for the REST
snapshot and the pushed frames alike."""

from __future__ import annotations

from typing import Any

from actors.monitor.scoped_view import scoped_snapshot
from actors.store.departments import scope_members, visible_conversations
from serve.api.scope import caller_scope
from serve.auth import Principal
from serve.runtime import GatewayRuntime


async def monitor_view(rt: GatewayRuntime, who: Principal, snapshot: dict[str, Any]) -> dict[str, Any]:
    scope = await caller_scope(rt, who)
    if scope is None:
        return snapshot
    agents, groups = await scope_members(rt.db, rt.center_id, scope)
    alerting = await visible_conversations(rt.db, rt.center_id,
                                           sorted({a["conversation_id"] for a in snapshot["alerts"]}), scope)
    return scoped_snapshot(snapshot, agents, groups, alerting, scope)
