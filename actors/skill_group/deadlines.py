"""How long a conversation may wait in a skill group (超时转接), and where it goes then.

A mixin of the SkillGroupQueue entity (actors/skill_group/entity.py): the same
state, split from it so each file holds one concern.

An entry's deadline is set when it enters this group's line: the group's
`queue_timeout_s` from then, whatever it waited elsewhere before (its place in
line, by contrast, keeps its original enqueue time). When the deadline passes
the queue takes it out of line and tells its conversation to overflow to the
group's `overflow_to` (another group, or a left message). That tell is repeated
until the conversation confirms with a Withdraw: a tell is lost if the
conversation's shard restarts meanwhile, and without the repeat the visitor
would wait in no line at all.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from actors.conversation.protocol import Overflow, conversation_ref
from actors.routing.types import LEAVE_MESSAGE
from actors.skill_group.protocol import ResendOverflows, Tick

log = logging.getLogger(__name__)

# How long an overflow may go unconfirmed before it is told again, and how often
# at most (a conversation that never answers is not in any line anyway).
OVERFLOW_RESEND_S = 15.0
OVERFLOW_RESENDS = 8




class Deadlines:
    def _deadline_from(self, now: float) -> float | None:
        timeout = self.settings.queue_timeout_s if self.settings is not None else None
        return now + timeout if timeout else None

    def _give_deadlines(self) -> None:
        """Entries without a deadline get one from now (the group's timeout was set
        or changed), keeping their places."""
        now = self.services.clock()
        for entry in list(self.line):
            if entry.deadline is None and (deadline := self._deadline_from(now)) is not None:
                self.line.add(replace(entry, deadline=deadline))
        self._arm_deadline()

    async def _expire(self) -> None:
        target = self.settings.overflow_to or LEAVE_MESSAGE
        now = self.services.clock()
        for entry in self.line.expired(now):
            self.line.remove(entry.conversation_id)
            self.published.pop(entry.conversation_id, None)
            overflow = Overflow(self.group, target, entry)
            self.overflowing[entry.conversation_id] = (overflow, now, 0)
            self.tell(conversation_ref(entry.conversation_id), overflow)
        if self.overflowing and "overflows" not in self._timers:
            self.schedule("overflows", OVERFLOW_RESEND_S, ResendOverflows())
        self._arm_deadline()
        await self._changed()

    def _resend_overflows(self) -> None:
        now = self.services.clock()
        for cid, (overflow, told_at, resent) in list(self.overflowing.items()):
            if told_at > now - OVERFLOW_RESEND_S:
                continue
            if resent >= OVERFLOW_RESENDS:
                log.warning("conversation %s never confirmed its overflow from %s", cid, self.group)
                del self.overflowing[cid]
                continue
            self.overflowing[cid] = (overflow, now, resent + 1)
            self.tell(conversation_ref(cid), overflow)
        if self.overflowing:
            self.schedule("overflows", OVERFLOW_RESEND_S, ResendOverflows())

    def _arm_deadline(self) -> None:
        deadline = self.line.next_deadline()
        if deadline is None:
            self.cancel("deadline")
        else:
            self.schedule("deadline", deadline - self.services.clock(), Tick())
