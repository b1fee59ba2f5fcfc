"""A supervisor's view of the monitor: only their departments' agents, skill groups and
alerts (departments' data isolation, README "Departments").

The snapshot is center-wide; this keeps the rows in scope and computes the totals again
from the scoped skill groups where that is exact: counts and the longest wait add up,
the average wait is an average over answered conversations, so weighting each group's
by its answered count gives the scope's. Figures a group does not carry exactly
(handle and first-response times, service levels, messages, ratings) and the trend and
heatmap (counted center-wide only) are left out (null / empty) rather than shown for
conversations outside the scope.
"""

from __future__ import annotations

from typing import Any, Collection


def _weighted_wait(groups: list[dict]) -> float | None:
    pairs = [(g["wait_avg_s"], g["visitors_served"]) for g in groups if g["wait_avg_s"] is not None]
    weight = sum(n for _, n in pairs)
    return round(sum(v * n for v, n in pairs) / weight, 3) if weight else None


def scoped_snapshot(snapshot: dict[str, Any], agents: Collection[str], groups: Collection[str],
                    alert_conversations: Collection[str], departments: Collection[int] = ()) -> dict[str, Any]:
    """`snapshot` (the monitor's, as a dict) cut to the agent ids, skill group names,
    conversation ids (of its alerts) and departments in a scope; the scope's top
    departments are the top of its tree."""
    kept_agents = [a for a in snapshot["agents"] if a["agent_id"] in agents]
    kept_groups = [g for g in snapshot["skill_groups"] if g["skill_group"] in groups]
    states = {state: 0 for state in snapshot["agents_by_state"]}
    for agent in kept_agents:
        states[agent["state"]] = states.get(agent["state"], 0) + 1
    conversations = sum(g["conversations"] for g in kept_groups)
    abandoned = sum(g["abandoned_in_queue"] for g in kept_groups)
    waits = [g["longest_wait_now_s"] for g in kept_groups if g["longest_wait_now_s"] is not None]
    totals = {
        "conversations": conversations, "messages": None,
        "visitors_served": sum(g["visitors_served"] for g in kept_groups),
        "waiting_now": sum(g["waiting_now"] for g in kept_groups),
        "longest_wait_now_s": max(waits) if waits else None, "wait_avg_s": _weighted_wait(kept_groups),
        "first_response_avg_s": None, "handle_avg_s": None, "abandoned_in_queue": abandoned,
        "abandoned_share": round(abandoned / conversations, 4) if conversations else None,
        "service_level": None, "first_response_level": None, "ratings": None, "rating_avg": None,
    }
    kept_departments = [d for d in snapshot.get("departments", []) if d["department_id"] in departments]
    top = min((d["depth"] for d in kept_departments), default=0)
    kept_departments = [{**d, "depth": d["depth"] - top} for d in kept_departments]
    return {**snapshot, "totals": totals, "departments": kept_departments, "agents": kept_agents, "agents_by_state": states,
            "skill_groups": kept_groups, "trend": [], "heatmap": [],
            "alerts": [a for a in snapshot["alerts"] if a["conversation_id"] in alert_conversations]}
