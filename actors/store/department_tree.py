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


def tree_order(parents: Mapping[int, int | None], names: Mapping[int, str]) -> list[tuple[int, int]]:
    """(department, depth), depth-first, siblings by name: the order a tree is read in.
    A department whose parent is not given starts a tree of its own (a supervisor's part)."""
    children: dict[int | None, list[int]] = {}
    for department, parent in parents.items():
        children.setdefault(parent if parent in parents else None, []).append(department)
    by_name = lambda ids: sorted(ids, key=lambda d: names.get(d, ""), reverse=True)  # noqa: E731 (popped last first)
    out: list[tuple[int, int]] = []
    todo = [(d, 0) for d in by_name(children.get(None, []))]
    seen: set[int] = set()
    while todo:
        department, depth = todo.pop()
        if department in seen:  # a stored cycle (never written by us) cannot loop forever
            continue
        seen.add(department)
        out.append((department, depth))
        todo.extend((c, depth + 1) for c in by_name(children.get(department, [])))
    return out
