"""The pool of left messages (留言记录): taking the visitor's left message into it, and
what staff do with it there (actors/conversation/left_pool_protocol.py).

A mixin of the Conversation entity (actors/conversation/entity.py). The pool's columns
are read from the row at each command: they change only here, one command at a time,
and each change is committed before it is answered, so the row is what this entity
last did (no state to rebuild, nothing on the chat's hot path).
"""

from __future__ import annotations

from actors.bus import topics
from actors.bus.base import BusEvent
from actors.conversation.left_pool_protocol import (Actor, AssignLeftMessage, CloseLeftMessage, LeaveMessage,
                                                    LeftMessageAssigned,
                                                    LeftMessageClosed, LeftMessageReplied, LeftMessageSubmitted,
                                                    LeftMessageView, LeftReplyDelivered, LeftState,
                                                    ReplyToLeftMessage, ReplyVia, SeeLeftReply, StaffRole)
from actors.conversation.protocol import ConversationEnded, Post, Posted
from actors.lifecycle import ConversationStatus as Status
from actors.lifecycle import move_conversation
from actors.mail.settings import looks_like_address, parse_email_settings
from actors.mail.smtp import MailNotSent, compose, send
from actors.participants import PartyKind
from actors.runtime.replies import Rejected
from actors.store import conversations as store
from actors.store.centers import get_center
from actors.store.clock import utcnow
from actors.store.conversations import find_by_client_msg_id
from actors.store.messages import DuplicateMessage, StoredMessage
from actors.store.visitors import set_visitor_contact

MESSAGE_LEFT = "message_left"  # the end reason of a conversation that went into the pool
MAX_REPLY_CHARS = 5000
MAX_SUBJECT_CHARS = 200
_TAKEN = Rejected("left_message_taken", "another agent has this left message")


def _held_by_another(row, by: Actor) -> bool:
    """An agent acts only on their own left messages and unassigned ones; overseers on any."""
    return by.role is StaffRole.AGENT and row.left_assignee_id not in (None, by.staff_id)


