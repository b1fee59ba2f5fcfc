"""A stored routing row the router cannot use is left out, never fatal to the center."""

from __future__ import annotations

from actors.routing.salvage import salvage_center_routing

GOOD = {"default_skill_group": "presales", "skill_groups": [
    {"name": "presales", "overflow_to": "aftersales", "queue_timeout_s": 60},
    {"name": "aftersales", "overflow_to": "leave_message"}],
    "routing_rules": [{"when": {"min_level": 7}, "then": {"skill_group": "aftersales"}}]}


def test_good_routing_passes_untouched():
    routing, problems = salvage_center_routing(GOOD)
    assert problems == [] and set(routing.groups) == {"presales", "aftersales"}


def test_a_group_named_like_the_overflow_pseudo_group_is_left_out():
    config = {**GOOD, "skill_groups": [*GOOD["skill_groups"], {"name": "leave_message"}]}
    routing, problems = salvage_center_routing(config)
    assert set(routing.groups) == {"presales", "aftersales"}
    assert any("leave_message" in p for p in problems)


def test_bad_parts_are_dropped_one_by_one():
    config = {"default_skill_group": "gone", "selection_policy": "no-such-policy",
              "work_hours": {"timezone": "Mars/Olympus"},
              "skill_groups": [
                  {"name": "a", "overflow_to": "b"}, {"name": "b", "overflow_to": "a"},
                  {"name": "c", "overflow_to": "nowhere"}, {"name": "d", "work_hours": "always"},
                  {"name": "e", "queue_timeout_s": -5}],
              "routing_rules": [{"when": {"min_level": 42}, "then": {}},
                                {"when": {}, "then": {"skill_group": "d"}},
                                {"when": {"channels": ["web"]}, "then": {"priority_bonus": 2}}]}
    routing, problems = salvage_center_routing(config)
    assert set(routing.groups) == {"a", "b", "c"}
    assert routing.default_group == "a"
    assert routing.selection_policy == "least_loaded"
    assert routing.work_hours is None
    assert routing.groups["c"].overflow_to is None
    # The cycle a -> b -> a is broken at one end.
    assert [routing.groups["a"].overflow_to, routing.groups["b"].overflow_to].count(None) == 1
    assert [r.priority_bonus for r in routing.rules] == [2]
    assert len(problems) >= 7


def test_nothing_usable_still_gives_a_center_that_answers():
    routing, problems = salvage_center_routing({"skill_groups": [{"name": ""}], "bogus": 1})
    assert routing.groups == {} and problems
