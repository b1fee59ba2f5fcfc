"""The monitor's snapshot: `GET /api/v1/monitor` and the `monitor` frame (one shape).

Built from Figures (actors/monitor/figures.py) and the agents' caps at one
instant; README "Live monitor" says what each figure means.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable

from pydantic import BaseModel

from actors.monitor.figures import Conversation, Figures
from actors.monitor.settings import MonitorSettings
from actors.store.clock import iso


@dataclass(frozen=True)
class AgentCard:
    """What the monitor knows of an agent account besides its presence."""

    agent_id: str
    display_name: str
    max_concurrent: int
    skill_groups: tuple[str, ...] = ()


class Totals(BaseModel):
    conversations: int
    messages: int | None  # None in a department-scoped view: counted center-wide only
    visitors_served: int
    waiting_now: int
    longest_wait_now_s: float | None
    wait_avg_s: float | None
    first_response_avg_s: float | None
    handle_avg_s: float | None
    abandoned_in_queue: int
    abandoned_share: float | None
    service_level: float | None
    first_response_level: float | None
    ratings: int | None  # None in a department-scoped view: counted center-wide only
    rating_avg: float | None
    with_bot_now: int = 0  # today's conversations the FAQ bot is serving now


class AgentsByState(BaseModel):
    online: int = 0
    busy: int = 0
    away: int = 0
    offline: int = 0


class AgentFigures(BaseModel):
    agent_id: str
    display_name: str
    state: str  # online | busy (at cap) | away | offline
    load: int
    max_concurrent: int
    conversations: int
    messages: int


class GroupFigures(Totals):
    skill_group: str


class HourPoint(BaseModel):
    hour: int
    today_conversations: int
    yesterday_conversations: int
    today_served: int
    yesterday_served: int


class Alert(BaseModel):
    id: str
    kind: str  # long_wait | no_answer | sensitive_word
    conversation_id: str
    since: str
    seconds: float | None = None
    word: str | None = None


class DepartmentFigures(BaseModel):
    """A department's part of the monitor, its whole subtree included (actors/monitor/departments.py)."""

    department_id: int
    name: str
    parent_id: int | None
    depth: int  # 0: a top-level department (or the top of a supervisor's part)
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


class MonitorSnapshot(BaseModel):
    at: str
    day: str  # the day the figures count, the center's local date
    tz: str = "UTC"  # the center's zone (its work hours'): the day, the trend's and heatmap's hours
    version: int
    totals: Totals
    agents_by_state: AgentsByState
    agents: list[AgentFigures]
    skill_groups: list[GroupFigures]
    trend: list[HourPoint]
    heatmap: list[list[int]]  # [weekday 0 = Monday][hour 0-23], conversations, last 7 days
    alerts: list[Alert]
    settings: dict[str, float]
    departments: list[DepartmentFigures] = []  # in tree order; filled by the actor (departments.py)


def _avg(values: Iterable[float | None]) -> float | None:
    found = [v for v in values if v is not None]
    return round(sum(found) / len(found), 3) if found else None


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def totals(figures: Figures, conversations: list[Conversation], waiting: list[datetime],
           settings: MonitorSettings, now: datetime, messages: int, ratings: list[int]) -> dict:
    answered = [c for c in conversations if c.assigned_at is not None]
    # A conversation still waiting past the target already missed it; one waiting less does not count yet.
    missed_waiting = sum(1 for c in conversations if c.assigned_at is None and c.ended_at is None
                         and not c.abandoned and (now - c.requested_at).total_seconds() > settings.answer_within_s)
    within = sum(1 for c in answered if c.wait_s <= settings.answer_within_s)
    replied = [c for c in answered if c.first_response_s is not None]
    abandoned = sum(1 for c in conversations if c.abandoned)
    return dict(
        conversations=len(conversations), messages=messages, visitors_served=len(answered),
        waiting_now=len(waiting),
        longest_wait_now_s=round(max((now - t).total_seconds() for t in waiting), 3) if waiting else None,
        wait_avg_s=_avg(c.wait_s for c in answered),
        first_response_avg_s=_avg(c.first_response_s for c in answered),
        handle_avg_s=_avg(c.duration_s for c in answered),
        abandoned_in_queue=abandoned, abandoned_share=_share(abandoned, len(conversations)),
        service_level=_share(within, len(answered) + abandoned + missed_waiting),
        first_response_level=_share(sum(1 for c in replied if c.first_response_s <= settings.first_response_within_s),
                                    len(replied)),
        ratings=len(ratings), rating_avg=_avg(ratings) if ratings else None,
        with_bot_now=sum(1 for c in conversations if c.with_bot))


