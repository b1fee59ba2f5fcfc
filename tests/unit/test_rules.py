from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

from actors.routing.rules import parse_center_routing, route
from actors.routing.types import ChatRequest, VisitorProfile
from config.seed import read_center_file

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc)  # Monday 11:00 in Shanghai

BASE = {
    "default_skill_group": "presales",
    "sticky_agent": True,
    "selection_policy": "least_loaded",
    "skill_groups": [
        {"name": "presales"}, {"name": "aftersales", "overflow_to": "leave_message"},
        {"name": "vip", "overflow_to": "presales"},
        {"name": "south", "work_hours": {"timezone": "Asia/Shanghai",
                                         "weekly": {"weekdays": ["09:00-18:00"]}}},
    ],
    "routing_rules": [
        {"when": {"min_level": 7}, "then": {"skill_group": "vip", "priority_bonus": 5}},
        {"when": {"regions": ["CN-GD"], "requested_groups": ["presales"]},
         "then": {"skill_group": "south"}},
        {"when": {"channels": ["wechat"]}, "then": {"priority_bonus": 1}},
    ],
}


def center(**changes):
    return parse_center_routing({**BASE, **changes})


def visitor(**fields):
    return VisitorProfile(visitor_id="v1", **fields)


def test_default_group_and_level_as_priority():
    decision = route(ChatRequest(), visitor(level=3), center(), NOW)
    assert (decision.skill_group, decision.priority, decision.offline_reason) == ("presales", 3, None)


def test_requested_group_is_honoured():
    assert route(ChatRequest("aftersales"), visitor(), center(), NOW).skill_group == "aftersales"


def test_vip_level_goes_to_the_vip_desk_first_in_line():
    decision = route(ChatRequest("aftersales"), visitor(level=8), center(), NOW)
    assert (decision.skill_group, decision.priority) == ("vip", 13)


def test_region_rule_applies_within_the_region_and_only_to_its_requested_group():
    assert route(ChatRequest("presales"), visitor(region="CN-GD-SZ"), center(), NOW).skill_group == "south"
    assert route(ChatRequest("presales"), visitor(region="CN-GDX"), center(), NOW).skill_group == "presales"
    assert route(ChatRequest("aftersales"), visitor(region="CN-GD"), center(), NOW).skill_group == "aftersales"
    assert route(ChatRequest("presales"), visitor(region=None), center(), NOW).skill_group == "presales"


def test_first_group_rule_wins_and_every_bonus_adds_up():
    decision = route(ChatRequest("presales"), visitor(level=9, region="CN-GD", channel="wechat"),
                     center(), NOW)
    assert (decision.skill_group, decision.priority) == ("vip", 15)


def test_designated_agent_beats_the_last_agent_and_sticky_can_be_switched_off():
    returning = visitor(last_agent_id="a-last")
    assert route(ChatRequest(), returning, center(), NOW).preferred_agent_id == "a-last"
    assert route(ChatRequest(designated_agent_id="a-x"), returning, center(), NOW).preferred_agent_id == "a-x"
    assert route(ChatRequest(), returning, center(sticky_agent=False), NOW).preferred_agent_id is None


def test_outside_the_group_hours_the_answer_is_offline():
    evening = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)  # 20:00 in Shanghai
    assert route(ChatRequest("presales"), visitor(region="CN-GD"), center(), NOW).skill_group == "south"
    decision = route(ChatRequest("presales"), visitor(region="CN-GD"), center(), evening)
    assert (decision.skill_group, decision.offline_reason) == (None, "outside_work_hours")


def test_center_hours_apply_to_groups_without_their_own():
    closed = center(work_hours={"weekly": {"sun": ["00:00-24:00"]}})
    assert route(ChatRequest(), visitor(), closed, NOW).offline_reason == "outside_work_hours"


def test_unknown_requested_group():
    decision = route(ChatRequest("billing"), visitor(), center(), NOW)
    assert (decision.skill_group, decision.offline_reason) == (None, "unknown_skill_group")


@pytest.mark.parametrize("changes, fragment", [
    ({"default_skill_group": "nope"}, "default_skill_group"),
    ({"skill_groups": [{"name": "presales", "overflow_to": "ghost"}]}, "overflow_to"),
    ({"skill_groups": [{"name": "presales", "overflow_to": "b"}, {"name": "b", "overflow_to": "presales"}],
      "routing_rules": []}, "cycle"),
    ({"routing_rules": [{"when": {"min_level": 12}, "then": {}}]}, "level"),
    ({"routing_rules": [{"when": {}, "then": {"skill_group": "ghost"}}]}, "ghost"),
    ({"routing_rules": [{"if": {}}]}, "unknown keys"),
    ({"selection_policy": "fastest"}, "selection_policy"),
    ({"skill_groups": [{"name": "presales", "queue_timeout_s": -1}]}, "queue_timeout_s"),
])
def test_broken_routing_is_refused_with_a_reason(changes, fragment):
    with pytest.raises(ValueError, match=fragment):
        center(**changes)


def test_the_demo_center_file_parses(tmp_path: Path):
    demo = Path(__file__).parents[2] / "config" / "demo_center.yaml"
    data = read_center_file(demo)
    assert {g["name"] for g in data["skill_groups"]} == {"presales", "aftersales", "vip"}
    broken = tmp_path / "broken.yaml"
    data["center"]["default_skill_group"] = "missing"
    broken.write_text(yaml.safe_dump(data))
    with pytest.raises(ValueError):
        read_center_file(broken)
