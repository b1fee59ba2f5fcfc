"""Least loaded (default): the agent with the most spare capacity serves next."""

from __future__ import annotations

from typing import Sequence

from actors.routing.selection.preference import preferred
from actors.routing.types import AgentCandidate, WaitingRequest


class LeastLoaded:
    """Lowest share of the cap in use first, so a cap-10 agent holding 3 chats
    (30 %) is offered before a cap-3 agent holding 1 (33 %). Ties go to the
    agent idle longest, then to the higher skill level, then by id so the
    choice is deterministic."""

    name = "least_loaded"

    def choose(self, candidates: Sequence[AgentCandidate],
               request: WaitingRequest) -> AgentCandidate | None:
        if (chosen := preferred(candidates, request)) is not None:
            return chosen
        free = [c for c in candidates if c.free > 0]
        if not free:
            return None
        return min(free, key=lambda c: (c.active / c.max_concurrent, c.last_assigned_at,
                                        -c.level, c.agent_id))
