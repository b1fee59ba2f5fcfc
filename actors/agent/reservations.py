"""Reservations: slots an agent granted that the database does not yet show recorded.

A grant and its record are two steps in two entities: the agent grants a slot
(`Reserve` -> `Granted`), then the conversation records the assignment. Either
shard may die in between. A grant stays provisional until the database shows it
recorded:

- the conversation's shard died before recording: the slot would leak. After
  `reservation_check_s` the agent reads the conversation's row; when it is not
  (yet) theirs it asks the conversation itself, whose mailbox answers only
  after whatever it is doing (a record in flight) is done, and drops the slot
  when the answer is no;
- the agent's shard died before the record landed: the rebuilt agent does not
  know of the grant and would grant the slot again. An owner's slot is *fenced*:
  each build of the agent's entity bumps its incarnation (agents.incarnation)
  before counting its slots, `Granted` carries the incarnation, and the
  conversation's record lands only if it is still the agent's, checked inside the
  record's transaction (actors/store/group_commit.py). So the old grant's record
  either landed before the bump and is counted, or is refused (StaleGrant) and
  the conversation asks again. No write per grant: measured, writing each grant
  down first (one more commit on the way to every assignment) cut an ACD burst's
  rate by about a third. A collaborator's slot, recorded in another table, is
  written down instead (`SlotReserved` in the event log, before `Granted`
  leaves), and the rebuilt agent counts those whose conversation is unsettled.

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
