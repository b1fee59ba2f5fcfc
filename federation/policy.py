"""Which linked center a conversation is offered to, if any (pure: plain data in, a
ranked list of peers out; the link actor acts on it).

Each link's `forward` rules name a business and when to forward it:
- `always`: the business belongs to the peer (a child owns it, hierarchical cascade);
- `overflow`: only when the peer's advertised expected wait plus the hand-off cost
  beats ours by more than `margin_s` (Avaya's Best Service Routing interflows only on a
  real improvement); with hysteresis, so the choice does not flap: once forwarding,
  it stops only when the gain falls below `margin_s - hysteresis_s`;
- `out_of_hours`: only when we are closed for it and the peer is open.

A peer whose link is down, isolated (by us or by it), whose advert is past its TTL (for the
rules that need one), or who is already on the conversation's path (a loop) is
skipped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Literal

When = Literal["always", "overflow", "out_of_hours"]


@dataclass(frozen=True)
class ForwardRule:
    peer: str
    business: str
    when: tuple[When, ...]
    margin_s: float = 30.0
    hysteresis_s: float = 10.0
    handoff_s: float = 2.0


@dataclass(frozen=True)
class PeerView:
    """What we know of a peer for one business right now."""

    up: bool
    isolated: bool
    expected_wait_s: float | None  # None: no usable advert
    open_now: bool | None
    agents_staffed: int | None


@dataclass(frozen=True)
class LocalView:
    expected_wait_s: float  # inf: nobody here can serve it
    open_now: bool


def candidates(rules: Iterable[ForwardRule], business: str, hops: tuple[str, ...],
               local: LocalView, peers: dict[str, PeerView], forwarding: set[str]) -> list[tuple[str, str]]:
    """(peer, reason) pairs to offer to, best first. `forwarding`: the peers an overflow
    rule currently forwards to (for the hysteresis); the caller keeps it."""
    chosen: list[tuple[int, float, str, str]] = []
    for rule in rules:
        view = peers.get(rule.peer)
        if rule.business != business or view is None or not view.up or view.isolated or rule.peer in hops:
            continue
        reason = _reason(rule, local, view, rule.peer in forwarding)
        if reason is not None:
            wait = view.expected_wait_s if view.expected_wait_s is not None else math.inf
            chosen.append((0 if reason == "ownership" else 1, wait, rule.peer, reason))
    chosen.sort()
    return [(peer, reason) for _, _, peer, reason in chosen]


def _reason(rule: ForwardRule, local: LocalView, view: PeerView, forwarding_now: bool) -> str | None:
    if "always" in rule.when:
        return "ownership"
    usable = view.expected_wait_s is not None and view.open_now and (view.agents_staffed or 0) > 0
    if "out_of_hours" in rule.when and not local.open_now and usable:
        return "out_of_hours"
    if "overflow" in rule.when and usable and local.open_now:
        gain = local.expected_wait_s - (view.expected_wait_s + rule.handoff_s)
        threshold = rule.margin_s - rule.hysteresis_s if forwarding_now else rule.margin_s
        if gain > threshold:
            return "overflow"
    return None
