"""The capacity a linked center is told: free slots, staffed agents, expected wait."""

from __future__ import annotations

import math

from actors.routing.capacity import AgentLoad, capacity

ONLINE = AgentLoad("online", True, 1, 3)
FULL = AgentLoad("online", True, 3, 3)
AWAY = AgentLoad("away", True, 0, 3)
GONE = AgentLoad("online", False, 0, 3)


def test_free_slots_beyond_the_line_mean_no_wait():
    got = capacity("sales", [ONLINE, FULL, AWAY, GONE], queue_length=1, head_waited_s=4,
                   recent_waits_s=[30, 50], open_now=True)
    assert (got.agents_available, got.agents_staffed, got.queue_length, got.expected_wait_s) == (1, 2, 1, 0.0)


def test_a_full_group_expects_its_recent_waits_scaled_by_the_line():
    got = capacity("sales", [FULL, FULL], queue_length=6, head_waited_s=10, recent_waits_s=[20, 40],
                   open_now=True)
    assert got.agents_available == 0
    assert got.expected_wait_s == 30 * (1 + 6 / 6)
    # The head has waited longer than the recent average: that counts.
    assert capacity("sales", [FULL, FULL], 6, 90, [20, 40], True).expected_wait_s == 90 * 2


def test_closed_or_unstaffed_groups_never_look_attractive():
    assert math.isinf(capacity("sales", [ONLINE], 0, 0, [], open_now=False).expected_wait_s)
    assert math.isinf(capacity("sales", [AWAY, GONE], 0, 0, [], open_now=True).expected_wait_s)
