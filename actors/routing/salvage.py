"""Reading stored routing that the strict parser refuses, without stopping the center.

Settings are checked by `parse_center_routing` before they are stored, so a bad
row can only come from an older version, a hand edit or a bug. One such row must
not take every chat request of the center down: the parts that cannot be used
are left out (each named in the returned problems, which the caller logs) and
the rest serves.
"""

from __future__ import annotations

from typing import Any

from actors.routing.rules import _TOP_KEYS, _parse_rule, parse_center_routing
from actors.routing.selection.loader import BUILT_IN
from actors.routing.types import LEAVE_MESSAGE, CenterRouting
from actors.routing.work_hours import parse_work_hours


def salvage_center_routing(config: dict[str, Any]) -> tuple[CenterRouting, list[str]]:
    """The center's routing, and what had to be left out of it (empty when all was fine)."""
    try:
        return parse_center_routing(config), []
    except ValueError as first:
        problems = [str(first)]
    if not isinstance(config, dict):
        config = {}
    clean: dict[str, Any] = {key: value for key, value in config.items() if key in _TOP_KEYS}
    groups = _usable_groups(config.get("skill_groups"), problems)
    clean["skill_groups"] = groups
    names = [group["name"] for group in groups]
    if clean.get("default_skill_group") not in names:
        problems.append(f"default_skill_group {clean.get('default_skill_group')!r} unusable; "
                        f"using {names[0] if names else 'none'}")
        clean["default_skill_group"] = names[0] if names else None
    policy = clean.get("selection_policy") or "least_loaded"
    if not isinstance(policy, str) or (policy not in BUILT_IN and "." not in policy):
        problems.append(f"selection_policy {policy!r} unusable; using least_loaded")
        clean["selection_policy"] = "least_loaded"
    try:
        parse_work_hours(clean.get("work_hours"))
    except (ValueError, TypeError, AttributeError) as error:
        problems.append(f"center work_hours left out (always open): {error}")
        clean["work_hours"] = None
    clean["routing_rules"] = _usable_rules(clean.get("routing_rules"), groups, problems)
    if not groups:
        return CenterRouting(default_group="", groups={}), problems
    try:
        return parse_center_routing(clean), problems
    except ValueError as error:  # nothing above should leave one; still, never stop the center
        problems.append(f"routing unusable, no groups served: {error}")
        return CenterRouting(default_group="", groups={}), problems


def _usable_groups(raw_groups: Any, problems: list[str]) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = []
    for raw in raw_groups if isinstance(raw_groups, list) else []:
        alone = {**raw, "overflow_to": None} if isinstance(raw, dict) else raw
        try:
            parse_center_routing({"skill_groups": [alone], "default_skill_group": alone.get("name")})
        except (ValueError, AttributeError, TypeError) as error:
            problems.append(f"skill group left out: {error}")
            continue
        if any(group["name"] == raw["name"] for group in groups):
            problems.append(f"skill group {raw['name']!r} appears twice; the second left out")
            continue
        groups.append(dict(raw))
    names = {group["name"] for group in groups}
    for group in groups:
        target = group.get("overflow_to")
        if target not in (None, LEAVE_MESSAGE) and (target not in names or target == group["name"]):
            problems.append(f"{group['name']}: overflow_to {target!r} unusable; it waits without overflow")
            group["overflow_to"] = None
    _break_cycles(groups, problems)
    return groups


def _break_cycles(groups: list[dict[str, Any]], problems: list[str]) -> None:
    by_name = {group["name"]: group for group in groups}
    for start in by_name:
        seen, current = {start}, by_name[start]
        while current.get("overflow_to") in by_name:
            target = current["overflow_to"]
            if target in seen:
                problems.append(f"{current['name']}: overflow to {target} closes a cycle; dropped")
                current["overflow_to"] = None
                break
            seen.add(target)
            current = by_name[target]


def _usable_rules(raw_rules: Any, groups: list[dict[str, Any]], problems: list[str]) -> list[Any]:
    known = {group["name"]: group for group in groups}
    rules = []
    for index, raw in enumerate(raw_rules if isinstance(raw_rules, list) else [], start=1):
        try:
            _parse_rule(index, raw, known)
        except (ValueError, AttributeError, TypeError) as error:
            problems.append(f"left out: {error}")
            continue
        rules.append(raw)
    return rules
