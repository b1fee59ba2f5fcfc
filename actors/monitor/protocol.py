"""The monitor's protocol: what its feed carries on the center's monitor topic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from actors.domain_event import DomainEvent


@dataclass(frozen=True)
class FactLogged(DomainEvent):
    """A row just committed to the event log, as the log holds it (its type, `at` and
    `data`), or a stored message (kind `MessagePosted`, `at` its ts, `data` the
    MessagePosted event's): the monitor applies it exactly as what it seeds from.
    Not logged itself; only inside FactsCommitted."""

    kind: str
    at: datetime
    data: dict[str, Any]


@dataclass(frozen=True)
class FactsCommitted(DomainEvent):
    """Facts of a shard's recent commits, in commit order: one bus event for many, so
    the monitor costs the bus one delivery per batch, not one per fact."""

    facts: tuple[FactLogged, ...]