class LeftPool:
    async def _take_left_message(self, command: LeaveMessage) -> Posted | Rejected:
        if self.status is Status.NEW:
            return Rejected("not_found", "no such conversation")
        if command.visitor_id != self.visitor_id:
            return Rejected("forbidden", "not your conversation")
        if self.status is Status.ENDED:
            # A form sent again after its answer was lost: the stored message answers.
            known = await find_by_client_msg_id(self.services.db, self.key, command.client_msg_id)
            if known is not None and known.sender_id == command.visitor_id:
                return Posted(known, duplicate=True)
        if self.status is not Status.LEFT_MESSAGE:
            return Rejected("not_offline", "leave_message is for a conversation answered `offline`")
        posted = await self._post(Post(PartyKind.VISITOR, command.visitor_id, command.client_msg_id,
                                       command.body, command.origin))
        if isinstance(posted, Rejected):
            return posted
        # The left message keeps what it said; the visitor's profile the latest.
        await set_visitor_contact(self.services.db, self.visitor_id, command.contact, command.name)
        # In the pool now, and over for the visitor: their next visit opens a new chat
        # (a left message must not hold the one conversation a visitor may have open).
        self.status = move_conversation(self.status, Status.ENDED)
        submitted = LeftMessageSubmitted(self.key, self.center_id, self.visitor_id, self.group)
        ended = ConversationEnded(self.key, self.center_id, PartyKind.VISITOR, MESSAGE_LEFT, None)
        now = utcnow()
        await self._save(events=(submitted, ended), left_name=command.name, left_contact=command.contact,
                         left_state=LeftState.NEW.value, left_submitted_at=now, status=self.status.value,
                         ended_at=now, ended_by=PartyKind.VISITOR.value)  # end_reason: why it was offline
        await self._publish(ended)
        await self._announce(submitted, self.group)
        return posted

    async def _pooled(self):
        """The row of a conversation in the pool, or why it is not one."""
        row = await store.load_conversation(self.services.db, self.key)
        if row is None or row.left_state is None:
            return Rejected("not_found", "no such left message")
        return row

    async def _assign_left(self, command: AssignLeftMessage) -> LeftMessageView | Rejected:
        row = await self._pooled()
        if isinstance(row, Rejected):
            return row
        state, by = LeftState(row.left_state), command.by
        if state is LeftState.CLOSED:
            return Rejected("left_message_closed", "this left message is closed")
        if by.role is StaffRole.AGENT:
            if command.agent_id != by.staff_id:
                return Rejected("forbidden", "agents take left messages for themselves")
            if _held_by_another(row, by):
                return _TAKEN
        if row.left_assignee_id == command.agent_id:
            return self._view(row, state)
        if state is LeftState.NEW:
            state = LeftState.IN_PROGRESS
        assigned = LeftMessageAssigned(self.key, self.center_id or row.center_id, command.agent_id,
                                       by.staff_id, row.left_assignee_id)
        await self._save(events=(assigned,), left_assignee_id=command.agent_id, left_state=state.value)
        row.left_assignee_id = command.agent_id
        await self._announce(assigned, row.skill_group)
        return self._view(row, state)

    async def _reply_left(self, command: ReplyToLeftMessage) -> LeftMessageView | Rejected:
        row = await self._pooled()
        if isinstance(row, Rejected):
            return row
        known = await find_by_client_msg_id(self.services.db, self.key, command.client_msg_id)
        if known is not None and known.sender_id == command.by.staff_id:
            return self._view(row, LeftState(row.left_state), known)  # sent again: one reply
        refusal = self._may_reply(row, command)
        if refusal is not None:
            return refusal
        asked = await self._visitor_text()  # quoted in the email, shown above the reply in the widget
        if command.via is ReplyVia.EMAIL:
            failure = await self._email(row, command, asked)
            if failure is not None:
                return failure
        message = StoredMessage(self.key, self.next_seq, PartyKind.AGENT, command.by.staff_id,
                                command.body, command.client_msg_id, utcnow())
        try:
            await self.services.writes.append_message(message)
        except DuplicateMessage as duplicate:
            return self._view(row, LeftState(row.left_state), duplicate.existing)
        self.next_seq = message.seq + 1
        center_id = self.center_id or row.center_id
        replied = LeftMessageReplied(self.key, center_id, row.visitor_id, command.by.staff_id,
                                     command.via, message.seq)
        fields = dict(left_state=LeftState.REPLIED.value, left_reply_via=command.via.value,
                      left_reply_seen_at=None, left_assignee_id=row.left_assignee_id or command.by.staff_id)
        if row.left_replied_at is None:
            fields["left_replied_at"] = message.ts
        events: list = [replied]
        if row.left_assignee_id is None:  # replying to an unassigned one takes it
            events.insert(0, LeftMessageAssigned(self.key, center_id, command.by.staff_id,
                                                 command.by.staff_id, None))
        await self._save(events=tuple(events), **fields)
        if isinstance(events[0], LeftMessageAssigned):
            await self._announce(events[0], row.skill_group)
        row.left_assignee_id, row.left_replied_at = fields["left_assignee_id"], row.left_replied_at or message.ts
        # The visitor's open widgets show it now; a later visit finds it in `welcome`.
        await self.services.bus.publish(topics.visitor(row.visitor_id), BusEvent(LeftReplyDelivered(
            message, command.by.display_name, asked)))
        return self._view(row, LeftState.REPLIED, message)

    def _may_reply(self, row, command: ReplyToLeftMessage) -> Rejected | None:
        if LeftState(row.left_state) is LeftState.CLOSED:
            return Rejected("left_message_closed", "this left message is closed")
        body = command.body.strip()
        if not body or len(command.body) > MAX_REPLY_CHARS:
            return Rejected("invalid_request", f"a reply is 1 to {MAX_REPLY_CHARS} characters")
        if _held_by_another(row, command.by):
            return _TAKEN
        if command.via is ReplyVia.EMAIL and not looks_like_address(row.left_contact or ""):
            return Rejected("no_email_address", "the visitor left no email address: reply in the widget")
        return None

    async def _email(self, row, command: ReplyToLeftMessage, asked: str) -> Rejected | None:
        center = await get_center(self.services.db, row.center_id)
        try:
            settings = parse_email_settings((center.settings or {}).get("email") if center else None)
        except ValueError:
            settings = None
        if settings is None:
            return Rejected("email_not_configured", "no mail server is set for this center")
        subject = (command.subject or "").strip()[:MAX_SUBJECT_CHARS] or (center.name if center else "")
        quoted = "\n".join(f"> {line}" for line in asked.splitlines())
        text = f"{command.body}\n\n{quoted}\n" if quoted else f"{command.body}\n"
        try:
            await send(settings, compose(settings, row.left_contact.strip(), subject, text))
        except MailNotSent as failure:
            return Rejected("email_failed", f"the mail server did not take the reply ({failure})")
        return None

    async def _visitor_text(self) -> str:
        messages = await store.messages_after(self.services.db, self.key, 0, public_only=True)
        return "\n".join(m.body for m in messages if m.sender_kind is PartyKind.VISITOR)

    async def _close_left(self, command: CloseLeftMessage) -> LeftMessageView | Rejected:
        row = await self._pooled()
        if isinstance(row, Rejected):
            return row
        if LeftState(row.left_state) is LeftState.CLOSED:
            return self._view(row, LeftState.CLOSED)
        if _held_by_another(row, command.by):
            return _TAKEN
        closed = LeftMessageClosed(self.key, self.center_id or row.center_id, command.by.staff_id)
        await self._save(events=(closed,), left_state=LeftState.CLOSED.value, left_closed_at=utcnow())
        return self._view(row, LeftState.CLOSED)

    async def _see_left_reply(self, command: SeeLeftReply) -> None:
        row = await store.load_conversation(self.services.db, self.key)
        if (row is None or row.visitor_id != command.visitor_id or row.left_replied_at is None
                or row.left_reply_seen_at is not None):
            return
        await self._save(left_reply_seen_at=utcnow())

    async def _announce(self, event: LeftMessageSubmitted | LeftMessageAssigned, group: str | None) -> None:
        """The desks concerned learn at once, over their sockets (`left_message.new`,
        `left_message.assigned`), rather than by polling the pool: the agent it is now
        with and the one it was with, and the group's agents while it was unassigned (a
        new one is theirs to take; a taken one no longer is). A desk on both topics
        gets it twice and reads its list once more."""
        to = []
        if isinstance(event, LeftMessageAssigned):
            to += [topics.agent(agent_id) for agent_id in (event.agent_id, event.previous) if agent_id]
        if group is not None and event.center_id and (isinstance(event, LeftMessageSubmitted) or event.previous is None):
            to.append(topics.skill_group(event.center_id, group))
        for topic in dict.fromkeys(to):
            await self.services.bus.publish(topic, BusEvent(event))

    def _view(self, row, state: LeftState, reply: StoredMessage | None = None) -> LeftMessageView:
        return LeftMessageView(self.key, state, row.left_assignee_id, row.left_replied_at, reply)
