"""Highest level: the most skilled available agent in the group serves first."""

from __future__ import annotations

from typing import Sequence

from actors.routing.selection.preference import preferred
from actors.routing.types import AgentCandidate, WaitingRequest


class HighestLevel:
    """Among agents of equal level, the least loaded one, then the one idle longest."""

    name = "highest_level"

    def choose(self, candidates: Sequence[AgentCandidate],
               request: WaitingRequest) -> AgentCandidate | None:
        if (chosen := preferred(candidates, request)) is not None:
            return chosen
        free = [c for c in candidates if c.free > 0]
        if not free:
            return None
        return min(free, key=lambda c: (-c.level, c.active / c.max_concurrent,
                                        c.last_assigned_at, c.agent_id))
