"""Turns a center's `selection_policy` setting into a policy object.

A built-in name, or a dotted path `package.module:ClassName` (or
`package.module.ClassName`) to a center's own policy class (二次开发支持): it is
instantiated without arguments and must have `name` and `choose`.
"""

from __future__ import annotations

import importlib

from actors.routing.selection.highest_level import HighestLevel
from actors.routing.selection.least_loaded import LeastLoaded
from actors.routing.selection.round_robin import RoundRobin
from actors.routing.types import SelectionPolicy

BUILT_IN: dict[str, type] = {
    LeastLoaded.name: LeastLoaded,
    RoundRobin.name: RoundRobin,
    HighestLevel.name: HighestLevel,
}


def load_policy(spec: str) -> SelectionPolicy:
    """Raises ValueError with a readable reason when `spec` names nothing usable."""
    if spec in BUILT_IN:
        return BUILT_IN[spec]()
    module_name, sep, attribute = spec.partition(":")
    if not sep:
        module_name, _, attribute = spec.rpartition(".")
    if not module_name or not attribute:
        raise ValueError(f"unknown selection policy {spec!r}: use one of "
                         f"{', '.join(sorted(BUILT_IN))} or a dotted path module:Class")
    try:
        factory = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as error:
        raise ValueError(f"selection policy {spec!r} cannot be loaded: {error}") from None
    try:
        policy = factory()
    except Exception as error:
        raise ValueError(f"selection policy {spec!r} cannot be created: {error}") from None
    if not callable(getattr(policy, "choose", None)):
        raise ValueError(f"selection policy {spec!r} has no choose(candidates, request) method")
    if not getattr(policy, "name", None):
        policy.name = spec
    return policy
