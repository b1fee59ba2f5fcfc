"""Round robin: agents take turns, whoever was assigned longest ago goes next."""

from __future__ import annotations

from typing import Sequence

from actors.routing.selection.preference import preferred
from actors.routing.types import AgentCandidate, WaitingRequest


class RoundRobin:
    """Turn order comes from `last_assigned_at`, which the agent entity keeps,
    so the rotation survives restarts and is shared by every queue the agent
    serves; no cursor is kept here, which keeps the policy a pure function."""

    name = "round_robin"

    def choose(self, candidates: Sequence[AgentCandidate],
               request: WaitingRequest) -> AgentCandidate | None:
        if (chosen := preferred(candidates, request)) is not None:
            return chosen
        free = [c for c in candidates if c.free > 0]
        if not free:
            return None
        return min(free, key=lambda c: (c.last_assigned_at, c.agent_id))
