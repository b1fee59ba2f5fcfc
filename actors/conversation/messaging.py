"""Numbered messages and the visitor's typing preview.

A mixin of the Conversation entity (actors/conversation/entity.py). Every
accepted message gets the next `seq` and is committed before it is
acknowledged; a resent client_msg_id gets the seq it already has.
"""

from __future__ import annotations

import time

from actors.conversation.protocol import FlushTyping, MessagePosted, Post, Posted, Typing, TypingPreviewed
from actors.lifecycle import ConversationStatus as Status
from actors.lifecycle import accepts_visitor_messages
from actors.participants import PartyKind, SupervisionMode, Visibility
from actors.runtime.replies import Rejected
from actors.store.attachments import Attachment, attachments_by_id, check_use
from actors.store.clock import utcnow
from actors.store.conversations import find_by_client_msg_id
from actors.store.messages import DuplicateMessage, StoredMessage

TYPING_INTERVAL_S = 0.1  # at most ~10 previews a second per conversation
TYPING_MAX_CHARS = 2000
RECENT_CLIENT_IDS = 512


class Messaging:
    def _may_post(self, command: Post) -> Rejected | None:
        if command.sender_kind is PartyKind.VISITOR:
            if command.sender_id != self.visitor_id:
                return Rejected("forbidden", "not your conversation")
            if command.visibility is not Visibility.PUBLIC:
                return Rejected("forbidden", "visitors write public messages only")
            if not accepts_visitor_messages(self.status):
                return Rejected("conversation_closed", "the conversation has ended")
            return None
        if command.sender_kind is not PartyKind.AGENT:
            return Rejected("forbidden", "only the visitor and the agents write here")
        if command.sender_id != self.agent_id and command.sender_id not in self.participants:
            return Rejected("forbidden", "you are not serving this conversation")
        if self.status is not Status.ASSIGNED:
            return Rejected("conversation_closed", "the conversation has ended")
        return self._may_write(command.sender_id, command.visibility)

    def _may_write(self, staff_id: str, visibility: Visibility) -> Rejected | None:
        """The owner and collaborators write anything; a supervisor as their mode allows:
        monitor nothing, whisper internal messages, barge public ones too."""
        participant = self.participants.get(staff_id)
        if staff_id == self.agent_id or participant is None or participant.mode is None:
            return None
        if participant.mode is SupervisionMode.MONITOR:
            return Rejected("forbidden", "monitoring: whisper or barge in to write")
        if participant.mode is SupervisionMode.WHISPER and visibility is Visibility.PUBLIC:
            return Rejected("forbidden", "whispering: internal messages only")
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
        attached = await self._attachments(command)
        if isinstance(attached, Posted | Rejected):
            return attached
        message = StoredMessage(self.key, self.next_seq, command.sender_kind, command.sender_id,
                                command.body, command.client_msg_id, utcnow(), command.visibility,
                                attached)
        try:
            await self.services.writes.append_message(message)
        except DuplicateMessage as duplicate:
            if duplicate.existing.sender_id != command.sender_id:
                return Rejected("duplicate_client_msg_id", "client_msg_id already used here")
            self._remember(duplicate.existing)
            return Posted(duplicate.existing, duplicate=True)
        self.next_seq += 1
        self._remember(message)
        if command.sender_kind is PartyKind.VISITOR:
            self.typing_text = None  # the preview became a message
        published = await self._publish(MessagePosted(message), origin=command.origin,
                                        internal=message.internal)
        return Posted(message, topics=published)

    async def _attachments(self, command: Post) -> tuple[Attachment, ...] | Posted | Rejected:
        """The attachments a message may carry: uploaded here by its sender and unsent.
        Messages of one conversation pass this entity one at a time, and each marks its
        attachments in its own commit, so no attachment is ever sent twice."""
        if not command.attachments:
            return ()
        rows = await attachments_by_id(self.services.db, command.attachments)
        problem = check_use(rows, command.attachments, self.key, command.sender_kind.value,
                            command.sender_id)
        if problem is None:
            return tuple(Attachment.from_row(rows[i]) for i in command.attachments)
        if problem.code == "attachment_used":
            # A resend after a restart (the recent ids are gone): the stored message answers.
            known = await find_by_client_msg_id(self.services.db, self.key, command.client_msg_id)
            if known is not None and known.sender_id == command.sender_id:
                self._remember(known)
                return Posted(known, duplicate=True)
        return Rejected(problem.code, problem.message)

    def _remember(self, message: StoredMessage) -> None:
        if message.client_msg_id is None:
            return
        self.recent[message.client_msg_id] = message
        while len(self.recent) > RECENT_CLIENT_IDS:
            self.recent.popitem(last=False)

    async def _typing(self, command: Typing) -> None:
        if command.visitor_id != self.visitor_id or self.status not in (Status.ASSIGNED, Status.FORWARDED):
            return
        self.typing_text = command.text[:TYPING_MAX_CHARS]
        wait = self.typing_sent_at + TYPING_INTERVAL_S - time.monotonic()
        if wait <= 0:
            await self._flush_typing()
        elif "typing" not in self._timers:
            # Coalesce: the newest text goes out when the interval is over.
            self.schedule("typing", wait, FlushTyping())

    async def _flush_typing(self) -> None:
        if self.typing_text is None or (self.agent_id is None and self.forward is None):
            return
        event = TypingPreviewed(self.key, self.typing_text, self.next_seq - 1)
        self.typing_text = None
        self.typing_sent_at = time.monotonic()
        # To the staff only: the visitor is the one typing.
        await self._publish(event, internal=True)
