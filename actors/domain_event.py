"""Domain events: past-tense facts the entities publish (DESIGN.md decision 9).

Each entity's `protocol` module declares its events as frozen dataclasses that
subclass `DomainEvent`. The bus carries them (encoded here as JSON-ready dicts),
the edge renders them into websocket frames (serve/rendering.py), and those
marked `logged` are appended to the durable event log in the same commit as the
change that caused them (actors/store/event_log.py). Every event type is named
once, in actors/event_catalog.py (described in actors/events.md).
"""

from __future__ import annotations

import functools
from typing import Any, ClassVar

from pydantic import TypeAdapter


class UnknownEvent(ValueError):
    pass


class DomainEvent:
    # Appended to the event log (reports, SLA and audits read it); events that only
    # drive screens (typing, queue positions) are not.
    logged: ClassVar[bool] = False
    _types: ClassVar[dict[str, type["DomainEvent"]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        DomainEvent._types[cls.__name__] = cls

    @property
    def type_name(self) -> str:
        return type(self).__name__


@functools.lru_cache(maxsize=None)
def _adapter(cls: type) -> TypeAdapter:
    return TypeAdapter(cls)


def encode(event: DomainEvent) -> dict[str, Any]:
    """The event as plain JSON values, with its type's name under `type`."""
    return {"type": event.type_name, **_adapter(type(event)).dump_python(event, mode="json")}


def decode(data: dict[str, Any]) -> DomainEvent:
    fields = dict(data)
    name = fields.pop("type", None)
    cls = DomainEvent._types.get(name)
    if cls is None:
        raise UnknownEvent(f"no event type {name!r}")
    return _adapter(cls).validate_python(fields)
