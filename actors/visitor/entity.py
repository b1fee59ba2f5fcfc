"""Visitor (访客): how many conversations one visitor has open, and the door to more.

A chat request goes through the visitor's entity, one at a time, so the center's
limit (`max_open_conversations_per_visitor`, default 1) holds however many
sockets or frames ask at once: at the limit, the request is answered with the
newest open conversation as it stands (queued with its place, assigned, or a
left message) instead of a new one. The new conversation's id is chosen on this
entity's shard (visitor protocol: conversation_id_near), so opening it is a call
within the shard.

It also holds the visitor's open invitation (actors/visitor/invitations.py).

Durable: nothing of its own; the open conversations are the conversations table.
Rebuilt on activation: their ids. An entity with none open and no invitation is
dropped after each request (it holds nothing a reload would not give back).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from actors.agent.protocol import AgentSnapshot, GetSnapshot, agent_ref
from actors.center.protocol import CenterSettings, GetSettings, center_ref
from actors.conversation.protocol import ConversationInfo, GetInfo, Opened, conversation_ref
from actors.lifecycle import ConversationStatus as Status
from actors.runtime.entity import Entity
from actors.runtime.replies import Rejected
from actors.skill_group.protocol import Enqueued, GetPlace, queue_ref
from actors.store import conversations as store
from actors.visitor.invitations import Invitations
from actors.visitor.protocol import (KIND, AcceptInvitation, DeclineInvitation, GetInvitations,
                                     InvitationExpires, InvitationSent, Invite, RequestChat)


class Visitor(Invitations, Entity):
    kind = KIND

    async def on_activate(self) -> None:
        # Ordered oldest first; a dict keeps the order and finds an id at once.
        known = await self.services.open_conversations.get(self.key) or ()
        self.open: dict[str, None] = dict.fromkeys(known)
        self.invitations: dict[str, InvitationSent] = {}

    def unknown(self) -> bool:
        """Nothing open: nothing to keep (the next request reloads it, finding none)."""
        return not self.open and not self.invitations

    async def receive(self, command: Any) -> Any:
        match command:
            case RequestChat():
                opened = await self._request(command)
                if isinstance(opened, Opened) and self.invitations:
                    await self._withdraw_all()
                return opened
            case Invite():
                return await self._invite(command)
            case AcceptInvitation():
                return await self._accept(command)
            case DeclineInvitation():
                return await self._decline(command)
            case InvitationExpires():
                return await self._expire(command)
            case GetInvitations():
                return self._open_invitations()
        return Rejected("bad_command", f"visitor cannot handle {type(command).__name__}")

    async def _request(self, command: RequestChat) -> Opened | Rejected:
        if self.open:
            limit = (await self._settings(command.open.center_id)).max_open_conversations_per_visitor
            if len(self.open) >= limit:
                newest = await self._still_open()
                if len(self.open) >= limit:
                    return await self._as_it_stands(newest)
        opened = await self.ask(conversation_ref(command.conversation_id), command.open)
        if isinstance(opened, Opened):
            self.open[opened.info.conversation_id] = None
        return opened

    async def _settings(self, center_id: str) -> CenterSettings:
        settings = await self.ask(center_ref(center_id), GetSettings())
        return settings if isinstance(settings, CenterSettings) else CenterSettings()

    async def _still_open(self) -> ConversationInfo | None:
        """Forget the conversations that have ended since; the newest still open."""
        newest = None
        for conversation_id in list(self.open):
            info = await self.ask(conversation_ref(conversation_id), GetInfo())
            if info.status in (Status.NEW, Status.ENDED) or info.visitor_id != self.key:
                del self.open[conversation_id]
            else:
                newest = info
        return newest

    async def _as_it_stands(self, info: ConversationInfo) -> Opened:
        if info.status is Status.QUEUED:
            place = await self.ask(queue_ref(info.center_id, info.skill_group), GetPlace(info.conversation_id))
            if isinstance(place, Enqueued):
                return Opened(info, position=place.position, rev=place.rev, already_open=True)
            # Between two groups (an overflow on its way): first in line is the best guess.
            return Opened(info, position=1, already_open=True)
        if info.status is Status.BOT:
            return Opened(info, already_open=True)
        if info.status is Status.ASSIGNED:
            if info.agent_name is None and info.agent_id is not None:
                snapshot = await self.ask(agent_ref(info.agent_id), GetSnapshot())
                if isinstance(snapshot, AgentSnapshot):
                    info = replace(info, agent_name=snapshot.display_name)
            return Opened(info, already_open=True)
        row = await store.load_conversation(self.services.db, info.conversation_id)
        return Opened(info, offline_reason=row.end_reason if row else None, already_open=True)
