"""Per-department figures: a snapshot's agents and skill groups, summed by the
department each belongs to.

The departments themselves are another part's (a tree; agents and skill groups
belong to one); this takes the mappings as plain data, so that part plugs in by
passing `agent -> department` and `skill group -> department`, and a supervisor's
view keeps only their departments' rows. Averages of a department are weighted by
the conversations behind them (answered ones for waits and handle times), so they
equal what a single group holding all of them would show.
"""

from __future__ import annotations

from typing import Mapping

from pydantic import BaseModel

from actors.monitor.snapshot import AgentsByState, GroupFigures, MonitorSnapshot


class DepartmentFigures(BaseModel):
    department: str
    conversations: int
    visitors_served: int
    waiting_now: int
    longest_wait_now_s: float | None
    wait_avg_s: float | None
    handle_avg_s: float | None
    abandoned_in_queue: int
    agents_by_state: AgentsByState
    load: int
    capacity: int


def _weighted(rows: list[GroupFigures], name: str) -> float | None:
    pairs = [(getattr(r, name), r.visitors_served) for r in rows if getattr(r, name) is not None]
    weight = sum(n for _, n in pairs)
    return round(sum(v * n for v, n in pairs) / weight, 3) if weight else None


def by_department(snapshot: MonitorSnapshot, agent_departments: Mapping[str, str],
                  group_departments: Mapping[str, str]) -> list[DepartmentFigures]:
    """One row per department that has an agent or a skill group in the snapshot, by name;
    agents and groups without a department are left out."""
    names = sorted({*agent_departments.values(), *group_departments.values()})
    out = []
    for name in names:
        groups = [g for g in snapshot.skill_groups if group_departments.get(g.skill_group) == name]
        agents = [a for a in snapshot.agents if agent_departments.get(a.agent_id) == name]
        states = AgentsByState()
        for agent in agents:
            setattr(states, agent.state, getattr(states, agent.state) + 1)
        waits = [g.longest_wait_now_s for g in groups if g.longest_wait_now_s is not None]
        out.append(DepartmentFigures(
            department=name, conversations=sum(g.conversations for g in groups),
            visitors_served=sum(g.visitors_served for g in groups), waiting_now=sum(g.waiting_now for g in groups),
            longest_wait_now_s=max(waits) if waits else None, wait_avg_s=_weighted(groups, "wait_avg_s"),
            handle_avg_s=_weighted(groups, "handle_avg_s"),
            abandoned_in_queue=sum(g.abandoned_in_queue for g in groups), agents_by_state=states,
            load=sum(a.load for a in agents), capacity=sum(a.max_concurrent for a in agents)))
    return out
