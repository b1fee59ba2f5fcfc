"""The department tree (部门) as plain values: subtrees, and moves that would make a cycle.

Pure functions over `{department id: parent id}`, so the API, the scope rule and the
tests read the tree one way.
"""

from __future__ import annotations

from collections.abc import Mapping


def subtree(parents: Mapping[int, int | None], root: int) -> frozenset[int]:
    """`root` and every department under it (empty if `root` is not in the tree)."""
    if root not in parents:
        return frozenset()
    children: dict[int, list[int]] = {}
    for child, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(child)
    found, todo = {root}, [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:  # a stored cycle (never written by us) cannot loop forever
                found.add(child)
                todo.append(child)
    return frozenset(found)


def makes_cycle(parents: Mapping[int, int | None], department: int, new_parent: int | None) -> bool:
    """Whether putting `department` under `new_parent` puts it under itself."""
    return new_parent is not None and new_parent in subtree(parents, department)
