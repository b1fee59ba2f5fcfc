"""Reservations: slots an agent granted that the database does not yet show recorded.

A grant and its record are two steps in two entities: the agent grants a slot
(`Reserve` -> `Granted`), then the conversation records the assignment. Either
shard may die in between. So a grant is first written down (`SlotReserved`, in
the event log, before `Granted` leaves), and stays provisional until the
conversations table shows it recorded:

- the conversation's shard died before recording: the slot would leak. After
  `reservation_check_s` the agent reads the conversation's row; when it is not
  (yet) theirs it asks the conversation itself, whose mailbox answers only
  after whatever it is doing (a record in flight) is done, and drops the slot
  when the answer is no;
- the agent's shard died before the record landed: the rebuilt agent would grant
  the slot again. It counts the written-down grants whose conversation is still
  unsettled as held, so it never grants beyond its cap.

A question carries a token: the answer to a question asked before the slot was
granted again (a re-offer of the same conversation) must not drop the new grant.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field


@dataclass
class Reservation:
    since: float  # when granted, or last asked about
    token: int | None = None  # the question out to the conversation, if any


@dataclass
class Reservations:
    pending: dict[str, Reservation] = field(default_factory=dict)
    _tokens: itertools.count = field(default_factory=lambda: itertools.count(1))

    def __contains__(self, conversation_id: str) -> bool:
        return conversation_id in self.pending

    def __len__(self) -> int:
        return len(self.pending)

    def granted(self, conversation_id: str, now: float) -> None:
        """A new grant, or the same slot granted again: any question out is void."""
        self.pending[conversation_id] = Reservation(now)

    def settle(self, conversation_id: str) -> None:
        """Recorded, released or dropped: no longer provisional."""
        self.pending.pop(conversation_id, None)

    def due(self, now: float, after_s: float) -> list[str]:
        return [cid for cid, r in self.pending.items() if r.since + after_s <= now]

    def ask(self, conversation_id: str, now: float) -> int:
        """A question goes to the conversation; returns its token."""
        token = next(self._tokens)
        self.pending[conversation_id] = Reservation(now, token)
        return token

    def answers(self, conversation_id: str, token: int) -> bool:
        """Whether an answer with `token` is about the grant still held."""
        reservation = self.pending.get(conversation_id)
        return reservation is not None and reservation.token == token

    def next_due(self, after_s: float) -> float | None:
        return min((r.since + after_s for r in self.pending.values()), default=None)
