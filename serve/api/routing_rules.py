"""Routing rules: `/api/v1/admin/routing-rules` (admins change, supervisors read).

Rules are ordered: the first matching rule that names a group decides the group,
and every matching rule adds its priority bonus (actors/routing/rules.py). So a
rule is addressed by its position (1 = first), like a firewall's rule numbers;
deleting or inserting one moves the positions after it. Every change is tried
on the center's own parser before it is stored and counts from the next chat
request.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, ConfigDict, Field

from actors.store.centers import get_center, set_center_routing
from serve.api.access import Caller, Runtime, require_role
from serve.api.error_responses import AUTHENTICATED, errors
from serve.api.reloads import reload_center
from serve.api.routing_check import checked_routing, stored_routing
from serve.errors import ApiError

router = APIRouter(prefix="/api/v1/admin/routing-rules", tags=["routing rules"])
MAX_RULES = 500
Names = Annotated[list[Annotated[str, Field(min_length=1, max_length=64)]], Field(max_length=100)]
Level = Annotated[int, Field(ge=0, le=9)]
Position = Annotated[int, Path(ge=1, le=MAX_RULES)]


class RuleWhen(BaseModel):
    """Every condition given must hold; none given matches every request."""

    model_config = ConfigDict(extra="forbid")
    regions: Names | None = None
    min_level: Level | None = None
    max_level: Level | None = None
    channels: Names | None = None
    requested_groups: Names | None = None


class RuleThen(BaseModel):
    model_config = ConfigDict(extra="forbid")
    skill_group: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    priority_bonus: Annotated[int, Field(ge=-100, le=100)] = 0


class RoutingRule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    when: RuleWhen = RuleWhen()
    then: RuleThen = RuleThen()


class NewRule(RoutingRule):
    position: Annotated[int, Field(ge=1, le=MAX_RULES)] | None = None  # None: at the end


class PlacedRule(RoutingRule):
    position: int


class RuleList(BaseModel):
    routing_rules: list[PlacedRule]


class RuleListBody(BaseModel):
    routing_rules: Annotated[list[RoutingRule], Field(max_length=MAX_RULES)]


def _stored(rule: RoutingRule) -> dict[str, Any]:
    return rule.model_dump(exclude_none=True, exclude={"position"})


def _placed(rules: list[dict[str, Any]]) -> RuleList:
    return RuleList(routing_rules=[PlacedRule(position=i, **_as_lists(rule))
                                   for i, rule in enumerate(rules, start=1)])


def _as_lists(rule: dict[str, Any]) -> dict[str, Any]:
    """A center file may name one region as a string; the API always shows lists."""
    when = {key: [value] if isinstance(value, str) else value
            for key, value in (rule.get("when") or {}).items()}
    return {**rule, "when": when, "then": rule.get("then") or {}}


async def _rules(rt: Runtime) -> list[dict[str, Any]]:
    return list((await stored_routing(rt)).get("routing_rules") or [])


async def _store(rt: Runtime, rules: list[dict[str, Any]]) -> RuleList:
    config = await stored_routing(rt)
    checked_routing({**config, "routing_rules": rules})
    center = await get_center(rt.db, rt.center_id)
    await set_center_routing(rt.db, rt.center_id, {**(center.routing or {}), "routing_rules": rules})
    await reload_center(rt)
    return _placed(rules)


def _at(rules: list[dict[str, Any]], position: int) -> int:
    if position > len(rules):
        raise ApiError(404, "not_found", f"there is no rule {position} (the center has {len(rules)})")
    return position - 1


@router.get("", response_model=RuleList, responses=errors(*AUTHENTICATED))
async def list_rules(rt: Runtime, who: Caller) -> RuleList:
    require_role(who, "admin", "supervisor")
    return _placed(await _rules(rt))


@router.put("", response_model=RuleList, responses=errors(*AUTHENTICATED))
async def replace_rules(body: RuleListBody, rt: Runtime, who: Caller) -> RuleList:
    require_role(who, "admin")
    return await _store(rt, [_stored(rule) for rule in body.routing_rules])


@router.post("", response_model=PlacedRule, responses=errors(*AUTHENTICATED, 409))
async def add_rule(body: NewRule, rt: Runtime, who: Caller) -> PlacedRule:
    """Inserted at `position` (the rules from there on move down), or at the end."""
    require_role(who, "admin")
    rules = await _rules(rt)
    if len(rules) >= MAX_RULES:
        raise ApiError(409, "too_many_rules", f"a center has at most {MAX_RULES} rules")
    index = min(len(rules), (body.position or len(rules) + 1) - 1)
    rules.insert(index, _stored(body))
    placed = await _store(rt, rules)
    return placed.routing_rules[index]


@router.get("/{position}", response_model=PlacedRule, responses=errors(*AUTHENTICATED, 404))
async def get_rule(position: Position, rt: Runtime, who: Caller) -> PlacedRule:
    require_role(who, "admin", "supervisor")
    rules = await _rules(rt)
    return _placed(rules).routing_rules[_at(rules, position)]


@router.put("/{position}", response_model=PlacedRule, responses=errors(*AUTHENTICATED, 404))
async def replace_rule(position: Position, body: RoutingRule, rt: Runtime, who: Caller) -> PlacedRule:
    require_role(who, "admin")
    rules = await _rules(rt)
    index = _at(rules, position)
    rules[index] = _stored(body)
    return (await _store(rt, rules)).routing_rules[index]


@router.delete("/{position}", status_code=204, response_class=Response,
               responses=errors(*AUTHENTICATED, 404))
async def delete_rule(position: Position, rt: Runtime, who: Caller) -> Response:
    require_role(who, "admin")
    rules = await _rules(rt)
    del rules[_at(rules, position)]
    await _store(rt, rules)
    return Response(status_code=204)
