"""The department tree and the scope rule as plain values: subtrees, cycles, and which
conversations a scope holds."""

from actors.store.department_scope import agent_in_scope, conversation_in_scope
from actors.store.department_tree import makes_cycle, subtree

#   1 ── 2 ── 4
#   └─── 3
#   5
TREE = {1: None, 2: 1, 3: 1, 4: 2, 5: None}


def test_a_subtree_is_the_department_and_everything_under_it():
    assert subtree(TREE, 1) == {1, 2, 3, 4}
    assert subtree(TREE, 2) == {2, 4}
    assert subtree(TREE, 5) == {5}
    assert subtree(TREE, 99) == frozenset()


def test_a_stored_cycle_does_not_loop():
    assert subtree({1: 2, 2: 1}, 1) == {1, 2}


def test_moving_under_its_own_subtree_is_a_cycle():
    assert makes_cycle(TREE, 1, 4) and makes_cycle(TREE, 2, 2)
    assert not makes_cycle(TREE, 2, 3) and not makes_cycle(TREE, 4, None) and not makes_cycle(TREE, 4, 5)


def test_a_conversation_is_in_scope_by_owner_group_or_participant():
    scope = subtree(TREE, 2)
    assert conversation_in_scope(None, 5, True, None)  # None: the whole center
    assert conversation_in_scope(scope, 4, True, 5)  # owner in a sub-department
    assert not conversation_in_scope(scope, 5, True, 2)  # held: the group no longer counts
    assert conversation_in_scope(scope, None, False, 2)  # waiting in a group of the scope
    assert not conversation_in_scope(scope, None, False, None)
    assert conversation_in_scope(scope, 5, True, 5, participant_departments=[None, 4])
    assert agent_in_scope(scope, 4) and not agent_in_scope(scope, 1) and agent_in_scope(None, None)
