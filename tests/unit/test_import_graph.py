"""The packages import each other in one direction only: no import cycle anywhere.

Every import counts, function-level ones included: a lazy import hides a circle
without removing it. Entities reach each other only through `protocol` modules,
which import value types alone.
"""

from __future__ import annotations

import ast
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
ROOTS = ("actors", "serve", "federation", "config")


def modules() -> dict[str, Path]:
    found = {}
    for root in ROOTS:
        for path in (PROJECT / root).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(PROJECT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in names:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                targets.add(target)
    return targets


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_the_checker_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle_in_the_project():
    known = modules()
    graph = {name: imports_of(name, path, known) for name, path in known.items()}
    assert "actors.conversation.protocol" in graph
    assert cycles(graph) == []


def test_entities_reach_each_other_only_through_protocols():
    known = modules()
    entities = ("agent", "center", "conversation", "skill_group", "visitor")
    for name, path in known.items():
        if not name.startswith("actors."):
            continue
        own = name.split(".")[1]
        if own not in entities:
            continue  # the shard hosts entities, so it knows their classes
        for target in imports_of(name, path, known):
            parts = target.split(".")
            if len(parts) >= 3 and parts[0] == "actors" and parts[1] in entities and parts[1] != own:
                assert parts[2] == "protocol", f"{name} imports {target}"


def test_protocols_import_no_entity_runtime_or_bus():
    known = modules()
    for name, path in known.items():
        if name.endswith(".protocol"):
            for target in imports_of(name, path, known):
                assert not target.startswith(("actors.runtime", "actors.bus", "serve")), (name, target)
                assert not target.endswith(".entity"), (name, target)
