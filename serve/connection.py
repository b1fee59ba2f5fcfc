"""One open websocket: who it is, what it still has to send, and what it has seen.

All frames for a socket go through one outbox and one writer task, so replies,
acks and bus events reach the client in a single order. The writer keeps a
cursor per conversation: a message whose seq jumps past the cursor makes it fill
the gap from the database first, and a seq already sent is dropped. That turns a
best-effort bus into gap-free, duplicate-free delivery.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker
from starlette.websockets import WebSocket

from actors.bus.base import BusEvent
from actors.conversation.forwarding_protocol import ForwardTakenBack, ServedElsewhere
from actors.conversation.protocol import (ConversationAssigned, ConversationEnded, ConversationQueued,
                                          ConversationTransferred, MessageLeft, MessagePosted,
                                          ParticipantJoined, TypingPreviewed)
from actors.participants import PartyKind
from actors.skill_group.protocol import QueuePositionChanged
from actors.store import conversations as store
from actors.store.messages import StoredMessage
from serve.auth import Principal
from serve.media.links import AttachmentLinks
from serve.rendering import message_frame, render

log = logging.getLogger(__name__)

OUTBOX_LIMIT = 10_000
RESUME_PAGE = 500
SLOW_CONSUMER_CLOSE = 1013  # "try again later": the client reconnects and resumes


@dataclass
class Cursor:
    seen: int
    own: set[int] = field(default_factory=set)  # seqs this socket sent itself (acked, not echoed)
    # The newest visitor message this socket was sent: a typing preview taken
    # before it is stale (the message can overtake the preview, see Fanout.deliver_here).
    visitor_seq: int = 0

    def advance(self) -> None:
        while self.seen + 1 in self.own:
            self.seen += 1
            self.own.discard(self.seen)


@dataclass(frozen=True)
class _Ack:
    frame: dict[str, Any]
    conversation_id: str
    seq: int


@dataclass(frozen=True)
class _Resume:
    conversation_id: str
    after_seq: int


@dataclass(frozen=True)
class _Resync:
    pass


@dataclass(frozen=True)
class _Answered:
    """A chat request's own answer (queued), ordered like the bus's positions."""

    event: ConversationQueued
    extra: dict[str, Any]


class Connection:
    def __init__(self, websocket: WebSocket, principal: Principal, db: async_sessionmaker,
                 links: AttachmentLinks | None = None) -> None:
        self.websocket = websocket
        self.principal = principal
        self.db = db
        self.links = links  # signs the links of attachments in the messages it sends
        self.id = uuid.uuid4().hex
        self.topics: tuple[str, ...] = ()
        self.cursors: dict[str, Cursor] = {}
        # conversation -> (the group it waits in, the newest revision of its place there)
        self.queue_revs: dict[str, tuple[str, int]] = {}
        self.settled: set[str] = set()  # assigned/ended: later `queued` frames are stale
        self.outbox: asyncio.Queue = asyncio.Queue(OUTBOX_LIMIT)
        self.closed = False

    # -- producers (never block) ---------------------------------------------------------

    def deliver(self, event: BusEvent) -> None:
        if event.origin == self.id:
            return  # this socket caused it and was answered directly
        self._put(event)

    def send(self, frame: dict[str, Any]) -> None:
        self._put(frame)

    def ack(self, conversation_id: str, client_msg_id: str, seq: int) -> None:
        frame = {"type": "ack", "client_msg_id": client_msg_id, "conversation_id": conversation_id,
                 "seq": seq}
        self._put(_Ack(frame, conversation_id, seq))

    def resume(self, conversation_id: str, after_seq: int) -> None:
        self._put(_Resume(conversation_id, after_seq))

    def resync(self) -> None:
        """The bus may have dropped events: re-read every followed conversation."""
        self._put(_Resync())

    def follow(self, conversation_id: str, seen: int = 0) -> None:
        self.cursors.setdefault(conversation_id, Cursor(seen))

    def unfollow(self, conversation_id: str) -> None:
        self.cursors.pop(conversation_id, None)

    def follows(self, conversation_id: str) -> bool:
        return conversation_id in self.cursors

    def answer_queued(self, event: ConversationQueued, **extra: Any) -> None:
        """Send a chat request's `queued` answer (with `extra` fields), unless the bus
        already brought newer."""
        self._put(_Answered(event, extra))

    def _put(self, item: Any) -> None:
        if self.closed:
            return
        try:
            self.outbox.put_nowait(item)
        except asyncio.QueueFull:
            # A client that cannot keep up is cut loose rather than slowing the
            # replica for everyone; it reconnects and resumes by seq.
            log.warning("socket %s is too slow; closing it", self.id)
            self.closed = True
            asyncio.ensure_future(self.websocket.close(SLOW_CONSUMER_CLOSE))

    # -- the writer ------------------------------------------------------------------------

    async def run_writer(self) -> None:
        try:
            while True:
                item = await self.outbox.get()
                if isinstance(item, BusEvent):
                    await self._event(item)
                elif isinstance(item, _Ack):
                    self._own(item.conversation_id, item.seq)
                    await self._send(item.frame)
                elif isinstance(item, _Resume):
                    await self._resume(item.conversation_id, item.after_seq)
                elif isinstance(item, _Answered):
                    if self._newest_place(item.event, news=False):
                        await self._send({**render(item.event, self.principal.is_staff, self.links), **item.extra})
                elif isinstance(item, _Resync):
                    if self.principal.is_staff:
                        await self._recover_assignments()
                    for conversation_id, cursor in list(self.cursors.items()):
                        await self._fill(conversation_id, cursor, upto=None)
                else:
                    await self._send(item)
        except (asyncio.CancelledError, RuntimeError, OSError):
            pass  # the socket is gone; the reader side cleans up
        except Exception:
            log.exception("writer of socket %s failed", self.id)
            raise
        finally:
            self.closed = True

    def _newest_place(self, event: ConversationQueued | QueuePositionChanged, news: bool) -> bool:
        """Whether a place in line is newer than what this socket knows (and note it).

        Places reach a socket by three paths: the chat request's answer, the queue's
        coalesced positions and the conversation's own news (`news`: a refused
        offer, an overflow, a transfer). Only the conversation moves itself to
        another group, and it publishes in order, so its news of another group is
        always newer; positions from a group it no longer waits in are old. Within
        a group, revisions order them (actors/skill_group/protocol.py: next_rev)."""
        cid = event.conversation_id
        if cid in self.settled:
            return False  # assigned, ended or a left message: no longer waiting
        rev, known = event.rev or 0, self.queue_revs.get(cid)
        if known is not None:
            group, newest = known
            if group != event.skill_group and not news:
                return False
            if group == event.skill_group and rev < newest:
                return False
        self.queue_revs[cid] = (event.skill_group, rev)
        return True

    async def _recover_assignments(self) -> None:
        """After lost events, an agent may have missed an `assigned`: the database
        says which conversations are theirs, and any this socket does not know of
        is announced now (with what the visitor wrote while waiting)."""
        from actors.store import accounts

        unknown = [cid for cid in await store.open_conversations_of_agent(self.db, self.principal.id)
                   if cid not in self.cursors]
        if not unknown:
            return
        agent = await accounts.get_agent(self.db, self.principal.id)
        for cid in unknown:
            row = await store.load_conversation(self.db, cid)
            if row is None or row.agent_id != self.principal.id:
                continue
            visitor = await accounts.get_visitor(self.db, row.visitor_id)
            self.settled.add(cid)
            self.follow(cid)
            await self._send({
                "type": "assigned", "conversation_id": cid,
                "agent": {"id": self.principal.id, "display_name": agent.display_name if agent else ""},
                "visitor": {"id": row.visitor_id, "name": visitor.name if visitor else ""},
                "channel": row.channel, "skill_group": row.skill_group, "recovered": True})

    async def _send(self, frame: dict[str, Any]) -> None:
        await self.websocket.send_json(frame)

    def _own(self, conversation_id: str, seq: int) -> None:
        cursor = self.cursors.get(conversation_id)
        if cursor is None:
            return
        if seq > cursor.seen:
            cursor.own.add(seq)
        cursor.advance()

    async def _event(self, bus_event: BusEvent) -> None:
        event, cid = bus_event.event, bus_event.conversation_id
        if isinstance(event, MessagePosted):
            if self.principal.is_staff or not event.message.internal:
                await self._message(event.message)
            return
        if isinstance(event, (ConversationQueued, QueuePositionChanged)):
            if not self._newest_place(event, news=isinstance(event, ConversationQueued)):
                return
        elif isinstance(event, TypingPreviewed):
            cursor = self.cursors.get(cid)
            if cursor is not None and event.seq < cursor.visitor_seq:
                return  # typed before a message this socket already has
        elif isinstance(event, (ConversationAssigned, ConversationEnded, MessageLeft, ServedElsewhere)):
            self.settled.add(cid)
            if isinstance(event, ConversationAssigned):
                self.follow(cid)
        elif (isinstance(event, ConversationTransferred) and event.to_skill_group is not None) or isinstance(
                event, ForwardTakenBack):
            self.settled.discard(cid)  # waiting again: positions follow
        frame = render(event, self.principal.is_staff, self.links)
        if frame is None:
            return
        await self._send(frame)
        if isinstance(event, ConversationAssigned) and self.principal.is_staff and event.last_seq:
            # A newly assigned agent gets what was written before: while the visitor
            # waited, or the whole history when the conversation was transferred.
            await self._fill(cid, self.cursors[cid], upto=event.last_seq)
        elif isinstance(event, ParticipantJoined) and event.participant.id == self.principal.id:
            # Invited in, or supervising: the history so far.
            self.follow(cid)
            await self._fill(cid, self.cursors[cid], upto=None)

    async def _message(self, message: StoredMessage) -> None:
        cid, seq, sender = message.conversation_id, message.seq, message.sender_kind
        frame = message_frame(message, self.links)
        cursor = self.cursors.get(cid)
        if cursor is None:
            # Not followed yet (a reconnect before `resume`): deliver and follow.
            cursor = self.cursors[cid] = Cursor(seq)
            await self._send_message(cursor, seq, sender, frame)
            return
        cursor.advance()
        if seq <= cursor.seen:
            return
        if seq > cursor.seen + 1:
            await self._fill(cid, cursor, upto=seq - 1)
        await self._send_message(cursor, seq, sender, frame)
        cursor.seen = max(cursor.seen, seq)
        cursor.advance()

    async def _send_message(self, cursor: Cursor, seq: int, sender_kind: PartyKind,
                            frame: dict[str, Any]) -> None:
        await self._send(frame)
        if sender_kind is PartyKind.VISITOR:
            cursor.visitor_seq = max(cursor.visitor_seq, seq)

    async def _fill(self, cid: str, cursor: Cursor, upto: int | None) -> None:
        # A visitor never reads internal messages: their seqs are gaps to step over.
        public_only = not self.principal.is_staff
        while upto is None or cursor.seen < upto:
            page = await store.messages_after(self.db, cid, cursor.seen, RESUME_PAGE,
                                              public_only=public_only)
            for message in page:
                if upto is not None and message.seq > upto:
                    return
                if message.seq not in cursor.own:
                    await self._send_message(cursor, message.seq, message.sender_kind,
                                             message_frame(message, self.links))
                cursor.seen = message.seq
                cursor.advance()
            if len(page) < RESUME_PAGE:
                if public_only and upto is not None:
                    cursor.seen = max(cursor.seen, upto)
                return

    async def _resume(self, cid: str, after_seq: int) -> None:
        cursor = self.cursors.get(cid)
        if cursor is None:
            cursor = self.cursors[cid] = Cursor(after_seq)
        else:
            # An explicit resume re-sends everything after where the client says
            # it is, its own messages included (PROTOCOL.md: "every message").
            cursor.seen = after_seq
            cursor.own = set()
        await self._fill(cid, cursor, upto=None)
        await self._send({"type": "resumed", "conversation_id": cid, "last_seq": cursor.seen})
