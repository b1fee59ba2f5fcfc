"""StaffChat (内部对话): the messages two staff members write each other.

One entity per pair numbers the pair's messages in its mailbox and publishes each,
once committed, to both members' agent topics (every workspace either has open);
the sending socket hears an ack instead. Reading moves a member's mark, which their
other workspaces hear so an unread count goes everywhere at once.

Low volume (people typing to colleagues), so each write is its own transaction
rather than a group commit: a message and its sender's read mark land together.
"""

from __future__ import annotations

from typing import Any

from actors.bus import topics
from actors.bus.base import BusEvent
from actors.runtime.entity import Entity
from actors.runtime.replies import Done, Rejected
from actors.staff_chat.protocol import (KIND, MarkStaffRead, PostStaffMessage, StaffChatRead,
                                        StaffMessage, StaffMessagePosted, StaffPosted)
from actors.store import staff_chat as store
from actors.store.clock import utcnow


class StaffChat(Entity):
    kind = KIND

    async def on_activate(self) -> None:
        self.center_id, pair = self.key.split("/", 1)
        self.members = tuple(pair.split(":", 1))
        self.next_seq = await store.last_seq(self.services.db, self.key) + 1

    async def receive(self, command: Any) -> Any:
        match command:
            case PostStaffMessage():
                return await self._post(command)
            case MarkStaffRead():
                return await self._mark_read(command)
        return Rejected("bad_command", f"staff chat cannot handle {type(command).__name__}")

    def _member(self, *agent_ids: str) -> bool:
        return all(agent_id in self.members for agent_id in agent_ids)

    async def _post(self, command: PostStaffMessage) -> StaffPosted | Rejected:
        if not self._member(command.sender_id, command.recipient_id) or command.sender_id == command.recipient_id:
            return Rejected("forbidden", "not a member of this chat")
        message = StaffMessage(self.key, self.next_seq, command.sender_id, command.sender_name,
                               command.recipient_id, command.body, command.client_msg_id, utcnow())
        try:
            await store.append(self.services.db, self.center_id, message)
        except store.DuplicateStaffMessage as duplicate:
            return StaffPosted(duplicate.existing, duplicate=True)
        self.next_seq += 1
        event = BusEvent(StaffMessagePosted(message), origin=command.origin)
        for agent_id in (command.sender_id, command.recipient_id):
            await self.services.bus.publish(topics.agent(agent_id), event)
        return StaffPosted(message)

    async def _mark_read(self, command: MarkStaffRead) -> Done | Rejected:
        if not self._member(command.agent_id):
            return Rejected("forbidden", "not a member of this chat")
        seq = min(command.seq, self.next_seq - 1)  # never past what exists
        if seq > 0 and await store.mark_read(self.services.db, self.key, command.agent_id, seq):
            colleague = next(m for m in self.members if m != command.agent_id)
            await self.services.bus.publish(topics.agent(command.agent_id), BusEvent(
                StaffChatRead(command.agent_id, colleague, seq), origin=command.origin))
        return Done()
