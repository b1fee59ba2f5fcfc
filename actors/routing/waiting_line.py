"""One skill group's waiting line (排队): priority first, then first come, first served."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import Iterator

from sortedcontainers import SortedList

from actors.tracking.source import TrafficSource


@dataclass(frozen=True)
class WaitingEntry:
    conversation_id: str
    visitor_id: str
    priority: int  # higher is served first
    enqueued_at: float  # epoch seconds; keeps its value across overflow to another group
    deadline: float | None = None  # epoch seconds when the group's queue timeout overflows it
    preferred_agent_id: str | None = None
    channel: str = "web"
    visitor_name: str = ""
    source: TrafficSource | None = None  # where the visit came from (None: not known)
    # A conversation transferred to this group waits ahead of everyone (转接).
    at_head: bool = False
    # Set by the line that holds the entry: its order of arrival there, breaking ties
    # between equal enqueue times. It stays with the entry while an agent is offered
    # it, so a refused offer comes back to the same place (not behind its equals).
    arrival: int | None = None


class WaitingLine:
    """Ordered by (transferred here first, -priority, enqueued_at, arrival), so a visitor is never overtaken
    by a later arrival of the same priority. Membership and lookup are O(1),
    insertion, removal and position O(log n)."""

    def __init__(self) -> None:
        self._order: SortedList = SortedList()
        self._entries: dict[str, tuple[tuple, WaitingEntry]] = {}
        self._arrivals = itertools.count()

    def add(self, entry: WaitingEntry) -> None:
        """Adds or replaces (keeping the place in line if priority and time are unchanged).
        An entry that left this line (for an offer) and comes back keeps its `arrival`;
        an entry new here must come without one."""
        previous = self._entries.get(entry.conversation_id)
        if previous is not None:
            old_key, old = previous
            entry = replace(entry, arrival=old.arrival)
            if (old.at_head, old.priority, old.enqueued_at) == (entry.at_head, entry.priority,
                                                                 entry.enqueued_at):
                self._entries[entry.conversation_id] = (old_key, entry)
                return
            self._order.remove(old_key)
        elif entry.arrival is None:
            entry = replace(entry, arrival=next(self._arrivals))
        key = (not entry.at_head, -entry.priority, entry.enqueued_at, entry.arrival,
               entry.conversation_id)
        self._order.add(key)
        self._entries[entry.conversation_id] = (key, entry)

    def remove(self, conversation_id: str) -> WaitingEntry | None:
        found = self._entries.pop(conversation_id, None)
        if found is None:
            return None
        self._order.remove(found[0])
        return found[1]

    def get(self, conversation_id: str) -> WaitingEntry | None:
        found = self._entries.get(conversation_id)
        return found[1] if found else None

    def position(self, conversation_id: str) -> int | None:
        """1 for the head of the line."""
        found = self._entries.get(conversation_id)
        return None if found is None else self._order.index(found[0]) + 1

    def head(self) -> WaitingEntry | None:
        return self._entries[self._order[0][-1]][1] if self._order else None

    def positions(self) -> dict[str, int]:
        return {key[-1]: index for index, key in enumerate(self._order, start=1)}

    def expired(self, now: float) -> list[WaitingEntry]:
        """Entries whose queue timeout has passed, in line order."""
        return [entry for entry in self if entry.deadline is not None and entry.deadline <= now]

    def next_deadline(self) -> float | None:
        deadlines = [entry.deadline for _, entry in self._entries.values() if entry.deadline is not None]
        return min(deadlines, default=None)

    def __iter__(self) -> Iterator[WaitingEntry]:
        for key in list(self._order):
            yield self._entries[key[-1]][1]

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, conversation_id: object) -> bool:
        return conversation_id in self._entries