def agent_state(status: str | None, load: int, cap: int) -> str:
    if status == "online":
        return "busy" if load >= cap else "online"
    return status if status in ("away",) else "offline"


def build(figures: Figures, agents: dict[str, AgentCard], settings: MonitorSettings, now: datetime,
          group_ratings: dict[str, list[int]] | None = None) -> MonitorSnapshot:
    today = list(figures.conversations.values())
    today = [c for c in today if c.requested_at >= figures.today]
    waiting = figures.waiting
    all_totals = totals(figures, today, [since for _, since in waiting.values()], settings, now,
                        figures.messages, figures.ratings)
    groups = sorted({c.group or "" for c in today} | {g for g, _ in waiting.values()})
    group_rows = [GroupFigures(skill_group=g, **totals(
        figures, [c for c in today if (c.group or "") == g],
        [since for gg, since in waiting.values() if gg == g], settings, now, 0, [])) for g in groups]
    by_state = AgentsByState()
    agent_rows = []
    for agent_id in sorted(agents):  # accounts deleted or disabled since are left out
        card = agents[agent_id]
        load = len(figures.open_by_agent.get(agent_id, ()))
        state = agent_state(figures.agent_status.get(agent_id), load, card.max_concurrent)
        setattr(by_state, state, getattr(by_state, state) + 1)
        agent_rows.append(AgentFigures(
            agent_id=agent_id, display_name=card.display_name, state=state, load=load,
            max_concurrent=card.max_concurrent,
            conversations=sum(1 for c in today if c.agent_id == agent_id and c.assigned_at is not None),
            messages=figures.messages_by_agent.get(agent_id, 0)))
    return MonitorSnapshot(
        at=iso(now), day=figures.today.date().isoformat(), tz=getattr(figures.zone, "key", "UTC"),
        version=figures.version,
        totals=Totals(**all_totals), agents_by_state=by_state, agents=agent_rows, skill_groups=group_rows,
        trend=_trend(figures), heatmap=_heatmap(figures), alerts=alerts(figures, settings, now),
        settings={k: getattr(settings, k) for k in ("wait_alert_s", "no_answer_alert_s", "answer_within_s",
                                                     "first_response_within_s")})


def _trend(figures: Figures) -> list[HourPoint]:
    day, yesterday = figures.today, figures.today - timedelta(days=1)
    def at(table: dict[datetime, int], start: datetime, hour: int) -> int:
        return table.get(start + timedelta(hours=hour), 0)
    return [HourPoint(hour=h, today_conversations=at(figures.requested_by_hour, day, h),
                      yesterday_conversations=at(figures.requested_by_hour, yesterday, h),
                      today_served=at(figures.served_by_hour, day, h),
                      yesterday_served=at(figures.served_by_hour, yesterday, h)) for h in range(24)]


def _heatmap(figures: Figures) -> list[list[int]]:
    """The last 7 days, today included."""
    grid = [[0] * 24 for _ in range(7)]
    horizon = figures.today - timedelta(days=6)
    for hour, count in figures.requested_by_hour.items():
        if hour >= horizon:
            grid[hour.weekday()][hour.hour] += count
    return grid


def alerts(figures: Figures, settings: MonitorSettings, now: datetime) -> list[Alert]:
    found = []
    for cid, (_, since) in sorted(figures.waiting.items()):
        waited = (now - since).total_seconds()
        if waited > settings.wait_alert_s:
            found.append(Alert(id=f"long_wait:{cid}", kind="long_wait", conversation_id=cid,
                               since=iso(since), seconds=round(waited, 3)))
    for cid, since in sorted(figures.unanswered.items()):
        silent = (now - since).total_seconds()
        if silent > settings.no_answer_alert_s and cid not in figures.waiting:
            found.append(Alert(id=f"no_answer:{cid}", kind="no_answer", conversation_id=cid,
                               since=iso(since), seconds=round(silent, 3)))
    for cid, hits in sorted(figures.flagged.items()):
        for at, seq, word in hits:
            found.append(Alert(id=f"sensitive_word:{cid}:{seq}", kind="sensitive_word", conversation_id=cid,
                               since=iso(at), word=word))
    return found
