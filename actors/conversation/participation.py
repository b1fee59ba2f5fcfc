"""Transfer (转接), collaborators and supervisors of a conversation.

A mixin of the Conversation entity (actors/conversation/entity.py). A change of
owner goes through the ACD's own rule: only the target agent's entity grants
its slot (Reserve), so a transfer can never push anyone over their cap. A
transfer to a skill group waits at the head of that group's line.
"""

from __future__ import annotations

from actors.agent.protocol import Granted, Release, Reserve, agent_ref
from actors.bus import topics
from actors.bus.base import BusEvent
from actors.center.protocol import CenterSettings, GetRouting, GetSettings, center_ref
from actors.conversation.protocol import (ConversationAssigned, ConversationInfo,
                                          ConversationTransferred,
                                          InviteParticipant,
                                          LeaveParticipant, Opened, ParticipantJoined,
                                          ParticipantLeft, Supervise, Takeover, Transfer)
from actors.lifecycle import ConversationStatus as Status
from actors.lifecycle import move_conversation
from actors.participants import AgentRef, Participant, ParticipantRole, PartyKind, VisitorRef
from actors.runtime.replies import Rejected
from actors.store.clock import utcnow
from actors.store.group_commit import Fence, StaleGrant

_REFUSALS = {"at_capacity": "the agent has no free slot",
             "not_available": "the agent is not online",
             "unknown_agent": "no such agent"}


