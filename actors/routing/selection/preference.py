"""The one rule every built-in policy shares: a designated or returning agent wins."""

from __future__ import annotations

from typing import Sequence

from actors.routing.types import AgentCandidate, WaitingRequest


def preferred(candidates: Sequence[AgentCandidate], request: WaitingRequest) -> AgentCandidate | None:
    """The request's preferred agent, when that agent is among the available ones.

    A visitor who asked for an agent (指定客服) or was served by one last time
    goes back to them if they have a free slot; otherwise the policy proper
    decides, so a preference never makes anyone wait.
    """
    if request.preferred_agent_id is None:
        return None
    for candidate in candidates:
        if candidate.agent_id == request.preferred_agent_id and candidate.free > 0:
            return candidate
    return None
