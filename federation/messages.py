"""What a center's shards and its link actor say to each other (value types, pickled
by Ray): a conversation asks to be offered to a linked center and hears how it went."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OfferRequest:
    conversation_id: str
    visitor_id: str
    visitor_name: str
    channel: str
    level: int
    business: str
    hops: tuple[str, ...] = ()  # the centers it came through already, origin first (a forward of a forward)
    answer_by_ms: int = 0  # an upstream offer's deadline (epoch ms) this one must fit inside; 0: none


@dataclass(frozen=True)
class OfferResult:
    """`peer` took it (with its place in line), or nobody did (`reason`)."""

    peer: str | None
    forward_id: str | None = None
    reason: str = ""  # ownership | business_type | overflow | out_of_hours; or why not
    position: int = 1
    expected_wait_s: float = 0.0

    @property
    def forwarded(self) -> bool:
        return self.peer is not None
