"""Conversation (会话): one visitor's chat, its lifecycle and its numbered messages.

Every accepted message gets the next `seq` and is committed before it is
acknowledged; a resent client_msg_id gets the seq it already has. Messages are
published to the participants' topics only after the commit, so nothing a
client sees can be missing from the database.

Durable: the conversation row and its messages. Rebuilt after a restart: status,
participants and the next seq (one past the highest stored). Typing previews are
never stored.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from actors.agent import Granted, Refused, Release, Reserve, agent_ref
from actors.bus import topics
from actors.bus.base import BusEvent
from actors.center import GetRouting, center_ref
from actors.lifecycle import ConversationStatus as Status
from actors.lifecycle import accepts_visitor_messages, move_conversation
from actors.placement import EntityRef
from actors.routing.rules import route
from actors.routing.types import LEAVE_MESSAGE, ChatRequest, VisitorProfile
from actors.routing.waiting_line import WaitingEntry
from actors.runtime.entity import Entity
from actors.runtime.replies import Rejected
from actors.skill_group import Enqueue, Enqueued, Offered, OfferOutcome, Withdraw, queue_ref
from actors.store import conversations as store
from actors.store.clock import utcnow

log = logging.getLogger(__name__)

# -- protocol -------------------------------------------------------------------


@dataclass(frozen=True)
class Open:
    center_id: str
    visitor: VisitorProfile
    visitor_name: str
    request: ChatRequest
    origin: str | None = None


@dataclass(frozen=True)
class Post:
    sender_kind: str  # visitor | agent
    sender_id: str
    client_msg_id: str
    body: str
    origin: str | None = None


@dataclass(frozen=True)
class Typing:
    visitor_id: str
    text: str


@dataclass(frozen=True)
class FlushTyping:
    pass


@dataclass(frozen=True)
class End:
    by_kind: str  # visitor | agent | supervisor
    by_id: str
    reason: str = "closed"


@dataclass(frozen=True)
class Offer:
    """From a queue: ask this agent for a slot, and tell the queue how it went."""

    agent_id: str
    group: str


@dataclass(frozen=True)
class Assign:
    """From a queue: this agent has reserved a slot for the conversation (a pick)."""

    agent_id: str
    display_name: str


@dataclass(frozen=True)
class Overflow:
    """From a queue: the wait ran out; go to `target` (a group or LEAVE_MESSAGE)."""

    from_group: str
    target: str
    entry: WaitingEntry


@dataclass(frozen=True)
class GetInfo:
    pass


@dataclass(frozen=True)
class ConversationInfo:
    conversation_id: str
    center_id: str | None
    visitor_id: str | None
    agent_id: str | None
    agent_name: str | None
    status: Status
    skill_group: str | None
    last_seq: int


@dataclass(frozen=True)
class Opened:
    """The answer to a chat request: queued (with position), assigned, or offline."""

    info: ConversationInfo
    position: int | None = None
    rev: int | None = None
    offline_reason: str | None = None


@dataclass(frozen=True)
class Posted:
    message: store.StoredMessage
    duplicate: bool = False
    # The topics a new message was published to: the gateway hands it to its own
    # sockets there without waiting for the bus (the event is rebuilt there from
    # `message` by message_event, not sent back twice).
    topics: tuple[str, ...] = ()


def message_event(message: store.StoredMessage, origin: str | None) -> BusEvent:
    """The bus event of a committed message, as every socket gets it."""
    return BusEvent({"type": "message", "message": message.to_wire()}, origin=origin,
                    conversation_id=message.conversation_id, seq=message.seq)


@dataclass(frozen=True)
class Ended:
    info: ConversationInfo


TYPING_INTERVAL_S = 0.1  # at most ~10 previews a second per conversation
TYPING_MAX_CHARS = 2000
RECENT_CLIENT_IDS = 512


def conversation_ref(conversation_id: str) -> EntityRef:
    return EntityRef(Conversation.kind, conversation_id)


class Conversation(Entity):
    kind = "conversation"

    async def on_activate(self) -> None:
        self.status = Status.NEW
        self.center_id = self.visitor_id = self.agent_id = self.group = None
        self.agent_name: str | None = None
        self.visitor_name = ""
        self.channel = "web"
        self.next_seq = 1
        self.recent: OrderedDict[str, store.StoredMessage] = OrderedDict()
        self.typing_text: str | None = None
        self.typing_sent_at = 0.0
        state = await self.services.conversation_states.get(self.key)
        if state is None:
            return
        self.status = Status(state.status)
        self.center_id, self.visitor_id = state.center_id, state.visitor_id
        self.agent_id, self.group, self.channel = state.agent_id, state.skill_group, state.channel
        self.next_seq = state.last_seq + 1

    async def receive(self, command: Any) -> Any:
        match command:
            case Open():
                return await self._open(command)
            case Post():
                return await self._post(command)
            case Typing():
                return await self._typing(command)
            case FlushTyping():
                return await self._flush_typing()
            case End():
                return await self._end(command)
            case Offer():
                return await self._offer(command)
            case Assign():
                return await self._assign(command)
            case Overflow():
                return await self._overflow(command)
            case GetInfo():
                return self.info()
        return Rejected("bad_command", f"conversation cannot handle {type(command).__name__}")

    async def _save(self, **fields: Any) -> None:
        """Commit changed columns of this conversation (group-committed with the shard's
        other writes, see actors/store/group_commit.py)."""
        await self.services.writes.update_conversation(self.key, **fields)

    def info(self) -> ConversationInfo:
        return ConversationInfo(self.key, self.center_id, self.visitor_id, self.agent_id,
                                self.agent_name, self.status, self.group, self.next_seq - 1)

    def evictable(self) -> bool:
        return self.typing_text is None and super().evictable()

    # -- opening and routing ---------------------------------------------------------

    async def _open(self, command: Open) -> Opened | Rejected:
        if self.status is not Status.NEW:
            if command.visitor.visitor_id != self.visitor_id:
                return Rejected("forbidden", "not your conversation")
            return Opened(self.info())
        routing = await self.ask(center_ref(command.center_id), GetRouting())
        if isinstance(routing, Rejected):
            return routing
        now = self.services.clock()
        decision = route(command.request, command.visitor, routing, utcnow())
        self.center_id, self.visitor_id = command.center_id, command.visitor.visitor_id
        self.visitor_name, self.channel = command.visitor_name, command.visitor.channel
        if decision.skill_group is None and decision.offline_reason == "unknown_skill_group":
            self.status = Status.NEW
            return Rejected("unknown_skill_group", "no such skill group")
        common = dict(id=self.key, center_id=self.center_id, visitor_id=self.visitor_id,
                      channel=self.channel, priority=decision.priority,
                      preferred_agent_id=decision.preferred_agent_id, requested_at=utcnow())
        if decision.skill_group is None:
            self.status = move_conversation(self.status, Status.LEFT_MESSAGE)
            await self.services.writes.insert_conversation(
                status=self.status.value, end_reason=decision.offline_reason, **common)
            return Opened(self.info(), offline_reason=decision.offline_reason)
        self.group = decision.skill_group
        await self.services.writes.insert_conversation(
            status=Status.QUEUED.value, skill_group=self.group, enqueued_at=now, **common)
        self.status = move_conversation(self.status, Status.QUEUED)
        entry = WaitingEntry(conversation_id=self.key, visitor_id=self.visitor_id,
                             priority=decision.priority, enqueued_at=now, deadline=None,
                             preferred_agent_id=decision.preferred_agent_id, channel=self.channel,
                             visitor_name=self.visitor_name)
        return await self._enter_queue(self.group, entry, origin=command.origin)

    async def _enter_queue(self, group: str, entry: WaitingEntry, origin: str | None) -> Opened:
        reply = await self.ask(queue_ref(self.center_id, group), Enqueue(entry))
        reply = await self._through_offers(group, reply, origin)
        if reply is None:
            return Opened(self.info())
        if isinstance(reply, Enqueued):
            if reply.deadline is not None:
                await self._save(queue_deadline=reply.deadline)
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
                answer = await self.ask(agent_ref(reply.agent_id), Reserve(self.key))
            except Exception:  # the agent's shard is restarting: try another agent
                log.exception("offer to %s failed", reply.agent_id)
                answer = Refused("unknown_agent", None)
            if isinstance(answer, Granted):
                await self._become_assigned(reply.agent_id, answer.snapshot.display_name, origin)
                self.tell(queue, OfferOutcome(self.key, reply.agent_id, answer.snapshot,
                                              granted=True, waiting=False))
                return None
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
            frame = {"type": "queued", "conversation_id": self.key, "position": reply.position,
                     "skill_group": self.group}
            await self._publish_visitor(BusEvent(frame, conversation_id=self.key, rev=reply.rev))

    async def _assign(self, command: Assign) -> None:
        if self.status is Status.QUEUED:
            await self._become_assigned(command.agent_id, command.display_name, origin=None)
        elif self.agent_id != command.agent_id:
            # Ended or moved on while the offer was in flight: give the slot back.
            self.tell(agent_ref(command.agent_id), Release(self.key))

    async def _become_assigned(self, agent_id: str, display_name: str, origin: str | None) -> None:
        self.status = move_conversation(self.status, Status.ASSIGNED)
        self.agent_id, self.agent_name = agent_id, display_name
        await self._save(status=self.status.value, agent_id=agent_id, assigned_at=utcnow())
        agent = {"id": agent_id, "display_name": display_name}
        frame = {"type": "assigned", "conversation_id": self.key, "agent": agent}
        await self._publish_visitor(BusEvent(frame, origin=origin, conversation_id=self.key))
        await self.services.bus.publish(topics.agent(agent_id), BusEvent(
            {**frame, "visitor": {"id": self.visitor_id, "name": self.visitor_name},
             "channel": self.channel, "skill_group": self.group, "last_seq": self.next_seq - 1},
            conversation_id=self.key))

    async def _overflow(self, command: Overflow) -> None:
        if self.status is not Status.QUEUED or self.group != command.from_group:
            return
        if command.target == LEAVE_MESSAGE:
            await self._leave_message("queue_timeout")
            return
        self.status = move_conversation(self.status, Status.QUEUED)
        self.group = command.target
        await self._save(skill_group=self.group, queue_deadline=None)
        opened = await self._enter_queue(self.group, command.entry, origin=None)
        if opened.position is not None:
            frame = {"type": "queued", "conversation_id": self.key, "position": opened.position,
                     "skill_group": self.group}
            await self._publish_visitor(BusEvent(frame, conversation_id=self.key, rev=opened.rev))

    async def _leave_message(self, reason: str) -> None:
        self.status = move_conversation(self.status, Status.LEFT_MESSAGE)
        await self._save(status=self.status.value, end_reason=reason, queue_deadline=None)
        frame = {"type": "offline", "conversation_id": self.key, "reason": reason,
                 "leave_message": True}
        await self._publish_visitor(BusEvent(frame, conversation_id=self.key))

    # -- messages -------------------------------------------------------------------------

    def _may_post(self, command: Post) -> Rejected | None:
        if command.sender_kind == "visitor":
            if command.sender_id != self.visitor_id:
                return Rejected("forbidden", "not your conversation")
            if not accepts_visitor_messages(self.status):
                return Rejected("conversation_closed", "the conversation has ended")
        elif command.sender_kind == "agent":
            if command.sender_id != self.agent_id:
                return Rejected("forbidden", "you are not serving this conversation")
            if self.status is not Status.ASSIGNED:
                return Rejected("conversation_closed", "the conversation has ended")
        else:
            return Rejected("forbidden", "only the visitor and the agent write here")
        return None

    async def _post(self, command: Post) -> Posted | Rejected:
        if self.status is Status.NEW:
            return Rejected("not_found", "no such conversation")
        known = self.recent.get(command.client_msg_id)
        if known is not None and known.sender_id == command.sender_id:
            return Posted(known, duplicate=True)
        refusal = self._may_post(command)
        if refusal is not None:
            return refusal
        message = store.StoredMessage(self.key, self.next_seq, command.sender_kind, command.sender_id,
                                      command.body, command.client_msg_id, utcnow())
        try:
            await self.services.writes.append_message(message)
        except store.DuplicateMessage as duplicate:
            if duplicate.existing.sender_id != command.sender_id:
                return Rejected("duplicate_client_msg_id", "client_msg_id already used here")
            self._remember(duplicate.existing)
            return Posted(duplicate.existing, duplicate=True)
        self.next_seq += 1
        self._remember(message)
        if command.sender_kind == "visitor":
            self.typing_text = None  # the preview became a message
        published = await self._publish_participants(message_event(message, command.origin))
        return Posted(message, topics=published)

    def _remember(self, message: store.StoredMessage) -> None:
        if message.client_msg_id is None:
            return
        self.recent[message.client_msg_id] = message
        while len(self.recent) > RECENT_CLIENT_IDS:
            self.recent.popitem(last=False)

    # -- typing preview -----------------------------------------------------------------

    async def _typing(self, command: Typing) -> None:
        if command.visitor_id != self.visitor_id or self.status is not Status.ASSIGNED:
            return
        self.typing_text = command.text[:TYPING_MAX_CHARS]
        wait = self.typing_sent_at + TYPING_INTERVAL_S - time.monotonic()
        if wait <= 0:
            await self._flush_typing()
        elif "typing" not in self._timers:
            # Coalesce: the newest text goes out when the interval is over.
            self.schedule("typing", wait, FlushTyping())

    async def _flush_typing(self) -> None:
        if self.typing_text is None or self.agent_id is None:
            return
        frame = {"type": "typing.preview", "conversation_id": self.key, "text": self.typing_text}
        self.typing_text = None
        self.typing_sent_at = time.monotonic()
        # seq: the last message when this was typed; a socket that already got a
        # later visitor message drops the preview as stale (serve/connection.py).
        await self.services.bus.publish(topics.agent(self.agent_id),
                                        BusEvent(frame, conversation_id=self.key, seq=self.next_seq - 1))

    # -- ending -----------------------------------------------------------------------------

    async def _end(self, command: End) -> Ended | Rejected:
        if self.status is Status.NEW:
            return Rejected("not_found", "no such conversation")
        if command.by_kind == "visitor" and command.by_id != self.visitor_id:
            return Rejected("forbidden", "not your conversation")
        if command.by_kind == "agent" and command.by_id != self.agent_id:
            return Rejected("forbidden", "you are not serving this conversation")
        if self.status is Status.ENDED:
            return Ended(self.info())
        if self.status is Status.QUEUED:
            await self.ask(queue_ref(self.center_id, self.group), Withdraw(self.key))
        previous_agent = self.agent_id if self.status is Status.ASSIGNED else None
        self.status = move_conversation(self.status, Status.ENDED)
        self.cancel_all()
        self.typing_text = None
        await self._save(status=self.status.value, ended_at=utcnow(), ended_by=command.by_kind,
                         end_reason=command.reason, queue_deadline=None)
        if previous_agent is not None:
            self.tell(agent_ref(previous_agent), Release(self.key))
        frame = {"type": "ended", "conversation_id": self.key, "by": command.by_kind}
        await self._publish_participants(BusEvent(frame, conversation_id=self.key))
        return Ended(self.info())

    # -- fan-out ------------------------------------------------------------------------------

    async def _publish_visitor(self, event: BusEvent) -> None:
        await self.services.bus.publish(topics.visitor(self.visitor_id), event)

    async def _publish_participants(self, event: BusEvent) -> tuple[str, ...]:
        """To the visitor and, once there is one, the agent; returns the topics."""
        to = [topics.visitor(self.visitor_id)]
        if self.agent_id is not None and self.status in (Status.ASSIGNED, Status.ENDED):
            to.append(topics.agent(self.agent_id))
        for topic in to:
            await self.services.bus.publish(topic, event)
        return tuple(to)
