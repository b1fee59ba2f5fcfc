"""Per-department figures (监控总览 by department): each department's agents and skill
groups, its sub-departments' included, summed from a snapshot.

A manager of "Sales" expects Sales East and Sales West inside Sales's row, so a row
covers the department's whole subtree (as a supervisor's scope does). The tree and
who belongs where come in as plain data (`Departments`, read by seed.py), so this
stays pure. Averages of a department are weighted by the conversations behind them
(answered ones for waits and handle times), so they equal what a single group holding
all of them would show.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from actors.monitor.snapshot import AgentsByState, DepartmentFigures, GroupFigures, MonitorSnapshot
from actors.store.department_tree import subtree, tree_order


@dataclass(frozen=True)
class Departments:
    names: Mapping[int, str] = field(default_factory=dict)
    parents: Mapping[int, int | None] = field(default_factory=dict)
    agents: Mapping[str, int] = field(default_factory=dict)  # agent id -> its department
    groups: Mapping[str, int] = field(default_factory=dict)  # skill group name -> its department


def _weighted(rows: list[GroupFigures], name: str) -> float | None:
    pairs = [(getattr(r, name), r.visitors_served) for r in rows if getattr(r, name) is not None]
    weight = sum(n for _, n in pairs)
    return round(sum(v * n for v, n in pairs) / weight, 3) if weight else None


def by_department(snapshot: MonitorSnapshot, departments: Departments) -> list[DepartmentFigures]:
    """One row per department, in tree order; agents and groups without a department
    are in no row."""
    out = []
    for department, depth in tree_order(departments.parents, departments.names):
        inside = subtree(departments.parents, department)
        groups = [g for g in snapshot.skill_groups if departments.groups.get(g.skill_group) in inside]
        agents = [a for a in snapshot.agents if departments.agents.get(a.agent_id) in inside]
        states = AgentsByState()
        for agent in agents:
            setattr(states, agent.state, getattr(states, agent.state) + 1)
        waits = [g.longest_wait_now_s for g in groups if g.longest_wait_now_s is not None]
        out.append(DepartmentFigures(
            department_id=department, name=departments.names.get(department, str(department)),
            parent_id=departments.parents.get(department), depth=depth,
            conversations=sum(g.conversations for g in groups),
            visitors_served=sum(g.visitors_served for g in groups), waiting_now=sum(g.waiting_now for g in groups),
            longest_wait_now_s=max(waits) if waits else None, wait_avg_s=_weighted(groups, "wait_avg_s"),
            handle_avg_s=_weighted(groups, "handle_avg_s"),
            abandoned_in_queue=sum(g.abandoned_in_queue for g in groups), agents_by_state=states,
            load=sum(a.load for a in agents), capacity=sum(a.max_concurrent for a in agents)))
    return out
