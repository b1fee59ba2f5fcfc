"""A test-only domain event for the bus tests: any JSON-shaped payload, so the bus
contract is checked on values of every shape, not only on the center's events."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from actors.bus.base import BusEvent, Delivery, EventsLost
from actors.domain_event import DomainEvent


@dataclass(frozen=True)
class Probe(DomainEvent):
    label: str = ""
    i: int | str | None = None
    data: dict[str, Any] | None = None

    def as_frame(self) -> dict[str, Any]:
        frame: dict[str, Any] = {"type": self.label} if self.label else {}
        if self.i is not None:
            frame["i"] = self.i
        return {**frame, **(self.data or {})}


def probe(frame: dict[str, Any], origin: str | None = None) -> BusEvent:
    """A bus event carrying `frame` (given as the dict it comes back as)."""
    rest = {k: v for k, v in frame.items() if k not in ("type", "i")}
    return BusEvent(Probe(frame.get("type", ""), frame.get("i"), rest or None), origin=origin)


def frame_of(delivery: Delivery | BusEvent) -> dict[str, Any]:
    event = delivery.event if isinstance(delivery, Delivery) else delivery
    if isinstance(event.event, EventsLost):
        return {"type": "bus.overflow"}
    return event.event.as_frame()
