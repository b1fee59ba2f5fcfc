"""Where a chat request goes: the center's routing as one pure function.

Inputs, in the order they act:
1. the requested skill group (or the center's default);
2. the center's rules, matched on visitor region, level, channel and the
   requested group. The first matching rule that names a group decides the
   group; every matching rule adds its priority bonus. A rule without a
   `requested_groups` condition applies whatever the visitor asked for, which
   is how a VIP asking for pre-sales still reaches the VIP desk;
3. the preferred agent: the designated one (指定客服), else, if the center
   keeps visitors with their agent, the last agent who served them (熟客);
4. the work hours of the chosen group (else the center's): outside them the
   answer is `offline`, and the visitor may leave a message;
5. the chosen group's FAQ bot, when it has one: it answers first (outside work
   hours too, if it is set to), and hands off to the group.

Priority starts at the visitor's level (0-9), so higher levels are served first
within a group (PROTOCOL.md, Invariants).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from actors.bot.settings import parse_bot_settings
from actors.routing.selection.loader import BUILT_IN
from actors.routing.types import (
    LEAVE_MESSAGE,
    CenterRouting,
    ChatRequest,
    RouteDecision,
    RoutingRule,
    RuleMatch,
    SkillGroupSettings,
    VisitorProfile,
)
from actors.routing.work_hours import is_open, parse_work_hours

OUTSIDE_WORK_HOURS = "outside_work_hours"
UNKNOWN_SKILL_GROUP = "unknown_skill_group"


def route(request: ChatRequest, visitor: VisitorProfile, center: CenterRouting,
          now: datetime) -> RouteDecision:
    group = request.requested_group or center.default_group
    if group not in center.groups:
        return RouteDecision(None, offline_reason=UNKNOWN_SKILL_GROUP)
    priority = visitor.level
    group_by_rule: str | None = None
    for rule in center.rules:
        if matches(rule.match, visitor, request):
            priority += rule.priority_bonus
            if group_by_rule is None and rule.skill_group is not None:
                group_by_rule = rule.skill_group
    if group_by_rule is not None and group_by_rule in center.groups:
        group = group_by_rule
    preferred = request.designated_agent_id
    if preferred is None and center.sticky_agent:
        preferred = visitor.last_agent_id
    settings = center.groups[group]
    bot = settings.bot if settings.bot_serves else None
    hours = settings.work_hours or center.work_hours
    if not is_open(hours, now):
        if bot is not None and bot.out_of_hours:
            return RouteDecision(group, priority, bot=bot, out_of_hours=True)
        return RouteDecision(None, priority, offline_reason=OUTSIDE_WORK_HOURS, closed_group=group)
    return RouteDecision(group, priority, preferred_agent_id=preferred, bot=bot)


def matches(match: RuleMatch, visitor: VisitorProfile, request: ChatRequest) -> bool:
    if match.min_level is not None and visitor.level < match.min_level:
        return False
    if match.max_level is not None and visitor.level > match.max_level:
        return False
    if match.channels and visitor.channel not in match.channels:
        return False
    if match.requested_groups and request.requested_group not in match.requested_groups:
        return False
    if match.regions and not any(region_within(visitor.region, r) for r in match.regions):
        return False
    return True


def region_within(region: str | None, area: str) -> bool:
    """"CN-GD-SZ" lies within "CN-GD" and "CN"; an unknown region lies nowhere."""
    if region is None:
        return False
    return region == area or region.startswith(area + "-")


# -- configuration ---------------------------------------------------------------------

_TOP_KEYS = {"default_skill_group", "sticky_agent", "selection_policy", "work_hours",
             "skill_groups", "routing_rules"}
_GROUP_KEYS = {"name", "display_name", "queue_timeout_s", "overflow_to", "work_hours", "bot"}
_WHEN_KEYS = {"regions", "min_level", "max_level", "channels", "requested_groups"}
_THEN_KEYS = {"skill_group", "priority_bonus"}


def parse_center_routing(config: dict[str, Any]) -> CenterRouting:
    """Builds a center's routing from its config (center file or database row).

    Raises ValueError naming the first problem, so a broken file is refused
    before anything is written."""
    _no_unknown("center", config, _TOP_KEYS)
    groups: dict[str, SkillGroupSettings] = {}
    for raw in config.get("skill_groups") or []:
        _no_unknown("skill group", raw, _GROUP_KEYS)
        name = raw.get("name")
        if not name or not isinstance(name, str):
            raise ValueError("every skill group needs a name")
        if name in groups or name == LEAVE_MESSAGE:
            raise ValueError(f"skill group name {name!r} is taken")
        timeout = raw.get("queue_timeout_s")
        if timeout is not None and (not isinstance(timeout, (int, float)) or timeout <= 0):
            raise ValueError(f"{name}: queue_timeout_s must be a positive number of seconds")
        try:
            hours = parse_work_hours(raw.get("work_hours"))
        except ValueError as error:
            raise ValueError(f"{name}: work_hours: {error}") from None
        try:
            bot = parse_bot_settings(raw.get("bot"))
        except ValueError as error:
            raise ValueError(f"{name}: {error}") from None
        groups[name] = SkillGroupSettings(
            name=name, display_name=raw.get("display_name") or name,
            queue_timeout_s=float(timeout) if timeout is not None else None,
            overflow_to=raw.get("overflow_to"), work_hours=hours, bot=bot)
    for group in groups.values():
        if group.overflow_to not in (None, LEAVE_MESSAGE) and group.overflow_to not in groups:
            raise ValueError(f"{group.name}: overflow_to names no skill group: {group.overflow_to!r}")
        if group.overflow_to == group.name:
            raise ValueError(f"{group.name}: a group cannot overflow to itself")
    _refuse_overflow_cycles(groups)
    default = config.get("default_skill_group")
    if default not in groups:
        raise ValueError(f"default_skill_group {default!r} is not one of the skill groups")
    policy = config.get("selection_policy") or "least_loaded"
    if policy not in BUILT_IN and "." not in policy:
        raise ValueError(f"selection_policy {policy!r}: use one of {', '.join(sorted(BUILT_IN))} "
                         "or a dotted path to your own class")
    try:
        hours = parse_work_hours(config.get("work_hours"))
    except ValueError as error:
        raise ValueError(f"work_hours: {error}") from None
    rules = tuple(_parse_rule(index, raw, groups) for index, raw in
                  enumerate(config.get("routing_rules") or [], start=1))
    return CenterRouting(default_group=default, groups=groups, rules=rules,
                         sticky_agent=bool(config.get("sticky_agent", True)),
                         selection_policy=policy, work_hours=hours)


def _parse_rule(index: int, raw: dict[str, Any], groups: dict[str, SkillGroupSettings]) -> RoutingRule:
    where = f"routing rule {index}"
    _no_unknown(where, raw, {"when", "then"})
    when, then = raw.get("when") or {}, raw.get("then") or {}
    _no_unknown(f"{where} when", when, _WHEN_KEYS)
    _no_unknown(f"{where} then", then, _THEN_KEYS)
    for key in ("min_level", "max_level"):
        if when.get(key) is not None and not (isinstance(when[key], int) and 0 <= when[key] <= 9):
            raise ValueError(f"{where}: {key} must be a level 0-9")
    target = then.get("skill_group")
    if target is not None and target not in groups:
        raise ValueError(f"{where}: skill_group {target!r} is not one of the skill groups")
    bonus = then.get("priority_bonus", 0)
    if not isinstance(bonus, int):
        raise ValueError(f"{where}: priority_bonus must be an integer")
    match = RuleMatch(regions=_names(where, when, "regions"), min_level=when.get("min_level"),
                      max_level=when.get("max_level"), channels=_names(where, when, "channels"),
                      requested_groups=_names(where, when, "requested_groups"))
    return RoutingRule(match=match, skill_group=target, priority_bonus=bonus)


def _names(where: str, when: dict[str, Any], key: str) -> frozenset[str]:
    value = when.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{where}: {key} must be a list of names")
    return frozenset(value)


def _refuse_overflow_cycles(groups: dict[str, SkillGroupSettings]) -> None:
    for start in groups:
        seen, current = {start}, groups[start].overflow_to
        while current in groups:
            if current in seen:
                raise ValueError(f"overflow from {start} comes back to {current}: a cycle")
            seen.add(current)
            current = groups[current].overflow_to


def _no_unknown(where: str, data: Any, allowed: set[str]) -> None:
    if not isinstance(data, dict):
        raise ValueError(f"{where}: expected an object")
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
