"""The monitor's protocol: the one event its feed carries besides MessagePosted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from actors.domain_event import DomainEvent


@dataclass(frozen=True)
class FactLogged(DomainEvent):
    """A row just committed to the event log, as the log holds it (its type, `at` and
    `data`): the monitor applies it exactly as it applies the rows it seeds from.
    Not logged itself; only on the center's monitor topic."""

    kind: str
    at: datetime
    data: dict[str, Any]
