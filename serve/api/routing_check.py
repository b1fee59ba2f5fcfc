"""A routing change is tried on the parser the center itself uses before it is stored.

The candidate is the stored routing with the change applied; whatever
`parse_center_routing` refuses (an unknown overflow target or default group, an
overflow cycle, bad work hours or rule, a selection policy that does not load)
is answered 4xx and nothing is written, so a setting the router cannot use never
reaches the center.
"""

from __future__ import annotations

from typing import Any

from actors.routing.rules import parse_center_routing
from actors.routing.selection.loader import load_policy
from actors.routing.types import LEAVE_MESSAGE, CenterRouting
from actors.store.centers import routing_config
from serve.errors import ApiError
from serve.runtime import GatewayRuntime

# Names the router gives a meaning of its own: a group may not take them.
RESERVED_GROUP_NAMES = frozenset({LEAVE_MESSAGE})


async def stored_routing(rt: GatewayRuntime) -> dict[str, Any]:
    config = await routing_config(rt.db, rt.center_id)
    if config is None:
        raise ApiError(404, "not_found", f"no center {rt.center_id}")
    return config


def checked_routing(config: dict[str, Any], status: int = 422,
                    code: str = "invalid_setting") -> CenterRouting:
    """The routing the center would run on `config`; ApiError(status) if it cannot."""
    try:
        routing = parse_center_routing(config)
        load_policy(routing.selection_policy)
    except Exception as error:  # any refusal of the parser is the caller's bad setting
        raise ApiError(status, code, str(error) or type(error).__name__) from None
    return routing


def refuse_reserved(name: str) -> None:
    if name in RESERVED_GROUP_NAMES:
        raise ApiError(422, "reserved_name", f"{name!r} is reserved by the router; choose another name")
