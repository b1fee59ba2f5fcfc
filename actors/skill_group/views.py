"""What a skill-group queue shows of itself: its waiting list (the agents' `waiting`
frames) and its capacity (what a linked center is told). A mixin of SkillGroupQueue
(actors/skill_group/entity.py): read-only views over its state."""

from __future__ import annotations

from datetime import datetime, timezone

from actors.participants import VisitorRef
from actors.routing.capacity import AgentLoad, Capacity, capacity
from actors.routing.work_hours import is_open
from actors.skill_group.protocol import WaitingVisitor
from actors.store.clock import iso


class QueueViews:
    def _capacity(self) -> Capacity:
        now = self.services.clock()
        oldest = min((entry.enqueued_at for entry in self.line), default=now)
        hours = self.settings.work_hours or self.center_hours
        return capacity(self.group, (AgentLoad(snap.status.value, snap.connected, snap.active + self.pending.get(
            snap.agent_id, 0), snap.max_concurrent) for snap in self.agents.values()), len(self.line),
            max(0.0, now - oldest), self.recent_waits, is_open(hours, datetime.fromtimestamp(now, timezone.utc)))

    def _waiting_visitors(self, limit: int | None = None) -> tuple[WaitingVisitor, ...]:
        now = self.services.clock()
        entries = []
        for position, entry in enumerate(self.line, start=1):
            if limit is not None and position > limit:
                break
            entries.append(WaitingVisitor(
                entry.conversation_id, position, VisitorRef(entry.visitor_id, entry.visitor_name),
                entry.channel, entry.priority, round(max(0.0, now - entry.enqueued_at), 1),
                iso(datetime.fromtimestamp(entry.enqueued_at, timezone.utc)), entry.source))
        return tuple(entries)

