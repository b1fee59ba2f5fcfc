"""How a conversation finds its agent: routing, the queue's offers, overflow.

A mixin of the Conversation entity (actors/conversation/entity.py): the same
state, split from it so each file holds one concern.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any

from actors.agent.protocol import (AgentSnapshot, GetSnapshot, Granted, Refused, Release, Reserve,
                                   agent_ref)
from actors.center.protocol import GetRouting, center_ref
from actors.conversation.protocol import (Assign, ConversationQueued,
                                          ConversationRequested, MessageLeft, Offer, Open, Opened,
                                          Overflow, QueueLeft)
from actors.lifecycle import ConversationStatus as Status
from actors.lifecycle import move_conversation
from actors.routing.rules import route
from actors.routing.types import LEAVE_MESSAGE
from actors.routing.waiting_line import WaitingEntry
from actors.runtime.replies import Rejected
from actors.skill_group.protocol import Enqueue, Enqueued, Offered, OfferOutcome, Withdraw, queue_ref
from actors.store.clock import utcnow
from actors.store.group_commit import Fence, StaleGrant

log = logging.getLogger(__name__)


class Routing:
    async def _open(self, command: Open) -> Opened | Rejected:
        if self.status is not Status.NEW:
            if command.visitor.visitor_id != self.visitor_id:
                return Rejected("forbidden", "not your conversation")
            return Opened(self.info())
        routing = await self.ask(center_ref(command.center_id), GetRouting())
        if isinstance(routing, Rejected):
            return routing
        now = self.services.clock()
        # The shard's clock, not the system's: work hours follow the injected clock too.
        decision = route(command.request, command.visitor, routing, datetime.fromtimestamp(now, timezone.utc))
        if decision.skill_group is None and decision.offline_reason == "unknown_skill_group":
            return Rejected("unknown_skill_group", "no such skill group")
        self.center_id, self.visitor_id = command.center_id, command.visitor.visitor_id
        self.visitor_name, self.channel = command.visitor_name, command.visitor.channel
        self.source = command.source
        requested = ConversationRequested(self.key, self.center_id, self.visitor_id, self.channel,
                                          command.request.requested_group, decision.priority)
        common = dict(id=self.key, center_id=self.center_id, visitor_id=self.visitor_id,
                      channel=self.channel, priority=decision.priority,
                      preferred_agent_id=decision.preferred_agent_id, requested_at=utcnow())
        if decision.skill_group is None:
            self.status = move_conversation(self.status, Status.LEFT_MESSAGE)
            # The closed group keeps the left message: its agents and its department's
            # supervisors find it in the pool.
            self.group = decision.closed_group
            left = MessageLeft(self.key, self.center_id, self.visitor_id, self.group, decision.offline_reason)
            await self.services.writes.insert_conversation(
                events=(requested, left), status=self.status.value, skill_group=self.group,
                end_reason=decision.offline_reason, **common)
            return Opened(self.info(), offline_reason=decision.offline_reason)
        self.group = decision.skill_group
        if decision.bot is not None:
            return await self._engage_bot(decision, common, requested)
        if self.services.links.forwards(self.group):
            forwarded = await self._try_forward(command, common, requested)
            if forwarded is not None:
                return forwarded
        await self.services.writes.insert_conversation(
            events=(requested,), status=Status.QUEUED.value, skill_group=self.group,
            enqueued_at=now, **common)
        self.status = move_conversation(self.status, Status.QUEUED)
        entry = WaitingEntry(conversation_id=self.key, visitor_id=self.visitor_id,
                             priority=decision.priority, enqueued_at=now, deadline=None,
                             preferred_agent_id=decision.preferred_agent_id, channel=self.channel,
                             visitor_name=self.visitor_name, source=self.source)
        return await self._enter_queue(self.group, entry, origin=command.origin)

    async def _enter_queue(self, group: str, entry: WaitingEntry, origin: str | None) -> Opened:
        self.queued_at = self.services.clock()
        reply = await self.ask(queue_ref(self.center_id, group), Enqueue(entry))
        reply = await self._through_offers(group, reply, origin)
        if reply is None:
            return Opened(self.info())
        if isinstance(reply, Enqueued):
            queued = ConversationQueued(self.key, self.center_id, self.visitor_id, group,
                                        reply.position, reply.rev)
            await self._save(events=(queued,), queue_deadline=reply.deadline)
            return Opened(self.info(), position=reply.position, rev=reply.rev)
        # The group vanished between routing and enqueueing: nobody can serve it.
        await self._leave_message("unknown_skill_group")
        return Opened(self.info(), offline_reason="unknown_skill_group")

    async def _through_offers(self, group: str, reply: Any, origin: str | None) -> Any:
        """Take the queue's offers until an agent grants a slot (returns None, the
        conversation is assigned) or the queue answers otherwise (returned)."""
        queue = queue_ref(self.center_id, group)
        while isinstance(reply, Offered):
            try:
                answer = await self.ask(agent_ref(reply.agent_id), Reserve(self.key, fenced=True))
            except Exception:  # the agent's shard is restarting: try another agent
                log.exception("offer to %s failed", reply.agent_id)
                answer = Refused("unknown_agent", None)
            if isinstance(answer, Granted):
                await self.services.fault_points.reach("conversation.granted", reply.agent_id)
                if await self._become_assigned(reply.agent_id, answer.snapshot.display_name, origin,
                                               Fence(reply.agent_id, answer.incarnation)):
                    self.tell(queue, OfferOutcome(self.key, reply.agent_id, answer.snapshot,
                                                  granted=True, waiting=False))
                    return None
                # The agent's entity was rebuilt since it granted: the queue takes
                # the rebuilt one's view of the agent and offers again.
                answer = Refused("not_available", await self._fresh_snapshot(reply.agent_id))
            reply = await self.ask(queue, OfferOutcome(self.key, reply.agent_id, answer.snapshot,
                                                       granted=False, waiting=True))
        return reply

    async def _offer(self, command: Offer) -> None:
        if self.status is not Status.QUEUED or self.group != command.group:
            # Moved on (ended, overflowed) while the offer was on its way.
            self.tell(queue_ref(self.center_id, command.group),
                      OfferOutcome(self.key, command.agent_id, None, granted=False, waiting=False))
            return
        reply = await self._through_offers(command.group, Offered(command.agent_id), origin=None)
        if isinstance(reply, Enqueued):  # refused: back in line, and the visitor hears where
            await self._publish_visitor(ConversationQueued(
                self.key, self.center_id, self.visitor_id, self.group, reply.position, reply.rev))

    async def _assign(self, command: Assign) -> None:
        if self.status is Status.QUEUED:
            if not await self._become_assigned(command.agent_id, command.display_name, None,
                                               Fence(command.agent_id, command.incarnation)):
                await self._requeue_at_head(self.group)
        elif self.agent_id != command.agent_id:
            # Ended or moved on while the offer was in flight: give the slot back.
            self.tell(agent_ref(command.agent_id), Release(self.key))

    async def _become_assigned(self, agent_id: str, display_name: str, origin: str | None,
                               fence: Fence) -> bool:
        """Record the agent's grant; False (nothing changed) if the agent's entity was
        rebuilt since it granted, when the rebuilt one must be asked again."""
        before = (self.status, self.transferring_from, self.agent_id, self.agent_name)
        self.status = move_conversation(self.status, Status.ASSIGNED)
        transferred_from, self.transferring_from = self.transferring_from, None
        self.agent_id, self.agent_name = agent_id, display_name
        assigned = self._assigned_event(transferred_from)
        left = QueueLeft(self.key, self.center_id, self.group or "", "assigned", self._waited())
        try:
            await self._save(events=(left, assigned), fence=fence, status=self.status.value,
                             agent_id=agent_id, assigned_at=utcnow())
        except StaleGrant:
            self.status, self.transferring_from, self.agent_id, self.agent_name = before
            return False
        await self._publish(assigned, origin=origin)
        return True

    async def _fresh_snapshot(self, agent_id: str) -> AgentSnapshot | None:
        try:
            snapshot = await self.ask(agent_ref(agent_id), GetSnapshot())
        except Exception:  # restarting again: the queue drops the agent until it announces
            log.exception("no snapshot of %s", agent_id)
            return None
        return snapshot if isinstance(snapshot, AgentSnapshot) else None

    async def _requeue_at_head(self, group: str) -> Opened:
        """Wait at the head of `group`'s line (a transfer to the group, a pick whose grant
        went stale), and tell the visitor their place."""
        entry = WaitingEntry(conversation_id=self.key, visitor_id=self.visitor_id, priority=0,
                             enqueued_at=self.services.clock(), channel=self.channel,
                             visitor_name=self.visitor_name, source=self.source, at_head=True)
        opened = await self._enter_queue(group, entry, origin=None)
        if opened.position is not None:
            await self._publish_visitor(ConversationQueued(
                self.key, self.center_id, self.visitor_id, group, opened.position, opened.rev))
        return opened

    def _waited(self) -> float:
        return round(max(0.0, self.services.clock() - (self.queued_at or self.services.clock())), 3)

    async def _overflow(self, command: Overflow) -> None:
        if self.center_id is None:
            return  # no such conversation: the queue gives up repeating in time
        # Heard: the old queue stops repeating the overflow (actors/skill_group/deadlines.py).
        self.tell(queue_ref(self.center_id, command.from_group), Withdraw(self.key))
        if self.status is not Status.QUEUED or self.group != command.from_group:
            return
        if command.target == LEAVE_MESSAGE:
            await self._leave_message("queue_timeout", outcome="timed_out")
            return
        left = QueueLeft(self.key, self.center_id, self.group, "overflowed", self._waited())
        self.status = move_conversation(self.status, Status.QUEUED)
        self.group = command.target
        await self._save(events=(left,), skill_group=self.group, queue_deadline=None)
        opened = await self._enter_queue(self.group, command.entry, origin=None)
        if opened.position is not None:
            await self._publish_visitor(ConversationQueued(
                self.key, self.center_id, self.visitor_id, self.group, opened.position, opened.rev))

    async def _leave_message(self, reason: str, outcome: str | None = None) -> None:
        events: tuple = ()
        if outcome is not None and self.group is not None:
            events = (QueueLeft(self.key, self.center_id, self.group, outcome, self._waited()),)
        self.status = move_conversation(self.status, Status.LEFT_MESSAGE)
        left = MessageLeft(self.key, self.center_id, self.visitor_id, self.group, reason)
        await self._save(events=events + (left,), status=self.status.value, end_reason=reason,
                         queue_deadline=None)
        await self._publish_visitor(left)