class Participation:
    def _may_direct(self, by_id: str, overseer: bool) -> Rejected | None:
        """Owner-only actions (transfer, invite): the owner, or staff who oversee."""
        if self.status is not Status.ASSIGNED:
            return Rejected("conversation_closed", "the conversation is not being served")
        if by_id != self.agent_id and not overseer:
            return Rejected("forbidden", "only the owner or a supervisor may do that")
        return None

    async def _transfer(self, command: Transfer) -> ConversationInfo | Opened | Rejected:
        refusal = self._may_direct(command.by_id, command.overseer)
        if refusal is not None:
            return refusal
        if (command.to_agent_id is None) == (command.to_skill_group is None):
            return Rejected("invalid_frame", "transfer to one agent or one skill group")
        if command.to_agent_id is not None:
            if command.to_agent_id == self.agent_id:
                return Rejected("invalid_frame", "the conversation is already theirs")
            return await self._hand_to_agent(command.to_agent_id, command.by_id, command.note,
                                             Reserve(self.key, fenced=True))
        return await self._hand_to_group(command.to_skill_group, command.by_id, command.note)

    async def _takeover(self, command: Takeover) -> ConversationInfo | Rejected:
        if self.status is not Status.ASSIGNED:
            return Rejected("conversation_closed", "the conversation is not being served")
        if command.supervisor_id == self.agent_id:
            return self.info()
        # A supervisor may take over while away, never beyond their cap.
        return await self._hand_to_agent(command.supervisor_id, command.supervisor_id, "",
                                         Reserve(self.key, by_agent=True, fenced=True))

    async def _hand_to_agent(self, agent_id: str, by_id: str, note: str,
                             reserve: Reserve) -> ConversationInfo | Rejected:
        answer = await self.ask(agent_ref(agent_id), reserve)
        if not isinstance(answer, Granted):
            return Rejected(answer.reason, _REFUSALS.get(answer.reason, "the agent cannot take it"))
        previous, previous_name = self.agent_id, self.agent_name
        self.agent_id, self.agent_name = agent_id, answer.snapshot.display_name
        transferred = ConversationTransferred(self.key, self.center_id, previous, agent_id, None,
                                              by_id, note, answer.snapshot.display_name)
        assigned = self._assigned_event(transferred_from=previous)
        try:
            await self._save(events=(transferred, assigned), fence=Fence(agent_id, answer.incarnation),
                             agent_id=agent_id, assigned_at=utcnow())
        except StaleGrant:  # their entity was rebuilt since it granted: it never counted this
            self.agent_id, self.agent_name = previous, previous_name
            return Rejected("not_available", "the agent's workspace was restarting; try again")
        departing = self.participants.pop(agent_id, None)
        stint = self.stints.pop(agent_id, None)
        if departing is not None and stint is not None:
            await self.services.writes.update_participant(self._stint_key(agent_id, stint),
                                                          left_at=utcnow())
        if previous is not None:
            self.tell(agent_ref(previous), Release(self.key))
        old_owner = (topics.agent(previous),) if previous else ()
        await self._publish(transferred, also=old_owner)
        await self.services.bus.publish(topics.agent(agent_id), BusEvent(assigned))
        return self.info()

    async def _hand_to_group(self, group: str, by_id: str, note: str) -> Opened | Rejected:
        routing = await self.ask(center_ref(self.center_id), GetRouting())
        if isinstance(routing, Rejected) or group not in routing.groups:
            return Rejected("unknown_skill_group", f"no skill group {group!r}")
        previous = self.agent_id
        transferred = ConversationTransferred(self.key, self.center_id, previous, None, group,
                                              by_id, note)
        self.status = move_conversation(self.status, Status.QUEUED)
        self.agent_id = self.agent_name = None
        self.group, self.transferring_from = group, previous
        await self._save(events=(transferred,), status=self.status.value, agent_id=None,
                         skill_group=group)
        if previous is not None:
            self.tell(agent_ref(previous), Release(self.key))
        await self._publish(transferred, also=(topics.agent(previous),) if previous else ())
        return await self._requeue_at_head(group)

    def _assigned_event(self, transferred_from: str | None) -> ConversationAssigned:
        return ConversationAssigned(
            self.key, self.center_id, self.group, AgentRef(self.agent_id, self.agent_name or ""),
            VisitorRef(self.visitor_id, self.visitor_name), self.channel, self.next_seq - 1,
            transferred_from=transferred_from)

    # -- collaborators and supervisors ---------------------------------------------------------

    async def _invite(self, command: InviteParticipant) -> ConversationInfo | Rejected:
        refusal = self._may_direct(command.by_id, command.overseer)
        if refusal is not None:
            return refusal
        if command.agent_id == self.agent_id or command.agent_id in self.participants:
            return self.info()
        settings = await self.ask(center_ref(self.center_id), GetSettings())
        takes_slot = isinstance(settings, CenterSettings) and settings.collaborators_take_slot
        if takes_slot:
            # The collaborator's own entity grants the slot, as for an owner; they
            # may be away, but never go beyond their cap.
            answer = await self.ask(agent_ref(command.agent_id), Reserve(self.key, by_agent=True))
            if not isinstance(answer, Granted):
                return Rejected(answer.reason, _REFUSALS.get(answer.reason, "the agent cannot join"))
        participant = Participant(PartyKind.AGENT, command.agent_id, ParticipantRole.COLLABORATOR,
                                  holds_slot=takes_slot)
        await self._join(participant)
        return self.info()

    def _holds_slot(self, agent_id: str) -> bool:
        """Whether the conversation holds one of this agent's slots: as its owner, or as
        a collaborator the center lets take one."""
        if agent_id == self.agent_id:
            return self.status is Status.ASSIGNED
        participant = self.participants.get(agent_id)
        # A collaborator keeps their slot while the conversation waits after a transfer.
        return (participant is not None and participant.holds_slot
                and self.status in (Status.ASSIGNED, Status.QUEUED))

    def _release_collaborators(self) -> None:
        for participant in self.participants.values():
            if participant.holds_slot:
                self.tell(agent_ref(participant.id), Release(self.key))

    async def _supervise(self, command: Supervise) -> ConversationInfo | Rejected:
        if self.status is not Status.ASSIGNED:
            return Rejected("conversation_closed", "the conversation is not being served")
        if command.supervisor_id == self.agent_id:
            return Rejected("invalid_frame", "you own this conversation")
        participant = Participant(PartyKind.SUPERVISOR, command.supervisor_id,
                                  ParticipantRole.SUPERVISOR, command.mode)
        current = self.participants.get(command.supervisor_id)
        if current == participant:
            return self.info()
        if current is not None:  # a change of mode ends one stint and starts the next
            await self._part(command.supervisor_id)
        await self._join(participant)
        return self.info()

    async def _leave(self, command: LeaveParticipant) -> ConversationInfo | Rejected:
        if command.agent_id not in self.participants:
            if command.agent_id == self.agent_id:
                return Rejected("forbidden", "the owner transfers or ends the conversation instead")
            return Rejected("not_found", "you are not in this conversation")
        await self._part(command.agent_id)
        return self.info()

    async def _join(self, participant: Participant) -> None:
        joined_at = utcnow()
        joined = ParticipantJoined(self.key, self.center_id, participant)
        await self.services.writes.insert_participant(
            events=(joined,), conversation_id=self.key, participant_id=participant.id,
            kind=participant.kind.value, role=participant.role.value,
            mode=participant.mode.value if participant.mode else None,
            holds_slot=participant.holds_slot, joined_at=joined_at)
        self.participants[participant.id] = participant
        self.stints[participant.id] = joined_at
        await self._publish(joined)

    async def _part(self, agent_id: str) -> None:
        participant = self.participants.pop(agent_id)
        stint = self.stints.pop(agent_id)
        left = ParticipantLeft(self.key, self.center_id, participant)
        await self.services.writes.update_participant(self._stint_key(agent_id, stint),
                                                      events=(left,), left_at=utcnow())
        if participant.holds_slot:
            self.tell(agent_ref(agent_id), Release(self.key))
        await self._publish(left, also=(topics.agent(agent_id),))

    def _stint_key(self, agent_id: str, joined_at) -> dict:
        return {"conversation_id": self.key, "participant_id": agent_id, "joined_at": joined_at}
