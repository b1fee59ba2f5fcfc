"""Conversation (会话): one visitor's chat, its lifecycle, participants and numbered messages.

Messages are published to the participants' topics only after the commit, so
nothing a client sees can be missing from the database. What each concern does
lives in its own mixin: routing.py (finding an agent), messaging.py (messages,
their attachments and typing), participation.py (transfer, collaborators,
supervisors), feedback.py (rating, the agent's typing indicator), left_pool.py (the
pool of left messages).

Durable: the conversation row, its messages and its participants. Rebuilt after
a restart: status, owner, participants and the next seq (one past the highest
stored), and whether it was rated. Typing previews and indicators are never stored.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime
from typing import Any, Sequence

from actors.agent.protocol import Release, ReservationChecked, agent_ref
from actors.bus import topics
from actors.bus.base import BusEvent
from actors.conversation.bot import BotService
from actors.conversation.bot_protocol import AskForHuman, BotGreet, BotReply, ChooseAnswer
from actors.conversation.feedback import Feedback
from actors.conversation.forwarding import Forwarding
from actors.conversation.left_pool import LeftPool
from actors.conversation.left_pool_protocol import (AssignLeftMessage, CloseLeftMessage, LeaveMessage,
                                                    ReplyToLeftMessage, SeeLeftReply)
from actors.conversation.forwarding_protocol import (ForwardClosed, ForwardQueued, ForwardServed, RelayedPost,
                                                     TakeBack)
from actors.conversation.messaging import Messaging
from actors.conversation.participation import Participation
from actors.conversation.protocol import (KIND, AgentTyping, Assign, CheckReservation,
                                          ConversationEnded, ConversationInfo, End, Ended, FlushTyping,
                                          GetInfo, InviteParticipant, LeaveParticipant,
                                          Offer, Open, Overflow, Post, Posted, QueueLeft, Rate, Supervise,
                                          Takeover, Transfer, Typing)
from actors.conversation.routing import Routing
from actors.domain_event import DomainEvent
from actors.lifecycle import ConversationStatus as Status
from actors.lifecycle import move_conversation
from actors.participants import Participant, PartyKind
from actors.runtime.entity import Entity
from actors.runtime.replies import Rejected
from actors.skill_group.protocol import Withdraw, queue_ref
from actors.store import conversations as store
from actors.store.clock import utcnow
from actors.store.group_commit import Fence
from actors.store.messages import StoredMessage
from actors.tracking.source import TrafficSource


class Conversation(Routing, Messaging, Participation, Feedback, LeftPool, Forwarding, BotService, Entity):
    kind = KIND

    async def on_activate(self) -> None:
        self.status = Status.NEW
        self.center_id = self.visitor_id = self.agent_id = self.group = None
        self.agent_name: str | None = None
        self.visitor_name = ""
        self.source: TrafficSource | None = None
        self.channel = "web"
        self.next_seq = 1
        self.queued_at: float | None = None
        self.transferring_from: str | None = None
        # Agents in the conversation besides the owner: collaborators and supervisors.
        self.participants: dict[str, Participant] = {}
        self.stints: dict[str, datetime] = {}  # when each joined: the key of their row
        self.recent: OrderedDict[str, StoredMessage] = OrderedDict()
        self.typing_text: str | None = None
        self.typing_sent_at = 0.0
        self.agent_typing_at = float("-inf")
        self.rated = False
        self.forward = None  # the link to the center serving it, when forwarded
        self.forward_rev = 0
        self._reset_bot()
        state = await self.services.conversation_states.get(self.key)
        if state is None:
            return
        self.status = Status(state.status)
        self.center_id, self.visitor_id = state.center_id, state.visitor_id
        self.agent_id, self.group, self.channel = state.agent_id, state.skill_group, state.channel
        self.next_seq = state.last_seq + 1
        self.visitor_name, self.source = state.visitor_name, state.source
        self.rated = bool(state.rated)
        if self.status is Status.FORWARDED:
            await self._load_forward()
        if self.status is Status.BOT:
            await self._bot_settings()
        if self.status is Status.ASSIGNED:
            for participant, joined_at in await store.participants_of(self.services.db, self.key):
                self.participants[participant.id] = participant
                self.stints[participant.id] = joined_at

    def unknown(self) -> bool:
        """Never opened: the shard drops the entity after answering (a frame naming
        a conversation that does not exist must not leave one behind)."""
        return self.status is Status.NEW

    async def receive(self, command: Any) -> Any:
        match command:
            case Open():
                return await self._open(command)
            case Post():
                posted = await self._post(command)
                if (self.status is Status.BOT and isinstance(posted, Posted) and not posted.duplicate
                        and command.sender_kind is PartyKind.VISITOR):
                    await self._bot_turn(posted.message)
                return posted
            case BotGreet():
                return await self._greet()
            case BotReply():
                return await self._bot_reply(command)
            case ChooseAnswer():
                return await self._choose(command)
            case AskForHuman():
                return await self._ask_for_human(command)
            case Typing():
                return await self._typing(command)
            case AgentTyping():
                return await self._agent_typing(command)
            case Rate():
                return await self._rate(command)
            case LeaveMessage():
                return await self._take_left_message(command)
            case AssignLeftMessage():
                return await self._assign_left(command)
            case ReplyToLeftMessage():
                return await self._reply_left(command)
            case CloseLeftMessage():
                return await self._close_left(command)
            case SeeLeftReply():
                return await self._see_left_reply(command)
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
            case Transfer():
                return await self._transfer(command)
            case InviteParticipant():
                return await self._invite(command)
            case LeaveParticipant():
                return await self._leave(command)
            case Supervise():
                return await self._supervise(command)
            case Takeover():
                return await self._takeover(command)
            case RelayedPost():
                return await self._relayed_post(command)
            case ForwardQueued():
                return await self._forward_queued(command)
            case ForwardServed():
                return await self._forward_served(command)
            case ForwardClosed():
                return await self._forward_closed(command)
            case TakeBack():
                return await self._take_back(command)
            case GetInfo():
                return self.info()
            case CheckReservation(agent_id=agent_id, token=token):
                # Answered after whatever this conversation was doing: a record in flight has landed.
                held = self._holds_slot(agent_id)
                self.tell(agent_ref(agent_id), ReservationChecked(self.key, token, held))
                return None
        return Rejected("bad_command", f"conversation cannot handle {type(command).__name__}")

    async def _save(self, events: Sequence[DomainEvent] = (), fence: Fence | None = None,
                    **fields: Any) -> None:
        """Commit changed columns of this conversation, and the events they record
        (group-committed with the shard's other writes, see actors/store/group_commit.py).
        A new owner's slot is recorded with the grant's `fence` (StaleGrant: not written)."""
        await self.services.writes.update_conversation(self.key, events=events, fence=fence, **fields)

    def info(self) -> ConversationInfo:
        agent_id = self.agent_id
        if self.forward is not None and self.forward.agent is not None:
            agent_id = self.forward.agent.id  # served on the linked center
        bot_name = (self.bot.name if self.bot is not None else "") if self.status is Status.BOT else None
        return ConversationInfo(self.key, self.center_id, self.visitor_id, agent_id,
                                self.agent_name, self.status, self.group, self.next_seq - 1,
                                tuple(self.participants.values()), bot_name)

    def evictable(self) -> bool:
        return self.typing_text is None and not self.bot_composing and super().evictable()

    # -- ending -----------------------------------------------------------------------------

    def _may_end(self, command: End) -> Rejected | None:
        if command.by_kind is PartyKind.VISITOR:
            return None if command.by_id == self.visitor_id else Rejected("forbidden", "not your conversation")
        if command.by_kind is PartyKind.SYSTEM or command.overseer:
            return None
        if command.by_kind is PartyKind.AGENT and command.by_id == self.agent_id:
            return None
        # Fails closed: a collaborator, another agent or an unexpected kind of sender.
        return Rejected("forbidden", "you are not serving this conversation")

    async def _end(self, command: End) -> Ended | Rejected:
        if self.status is Status.NEW:
            return Rejected("not_found", "no such conversation")
        refusal = self._may_end(command)
        if refusal is not None:
            return refusal
        if self.status is Status.ENDED:
            return Ended(self.info())
        events: list[DomainEvent] = []
        if self.status is Status.QUEUED:
            await self.ask(queue_ref(self.center_id, self.group), Withdraw(self.key))
            events.append(QueueLeft(self.key, self.center_id, self.group, "abandoned", self._waited()))
        previous_agent = self.agent_id if self.status is Status.ASSIGNED else None
        self._release_collaborators()
        # Staff ending a conversation they do not own do so as supervisors.
        by = (PartyKind.SUPERVISOR if command.by_kind is PartyKind.AGENT and command.by_id != self.agent_id
              else command.by_kind)
        self.status = move_conversation(self.status, Status.ENDED)
        self.cancel_all()
        self.typing_text = None
        ended = ConversationEnded(self.key, self.center_id, by, command.reason, previous_agent)
        events.append(ended)
        await self._save(events=events, status=self.status.value, ended_at=utcnow(),
                         ended_by=by.value, end_reason=command.reason, queue_deadline=None)
        if previous_agent is not None:
            self.tell(agent_ref(previous_agent), Release(self.key))
        await self._publish(ended)  # a forwarded one's link actor closes the forward
        self.forward = None
        return Ended(self.info())

    # -- fan-out ------------------------------------------------------------------------------

    def _topics(self, internal: bool = False) -> list[str]:
        """The visitor (unless `internal`), the owner once there is one, the other participants."""
        to = [] if internal else [topics.visitor(self.visitor_id)]
        if self.forward is not None:
            to.append(topics.links(self.center_id))  # the link actor relays it on
        if self.agent_id is not None and self.status in (Status.ASSIGNED, Status.ENDED):
            to.append(topics.agent(self.agent_id))
        to.extend(topics.agent(agent_id) for agent_id in self.participants if agent_id != self.agent_id)
        return to

    async def _publish(self, event: DomainEvent, origin: str | None = None, internal: bool = False,
                       also: Sequence[str] = ()) -> tuple[str, ...]:
        """To everyone in the conversation (staff only when `internal`), and `also`;
        returns the topics."""
        to = tuple(dict.fromkeys([*self._topics(internal), *also]))
        bus_event = BusEvent(event, origin=origin)
        for topic in to:
            await self.services.bus.publish(topic, bus_event)
        return to

    async def _publish_visitor(self, event: DomainEvent) -> None:
        await self.services.bus.publish(topics.visitor(self.visitor_id), BusEvent(event))
