"""A center's own selection policy, as a center would write one (二次开发), for the loader test."""

from __future__ import annotations

from typing import Sequence

from actors.routing.types import AgentCandidate, WaitingRequest


class LongestIdleFirst:
    name = "longest_idle_first"

    def choose(self, candidates: Sequence[AgentCandidate],
               request: WaitingRequest) -> AgentCandidate | None:
        free = [c for c in candidates if c.free > 0]
        return min(free, key=lambda c: c.last_assigned_at, default=None)
