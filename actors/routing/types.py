"""Plain data the routing policies work on.

Everything here is a frozen value with no reference to Ray, the database or the
clock: the entities build these from their state, call a pure policy, and act on
the answer. That keeps every routing decision unit-testable and lets a center
load its own policy (二次开发支持) without touching the runtime.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from typing import Protocol, Sequence

from actors.bot.settings import BotSettings

# The pseudo-group a queue overflows to when nobody should wait any longer:
# the conversation becomes a left message (留言) that staff answer later.
LEAVE_MESSAGE = "leave_message"


@dataclass(frozen=True)
class AgentCandidate:
    """An agent as one skill group's queue sees it when choosing whom to offer to."""

    agent_id: str
    level: int  # skill level in this group; higher is more skilled
    active: int  # conversations the agent holds open now
    max_concurrent: int
    last_assigned_at: float = 0.0  # epoch seconds of the last assignment, 0 if none

    @property
    def free(self) -> int:
        return max(0, self.max_concurrent - self.active)


@dataclass(frozen=True)
class WaitingRequest:
    """What a selection policy knows about the conversation it is placing."""

    conversation_id: str
    visitor_id: str
    priority: int
    preferred_agent_id: str | None = None


class SelectionPolicy(Protocol):
    """Chooses which of the available agents gets the conversation.

    `candidates` holds only agents that are online and have a free slot; the
    policy returns one of them (or None to leave the conversation waiting).
    The agent entity still has the last word: it may refuse if its state moved.
    """

    name: str

    def choose(
        self, candidates: Sequence[AgentCandidate], request: WaitingRequest
    ) -> AgentCandidate | None: ...


@dataclass(frozen=True)
class TimeWindow:
    start: time
    end: time  # exclusive; time(0, 0) as an end means midnight (24:00)


@dataclass(frozen=True)
class WorkHours:
    """Weekly opening hours in one time zone, with closed dates (holidays)."""

    timezone: str = "UTC"
    # weekday (0 = Monday) -> windows; a weekday absent from the map is closed.
    weekly: dict[int, tuple[TimeWindow, ...]] = field(default_factory=dict)
    closed_dates: frozenset[str] = frozenset()  # ISO dates, in `timezone`


@dataclass(frozen=True)
class SkillGroupSettings:
    name: str
    display_name: str = ""
    queue_timeout_s: float | None = None  # None: wait without limit
    overflow_to: str | None = None  # another group's name, or LEAVE_MESSAGE
    work_hours: WorkHours | None = None  # None: the center's hours apply
    bot: BotSettings | None = None  # its FAQ bot (actors/bot/settings.py); None: none

    @property
    def bot_serves(self) -> bool:
        return self.bot is not None and self.bot.enabled


@dataclass(frozen=True)
class RuleMatch:
    """Conditions of a routing rule; every condition given must hold."""

    regions: frozenset[str] = frozenset()  # "CN", "CN-GD", ...; prefix match on "-" parts
    min_level: int | None = None
    max_level: int | None = None
    channels: frozenset[str] = frozenset()
    requested_groups: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RoutingRule:
    match: RuleMatch
    skill_group: str | None = None  # route here; None keeps the group chosen so far
    priority_bonus: int = 0


@dataclass(frozen=True)
class CenterRouting:
    """A center's routing settings, loaded from the database."""

    default_group: str
    groups: dict[str, SkillGroupSettings]
    rules: tuple[RoutingRule, ...] = ()
    sticky_agent: bool = True  # offer a returning visitor to the agent who served them last
    selection_policy: str = "least_loaded"
    work_hours: WorkHours | None = None  # None: always open


@dataclass(frozen=True)
class VisitorProfile:
    visitor_id: str
    level: int = 0  # 0-9, set by a signed identity or by staff
    region: str | None = None  # "CN-GD" style; None when unknown
    channel: str = "web"
    last_agent_id: str | None = None


@dataclass(frozen=True)
class ChatRequest:
    requested_group: str | None = None
    designated_agent_id: str | None = None


@dataclass(frozen=True)
class RouteDecision:
    """Where a chat request goes. Exactly one of `skill_group` / `offline_reason` is set."""

    skill_group: str | None
    priority: int = 0
    preferred_agent_id: str | None = None
    offline_reason: str | None = None  # "outside_work_hours" | "unknown_skill_group"
    # Outside work hours: the group that is closed (its left message is for that group).
    closed_group: str | None = None
    # The group's FAQ bot answers first (in work hours, or outside them when it is
    # set to); `skill_group` is then the group it hands off to.
    bot: BotSettings | None = None
    out_of_hours: bool = False  # the bot serves a closed group: a hand-off leaves a message
