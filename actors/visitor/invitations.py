"""A visitor's proactive invitations (主动邀请): sent, accepted, declined, expired.

A mixin of the Visitor entity (actors/visitor/entity.py). A visitor has at most one
open invitation at a time (`already_invited`), none while a conversation of theirs
is open (`in_conversation`), and none when the center's switch is off. Accepting
opens a conversation through the visitor's own door (the center's limit of open
conversations holds) with the inviting agent designated: the ACD offers it to them
first, and only their agent entity grants the slot (DESIGN.md decision 10); should
they have no free slot or be offline by then, the conversation waits in their group
for whoever frees up first. An auto-invitation (no agent) goes to the ACD as it is.
A visitor who asks to chat on their own meanwhile closes it as `withdrawn`.

Durable: nothing but the event log (`InvitationSent` / `InvitationClosed`); an
invitation open when the shard restarts is forgotten (accepting it then answers
`not_found`, and the visitor can still ask to chat).
"""

from __future__ import annotations

import uuid
from dataclasses import replace

from actors.agent.protocol import AgentSnapshot, GetSnapshot, agent_ref
from actors.browsing.protocol import InvitationPending, browsing_ref
from actors.bus import topics
from actors.bus.base import BusEvent
from actors.center.protocol import GetRouting, center_ref
from actors.conversation.protocol import Opened
from actors.routing.types import CenterRouting, ChatRequest
from actors.runtime.replies import Rejected
from actors.visitor.protocol import (AcceptInvitation, DeclineInvitation, InvitationClosed,
                                     InvitationExpires, InvitationSent, Invite, Invited,
                                     OpenInvitations, RequestChat)


class Invitations:
    async def _invite(self, command: Invite) -> Invited | Rejected:
        settings = (await self._settings(command.center_id)).invitations
        if not settings.enabled or (command.agent_id is None and not settings.auto.enabled):
            return Rejected("invitations_off", "this center does not send invitations")
        if self.invitations:
            return Rejected("already_invited", "this visitor has an open invitation")
        if self.open:
            await self._still_open()
            if self.open:
                return Rejected("in_conversation", "this visitor is in a conversation")
        text = command.text or (settings.text if command.agent_id else settings.auto.text)
        sent = InvitationSent(command.center_id, f"i_{uuid.uuid4().hex[:20]}", self.key,
                              command.agent_id, command.agent_name, text, auto=command.agent_id is None)
        await self.services.writes.log(sent)
        self.invitations[sent.invitation_id] = sent
        self.schedule(f"invitation:{sent.invitation_id}", settings.ttl_s,
                      InvitationExpires(sent.invitation_id))
        await self.services.bus.publish(topics.visitor(self.key), BusEvent(sent))
        self.tell(browsing_ref(command.center_id), InvitationPending(self.key, True))
        return Invited(sent.invitation_id)

    def _open_invitations(self) -> OpenInvitations:
        return OpenInvitations(tuple(self.invitations.values()))

    async def _accept(self, command: AcceptInvitation) -> Opened | Rejected:
        sent = self.invitations.pop(command.invitation_id, None)
        if sent is None:
            return Rejected("not_found", "no such open invitation")
        chat = command.chat
        if sent.agent_id is not None:
            chat = RequestChat(chat.conversation_id, replace(
                chat.open, request=await self._invited_request(sent)))
        opened = await self._request(chat)
        if isinstance(opened, Rejected):
            self.invitations[sent.invitation_id] = sent  # still open: try again, or decline
            return opened
        await self._close(sent, "accepted", opened.info.conversation_id)
        return opened

    async def _withdraw_all(self) -> None:
        """The visitor asked to chat on their own: an open invitation is moot."""
        for sent in list(self.invitations.values()):
            await self._close(sent, "withdrawn")

    async def _invited_request(self, sent: InvitationSent) -> ChatRequest:
        """The inviting agent designated, in the group of theirs the conversation can wait
        in: the center's default group if they serve it, else their most skilled one."""
        snapshot = await self.ask(agent_ref(sent.agent_id), GetSnapshot())
        skills = snapshot.skills if isinstance(snapshot, AgentSnapshot) else {}
        routing = await self.ask(center_ref(sent.center_id), GetRouting())
        default = routing.default_group if isinstance(routing, CenterRouting) else None
        group = None
        if skills and default not in skills:
            group = max(sorted(skills), key=lambda name: skills[name])
        return ChatRequest(group, sent.agent_id)

    async def _decline(self, command: DeclineInvitation) -> InvitationClosed | Rejected:
        sent = self.invitations.get(command.invitation_id)
        if sent is None:
            return Rejected("not_found", "no such open invitation")
        return await self._close(sent, "declined")

    async def _expire(self, command: InvitationExpires) -> None:
        sent = self.invitations.get(command.invitation_id)
        if sent is not None:
            await self._close(sent, "expired")

    async def _close(self, sent: InvitationSent, outcome: str,
                     conversation_id: str | None = None) -> InvitationClosed:
        self.invitations.pop(sent.invitation_id, None)
        self.cancel(f"invitation:{sent.invitation_id}")
        closed = InvitationClosed(sent.center_id, sent.invitation_id, self.key, sent.agent_id,
                                  outcome, conversation_id)
        await self.services.writes.log(closed)
        event = BusEvent(closed)
        await self.services.bus.publish(topics.visitor(self.key), event)
        if sent.agent_id is not None:
            await self.services.bus.publish(topics.agent(sent.agent_id), event)
        self.tell(browsing_ref(sent.center_id), InvitationPending(self.key, False))
        return closed
