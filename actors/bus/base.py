"""The event bus contract: real-time fan-out of domain events to whoever holds a socket.

The bus is best-effort and ordered per publisher; durability comes from the
database (DESIGN.md decision 2). A subscriber that sees a gap in a
conversation's `seq` fills it from the database, so a lost event delays a
message but never loses it. Both backends (in-cluster hub, Redis) pass the same
contract tests in tests/integration/test_bus_contract.py.
"""

from __future__ import annotations

import abc
import functools
import json
from dataclasses import dataclass
from typing import Any, AsyncIterator

from actors.domain_event import DomainEvent
from actors.event_catalog import decode, encode


@dataclass(frozen=True)
class EventsLost(DomainEvent):
    """The bus dropped events for this subscriber (overflow, reconnect): re-read
    everything from the database."""


@dataclass(frozen=True)
class BusEvent:
    """One domain event for the sockets subscribed to a topic.

    The edge renders it into frames (serve/rendering.py). `origin` names the
    socket whose action caused the event, so that socket is not sent its own echo.
    """

    event: DomainEvent
    origin: str | None = None

    @property
    def conversation_id(self) -> str | None:
        return getattr(self.event, "conversation_id", None)

    def to_json_dict(self) -> dict[str, Any]:
        return {"event": encode(self.event), "origin": self.origin}

    @functools.cached_property
    def json_text(self) -> str:
        """As the backends send it; encoded once however many topics it goes to."""
        return json.dumps(self.to_json_dict(), ensure_ascii=False)

    @classmethod
    def from_json_dict(cls, data: dict[str, Any]) -> "BusEvent":
        return cls(decode(data["event"]), origin=data.get("origin"))


@dataclass(frozen=True)
class Delivery:
    topic: str
    event: BusEvent


class Subscription(abc.ABC):
    """A changing set of topics and the stream of events published to them."""

    @abc.abstractmethod
    async def add(self, *topics: str) -> None:
        """Start receiving `topics`; returns once events published afterwards will arrive."""

    @abc.abstractmethod
    async def remove(self, *topics: str) -> None: ...

    @abc.abstractmethod
    def __aiter__(self) -> AsyncIterator[Delivery]: ...

    @abc.abstractmethod
    async def close(self) -> None: ...


class EventBus(abc.ABC):
    @abc.abstractmethod
    async def publish(self, topic: str, event: BusEvent) -> None: ...

    @abc.abstractmethod
    async def subscribe(self, *topics: str) -> Subscription: ...

    @abc.abstractmethod
    async def close(self) -> None: ...
