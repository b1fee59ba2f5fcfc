"""The event bus contract: real-time fan-out of frames to whoever holds a socket.

The bus is best-effort and ordered per publisher; durability comes from the
database (DESIGN.md decision 2). A subscriber that sees a gap in a
conversation's `seq` fills it from the database, so a lost event delays a
message but never loses it. Both backends (in-cluster hub, Redis) pass the same
contract tests in tests/integration/test_bus_contract.py.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from typing import Any, AsyncIterator


@dataclass(frozen=True)
class BusEvent:
    """One frame for the sockets subscribed to a topic.

    `frame` is the websocket frame exactly as PROTOCOL.md shapes it. `origin`
    names the socket whose action caused the event, so that socket is not sent
    its own echo; `seq` is set for conversation messages so gaps can be found.
    """

    frame: dict[str, Any]
    origin: str | None = None
    conversation_id: str | None = None
    seq: int | None = None
    # For `queued` frames: the queue's revision, so a late position never
    # overwrites a newer one that reached the socket by another path.
    rev: int | None = None

    def to_json_dict(self) -> dict[str, Any]:
        return {"frame": self.frame, "origin": self.origin,
                "conversation_id": self.conversation_id, "seq": self.seq, "rev": self.rev}

    @classmethod
    def from_json_dict(cls, data: dict[str, Any]) -> "BusEvent":
        return cls(frame=data["frame"], origin=data.get("origin"),
                   conversation_id=data.get("conversation_id"), seq=data.get("seq"),
                   rev=data.get("rev"))


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
