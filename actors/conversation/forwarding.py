"""A conversation served by a linked center (级联): offered when it opens, then relayed.

A mixin of the Conversation entity (actors/conversation/entity.py). When the group a
request routes to is a business this center forwards (federation/client.py), the
link actor is asked to offer it; if a linked center accepts, the conversation is
`forwarded`: the visitor stays here, their messages are stored here as always and
the link actor relays them (it follows the center's links topic), the serving
center's messages come back as RelayedPost. Declined or unanswered everywhere, the
conversation waits in the local queue of the same group, as if never offered.

One owner at a time: the forward leg is this conversation's only door for the link;
once the conversation is taken back (TakeBack) or ended, the leg is gone and what the
link still says of it is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from actors.conversation.forwarding_protocol import (ConversationForwarded, ForwardClosed, ForwardQueued,
                                                     ForwardServed, ForwardTakenBack, RelayedPost,
                                                     ServedElsewhere, TakeBack)
from actors.conversation.protocol import (ConversationEnded, ConversationQueued, MessagePosted, Open,
                                          Opened, Posted)
from actors.lifecycle import ConversationStatus as Status
from actors.lifecycle import move_conversation
from actors.participants import AgentRef, Visibility
from actors.runtime.replies import Done, Rejected
from actors.skill_group.protocol import next_rev
from actors.store.clock import utcnow
from actors.store.forwards import open_forward_of
from actors.store.messages import DuplicateMessage, StoredMessage
from federation.messages import OfferRequest


@dataclass
class ForwardLeg:
    peer: str
    forward_id: str
    agent: AgentRef | None = None


class Forwarding:
    async def _load_forward(self) -> None:
        """After a restart: the open forward of a `forwarded` conversation."""
        forward = await open_forward_of(self.services.db, self.key, "out")
        if forward is not None:
            self.forward = ForwardLeg(forward.peer, forward.id)

    async def _try_forward(self, command: Open, common: dict[str, Any], requested: Any) -> Opened | None:
        """Offered to a linked center; None when nobody took it (serve it here)."""
        offered = command.offered
        result = await self.services.links.offer(OfferRequest(
            self.key, self.visitor_id, self.visitor_name, self.channel, command.visitor.level, self.group,
            hops=offered.hops if offered else (), answer_by_ms=offered.answer_by_ms if offered else 0))
        if not result.forwarded:
            return None
        self.forward = ForwardLeg(result.peer, result.forward_id)
        self.status = move_conversation(self.status, Status.FORWARDED)
        forwarded = ConversationForwarded(self.key, self.center_id, self.visitor_id, self.group, result.peer,
                                          result.forward_id, result.reason)
        await self.services.writes.insert_conversation(
            events=(requested, forwarded), status=self.status.value, skill_group=self.group, **common)
        self.forward_rev = next_rev(0, self.services.clock())
        return Opened(self.info(), position=max(1, result.position), rev=self.forward_rev)

    def _leg(self, forward_id: str) -> ForwardLeg | Rejected:
        if self.status is not Status.FORWARDED or self.forward is None or self.forward.forward_id != forward_id:
            return Rejected("not_found", "no such forward here")
        return self.forward

    async def _forward_queued(self, command: ForwardQueued) -> Done | Rejected:
        leg = self._leg(command.forward_id)
        if isinstance(leg, Rejected):
            return leg
        if leg.agent is None:
            self.forward_rev = next_rev(self.forward_rev, self.services.clock())
            await self._publish_visitor(ConversationQueued(
                self.key, self.center_id, self.visitor_id, self.group, max(1, command.position), self.forward_rev))
        return Done()

    async def _forward_served(self, command: ForwardServed) -> Done | Rejected:
        leg = self._leg(command.forward_id)
        if isinstance(leg, Rejected):
            return leg
        agent = AgentRef(command.agent_id, command.display_name)
        if leg.agent == agent:
            return Done()  # told twice (the offer's answer and the event that followed it)
        leg.agent = agent
        self.agent_name = command.display_name
        await self._publish_visitor(ServedElsewhere(self.key, leg.peer, leg.agent))
        return Done()

    async def _relayed_post(self, command: RelayedPost) -> Posted | Rejected:
        leg = self._leg(command.forward_id)
        if isinstance(leg, Rejected):
            return leg
        client_msg_id = command.client_msg_id
        known = self.recent.get(client_msg_id)
        if known is not None:
            return Posted(known, duplicate=True)
        attached = await self._attachments(command)
        if isinstance(attached, Posted | Rejected):
            return attached
        message = StoredMessage(self.key, self.next_seq, command.sender_kind, command.sender_id, command.body,
                                client_msg_id, utcnow(),
                                Visibility.INTERNAL if command.internal else Visibility.PUBLIC, attached)
        try:
            await self.services.writes.append_message(message)
        except DuplicateMessage as duplicate:
            self._remember(duplicate.existing)
            return Posted(duplicate.existing, duplicate=True)
        self.next_seq += 1
        self._remember(message)
        published = await self._publish(MessagePosted(message), internal=message.internal)
        return Posted(message, topics=published)

    async def _forward_closed(self, command: ForwardClosed) -> Done | Rejected:
        leg = self._leg(command.forward_id)
        if isinstance(leg, Rejected):
            return leg
        self.status = move_conversation(self.status, Status.ENDED)
        self.cancel_all()
        self.typing_text = None
        ended = ConversationEnded(self.key, self.center_id, command.by, command.disposition, None)
        await self._save(events=(ended,), status=self.status.value, ended_at=utcnow(), ended_by=command.by.value,
                         end_reason=command.disposition)
        await self._publish(ended)
        self.forward = None
        return Done()

    async def _take_back(self, command: TakeBack) -> Opened | Rejected:
        leg = self._leg(command.forward_id)
        if isinstance(leg, Rejected):
            return leg
        taken = ForwardTakenBack(self.key, self.center_id, leg.peer, leg.forward_id, command.reason, self.group,
                                 leg.agent.id if leg.agent else None)
        self.forward = None
        self.agent_name = None
        self.status = move_conversation(self.status, Status.QUEUED)
        await self._save(events=(taken,), status=self.status.value)
        await self._publish_visitor(taken)  # a transfer to the group, as the visitor sees it
        return await self._requeue_at_head(self.group)
