"""Selection policies are pure functions: tested on plain values, no Ray."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actors.routing.selection.highest_level import HighestLevel
from actors.routing.selection.least_loaded import LeastLoaded
from actors.routing.selection.loader import load_policy
from actors.routing.selection.round_robin import RoundRobin
from actors.routing.types import AgentCandidate, WaitingRequest

REQUEST = WaitingRequest("c1", "v1", priority=0)


def agent(agent_id: str, active: int = 0, cap: int = 5, level: int = 1, last: float = 0.0):
    return AgentCandidate(agent_id, level=level, active=active, max_concurrent=cap,
                          last_assigned_at=last)


def test_least_loaded_compares_share_of_cap_not_count():
    big = agent("big", active=3, cap=10)  # 30 %
    small = agent("small", active=1, cap=3)  # 33 %
    assert LeastLoaded().choose([small, big], REQUEST) is big


def test_least_loaded_breaks_ties_by_longest_idle():
    assert LeastLoaded().choose([agent("a", last=20), agent("b", last=10)], REQUEST).agent_id == "b"


def test_round_robin_takes_turns_by_last_assignment():
    agents = [agent("a", last=30), agent("b", last=10, active=4), agent("c", last=20)]
    assert RoundRobin().choose(agents, REQUEST).agent_id == "b"


def test_highest_level_prefers_skill_then_load():
    agents = [agent("junior", level=1), agent("senior", level=5, active=2),
              agent("senior2", level=5, active=1)]
    assert HighestLevel().choose(agents, REQUEST).agent_id == "senior2"


@pytest.mark.parametrize("policy", [LeastLoaded(), RoundRobin(), HighestLevel()])
def test_preferred_agent_wins_when_free(policy):
    request = WaitingRequest("c1", "v1", 0, preferred_agent_id="busy-ish")
    agents = [agent("idle"), agent("busy-ish", active=4, level=0, last=99)]
    assert policy.choose(agents, request).agent_id == "busy-ish"


@pytest.mark.parametrize("policy", [LeastLoaded(), RoundRobin(), HighestLevel()])
def test_preferred_agent_when_full_falls_back(policy):
    request = WaitingRequest("c1", "v1", 0, preferred_agent_id="full")
    chosen = policy.choose([agent("full", active=5), agent("other")], request)
    assert chosen.agent_id == "other"


@pytest.mark.parametrize("policy", [LeastLoaded(), RoundRobin(), HighestLevel()])
def test_nobody_free_leaves_the_conversation_waiting(policy):
    assert policy.choose([agent("a", active=5), agent("b", active=2, cap=2)], REQUEST) is None
    assert policy.choose([], REQUEST) is None


candidates = st.lists(
    st.builds(agent, agent_id=st.text("abcdef", min_size=1, max_size=3),
              active=st.integers(0, 6), cap=st.integers(1, 6), level=st.integers(0, 9),
              last=st.floats(0, 100)),
    max_size=8, unique_by=lambda c: c.agent_id)


@given(candidates, st.sampled_from([LeastLoaded(), RoundRobin(), HighestLevel()]))
def test_policies_only_choose_a_free_candidate(agents, policy):
    chosen = policy.choose(agents, REQUEST)
    free = [a for a in agents if a.free > 0]
    if free:
        assert chosen in free
    else:
        assert chosen is None


def test_loader_knows_built_ins_and_dotted_paths():
    assert isinstance(load_policy("round_robin"), RoundRobin)
    own = load_policy("tests.unit.custom_policy:LongestIdleFirst")
    assert own.name == "longest_idle_first"
    assert own.choose([agent("a", last=5), agent("b", last=1)], REQUEST).agent_id == "b"
    assert isinstance(load_policy("actors.routing.selection.highest_level.HighestLevel"), HighestLevel)


@pytest.mark.parametrize("spec", ["fastest", "no.such.module:Policy", "actors.routing.types:LEAVE_MESSAGE"])
def test_loader_refuses_what_is_not_a_policy(spec):
    with pytest.raises(ValueError):
        load_policy(spec)
