"""What a skill group can take now, as a linked center is told it (pure).

The estimate follows the contact-center practice of an expected wait time from
recent history (Avaya's EWT, Cisco's "expected delay"): zero while there are more
free slots than visitors waiting, else the longer of the average wait of the last
visitors served and how long the head of the line has waited already, scaled by
how many are ahead for each staffed slot.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True)
class AgentLoad:
    status: str  # online | away | offline
    connected: bool
    active: int
    max_concurrent: int

    @property
    def staffed(self) -> bool:
        return self.connected and self.status == "online"

    @property
    def free(self) -> int:
        return max(0, self.max_concurrent - self.active) if self.staffed else 0


@dataclass(frozen=True)
class Capacity:
    skill_group: str
    queue_length: int
    agents_available: int  # staffed with a free slot
    agents_staffed: int
    expected_wait_s: float
    open_now: bool


def capacity(skill_group: str, agents: Iterable[AgentLoad], queue_length: int, head_waited_s: float,
             recent_waits_s: Iterable[float], open_now: bool) -> Capacity:
    agents = list(agents)
    staffed = [a for a in agents if a.staffed]
    free = sum(a.free for a in staffed)
    available = sum(1 for a in staffed if a.free > 0)
    waits = list(recent_waits_s)
    if not open_now or not staffed:
        expected = float("inf")
    elif free > queue_length:
        expected = 0.0
    else:
        typical = max(sum(waits) / len(waits) if waits else 0.0, head_waited_s)
        slots = sum(a.max_concurrent for a in staffed) or 1
        expected = typical * (1 + (queue_length - free) / slots)
    return Capacity(skill_group, queue_length, available, len(staffed), expected, open_now)
