"""The link actor's forwards: offering conversations to linked centers, and relaying
each forwarded conversation's messages, typing and ending in both directions.

Direction `out` (we forwarded it; its visitor is ours): the conversation publishes on
the center's links topic, and what its visitor writes goes to the peer; what the peer's
agent writes comes back as RelayedPost. Direction `in` (we serve it): a stand-in
visitor (actors/store/visitors.identified_visitor, `link:<peer>:<their visitor>`)
holds the conversation here; what it is told (queued, assigned, the agent's messages,
ended) goes to the peer, what the peer's visitor writes is posted as that visitor.

Exactly once, in order: the frames of one forward are handled one at a time, in the
order they came (a lane per forward); a message is stored under `fwd:<forward>:<seq>`,
so a resent one is recognised; each side's Hello names the last seq it stored of each
open forward, and the other resends what came after from its own stored conversation
(the durable outbox). Our conversations' events become frames in
federation/event_relay.py; a peer gone longer than `take_back_after_s` has its forwards
taken back into our local queues, and the peer hears how each forward it still holds
ended here (federation/one_owner.py). What the peer sends is stored by
federation/receiving.py. In a chain A -> B -> C,
B's conversation has two forwards, one each way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Awaitable, Callable

from actors.bus import topics
from actors.conversation.forwarding_protocol import ForwardClosed, ForwardQueued, ForwardServed, TakeBack
from actors.conversation.protocol import AgentTyping, End, GetInfo, Typing, conversation_ref
from actors.participants import PartyKind
from actors.store import forwards as store
from actors.store.conversations import messages_after
from federation.attachments import IncomingFiles, send_attachments
from federation.cursors import ReceivedCursors
from federation.event_relay import EventRelay
from federation.link_frames import chat_frame, state_frame
from federation.peer import Peer
from federation.one_owner import OneOwner
from federation.receiving import Receiving
from federation.v1 import link_pb2 as pb
from serve.media.blob_store import BlobStore

log = logging.getLogger(__name__)

RELAYED_OUT = (PartyKind.VISITOR,)  # what our visitor writes goes to the serving center
RELAYED_IN = (PartyKind.AGENT, PartyKind.SYSTEM)  # what our agents write goes back
RESEND_PAGE = 500
EXPIRED_KEPT = 10_000  # offers unanswered in time whose late acceptance we still recognise


@dataclass
class Open:
    """An open forward as the link actor follows it."""

    forward: store.Forward
    received_seq: int
    closing: bool = False
    # Sending our messages: "down" (the link is: a catch-up from the stored conversation
    # will cover what happens meanwhile), "catching_up" (reading what the peer lacks;
    # live ones wait in `held`), "live" (each goes as it is posted). `sent_seq`: the
    # highest of ours sent on the current stream, so nothing goes twice or out of order.
    mode: str = "down"
    held: list = field(default_factory=list)
    sent_seq: int = 0
    acked: int = 0  # the received_seq we last acknowledged (and stored)
    # Frames that came on a stream before this number are dropped: handling one failed
    # for good, and the stream was dropped so the peer's resend after the next Hello
    # brings them again, in order, from what we stored.
    resync_from_stream: int = 0
    # Set once the forward is stored: an offer's answer and the first frames about the
    # forward can arrive together, and those wait for the record (federation/offers.py).
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    incoming: IncomingFiles = field(default_factory=IncomingFiles)  # the peer's next message's files
    kept: tuple[int, list[str]] | None = None  # (seq, our ids of its files) of a message being stored

    @property
    def key(self) -> tuple[str, str]:
        return self.forward.id, self.forward.direction


class Forwarding(EventRelay, OneOwner, Receiving):
    def __init__(self, center_id: str, name: str, peers: dict[str, Peer], directory, bus, db,
                 blobs: BlobStore | None = None) -> None:
        self.center_id, self.name = center_id, name
        self.peers, self.directory, self.bus, self.db = peers, directory, bus, db
        self.blobs = blobs  # attachments' bytes (serve/media/blob_store.py)
        self.cursors = ReceivedCursors(db)
        self.open: dict[tuple[str, str], Open] = {}
        # conversation -> its forwards' keys: one, or two in the middle of a chain (in and out)
        self.by_conversation: dict[str, set[tuple[str, str]]] = {}
        self.answers: dict[str, asyncio.Future] = {}
        self.expired: OrderedDict[str, str] = OrderedDict()  # offer -> forward, unanswered in time
        self._lanes: dict[tuple[str, str], asyncio.Queue] = {}
        self._subscription = None
        self._tasks: list[asyncio.Task] = []
        self.down_since: dict[str, float] = {}
        self.forwarded_count: dict[str, int] = {}  # peer -> offers it accepted from us
        self.declined: dict[str, int] = {}  # peer -> offers it declined or let time out
        # Set by the link actor (federation/offers.py): answering a peer's offer.
        self.take_offer: Callable[[Peer, pb.Offer], Awaitable[None]] | None = None
        for peer in peers.values():
            peer.forwarding = self

    async def start(self, take_back_after_s: float) -> None:
        self._subscription = await self.bus.subscribe(topics.links(self.center_id))
        for forward in await store.open_forwards(self.db):
            await self._follow(forward)
        self._tasks = [asyncio.create_task(self._pump()), asyncio.create_task(self._watch(take_back_after_s)),
                       asyncio.create_task(self.cursors.run())]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.cursors.flush()
        if self._subscription is not None:
            await self._subscription.close()

    async def _follow(self, forward: store.Forward) -> Open:
        entry = self.open.get((forward.id, forward.direction))
        if entry is None:
            peer = self.peers.get(forward.peer)
            # Up now (a forward just agreed): live; else the reconnect's catch-up sends.
            entry = Open(forward, forward.received_seq, mode="live" if peer and peer.status.up else "down",
                         acked=forward.received_seq)
        entry.forward = forward
        entry.ready.set()
        self._index(entry)
        if forward.direction == "in":
            await self._subscription.add(topics.visitor(forward.visitor_id))
        return entry

    def _index(self, entry: Open) -> None:
        self.open[entry.key] = entry
        self.by_conversation.setdefault(entry.forward.conversation_id, set()).add(entry.key)

    def _unindex(self, entry: Open) -> None:
        if self.open.get(entry.key) is entry:
            self.open.pop(entry.key)
        keys = self.by_conversation.get(entry.forward.conversation_id, set())
        keys.discard(entry.key)
        if not keys:
            self.by_conversation.pop(entry.forward.conversation_id, None)

    def forward_of(self, conversation_id: str, direction: str) -> Open | None:
        keys = self.by_conversation.get(conversation_id, ())
        return next((self.open[key] for key in keys if key[1] == direction and key in self.open), None)

    async def _forget(self, entry: Open, disposition: str) -> None:
        self._unindex(entry)
        await store.close_forward(self.db, entry.forward.id, entry.forward.direction, disposition)
        if entry.forward.direction == "in":
            with contextlib.suppress(Exception):
                await self._subscription.remove(topics.visitor(entry.forward.visitor_id))

    # -- what the peer's Hello needs, and what a reconnect resends ------------------------

    def received(self, peer: str) -> list[pb.Received]:
        """For our Hello: each open forward with `peer` (not offers still unanswered)."""
        return [pb.Received(forward_id=e.forward.id, last_seq=e.received_seq)
                for e in self.open.values() if e.forward.peer == peer and e.ready.is_set()]

    def on_down(self, peer: Peer) -> None:
        for entry in self.open.values():
            if entry.forward.peer == peer.name:
                entry.mode, entry.held = "down", []
                future = self.answers.get(entry.forward.offer_id) if not entry.ready.is_set() else None
                if future is not None and not future.done():
                    future.set_result(None)  # no answer comes on a dead stream: offer elsewhere now

    async def on_up(self, peer: Peer, hello: pb.Hello) -> None:
        self.down_since.pop(peer.name, None)
        entries = [e for e in self.open.values() if e.forward.peer == peer.name]
        for entry in entries:  # before any await: a message posted from now on is held
            entry.mode, entry.held = "catching_up", []
        theirs = {r.forward_id: r.last_seq for r in hello.received}
        ours = {e.forward.id for e in self.open.values() if e.forward.peer == peer.name}
        await self._settle(peer, [forward_id for forward_id in theirs if forward_id not in ours])
        for entry in entries:
            await self._catch_up(peer, entry, theirs.get(entry.forward.id, 0))
            if entry.forward.direction == "in":
                await self._send_state(peer, entry)

    async def _catch_up(self, peer: Peer, entry: Open, after_seq: int) -> None:
        """Sends ours past `after_seq` from the stored conversation, then what was posted
        meanwhile: in seq order, each once. A newer stream meanwhile has a catch-up of its
        own, and this one stops."""
        entry.mode, entry.sent_seq = "catching_up", after_seq
        stream = peer.status.streams
        while True:
            page = await messages_after(self.db, entry.forward.conversation_id, entry.sent_seq, RESEND_PAGE)
            for message in page:
                if not await self._send_message(peer, entry, message, stream):
                    return
            if len(page) < RESEND_PAGE:
                break
        while entry.held:  # what was posted during the catch-up, then live
            held, entry.held = sorted(entry.held, key=lambda m: m.seq), []
            for message in held:
                if not await self._send_message(peer, entry, message, stream):
                    return
        if stream == peer.status.streams and peer.status.up and entry.mode == "catching_up":
            entry.mode = "live"

    async def _send_message(self, peer: Peer, entry: Open, message, stream: int) -> bool:
        """Sends one of ours on the peer's stream number `stream`: False if that stream
        is gone (what it would have carried is the next stream's catch-up)."""
        kinds = RELAYED_OUT if entry.forward.direction == "out" else RELAYED_IN
        if message.seq <= entry.sent_seq:
            return True  # sent on this stream already (the catch-up and the live event overlap)
        if message.sender_kind in kinds and not message.internal:
            def send(frame: pb.Frame) -> bool:
                return stream == peer.status.streams and peer.send(frame)

            if message.attachments and not await send_attachments(self.db, self.blobs, entry.forward.id,
                                                                  message, send):
                return False
            if not send(chat_frame(entry.forward.id, message)):
                return False
        entry.sent_seq = message.seq
        return True

    async def _relay(self, peer: Peer, entry: Open, message) -> None:
        if entry.mode == "live":
            await self._send_message(peer, entry, message, peer.status.streams)
        elif entry.mode == "catching_up":
            entry.held.append(message)
        # down: the catch-up after the reconnect reads it from the stored conversation

    async def served_by(self, conversation_id: str) -> tuple[str, str] | None:
        """(agent id, display name) of whoever serves our conversation now, if anyone."""
        info = await self.directory.ask(conversation_ref(conversation_id), GetInfo())
        return (info.agent_id, info.agent_name or "") if getattr(info, "agent_id", None) else None

    async def _send_state(self, peer: Peer, entry: Open) -> None:
        agent = await self.served_by(entry.forward.conversation_id)
        peer.send(state_frame(entry.forward.id, assigned=agent) if agent else state_frame(entry.forward.id, position=1))

    # -- frames from peers ----------------------------------------------------------------

    def on_frame(self, peer: Peer, frame: pb.Frame) -> None:
        kind = frame.WhichOneof("kind")
        if kind == "answer":
            future = self.answers.get(frame.answer.offer_id)
            if future is not None and not future.done():
                future.set_result(frame.answer)
            else:
                self._late_answer(peer, frame.answer)
            return
        if kind == "offer":
            asyncio.create_task(self.take_offer(peer, frame.offer))
            return
        forward_id = getattr(frame, kind).forward_id
        entry = next((e for e in (self.open.get((forward_id, "out")), self.open.get((forward_id, "in")))
                      if e is not None and e.forward.peer == peer.name), None)
        if kind == "ack":
            # What the peer stored of ours. Nothing to do: after a reconnect its Hello says
            # it again, and that (not an ack that may be lost with the stream) drives the resend.
            return
        if entry is None:
            peer.send(pb.Frame(refusal=pb.Refusal(code="unknown_forward", forward_id=forward_id,
                                                  message="no open forward of yours by this id")))
            return
        lane = self._lanes.get(entry.key)
        if lane is None:
            lane = self._lanes[entry.key] = asyncio.Queue()
            asyncio.create_task(self._drain(peer, entry, lane))
        lane.put_nowait((peer.status.streams, frame))

    async def _drain(self, peer: Peer, entry: Open, lane: asyncio.Queue) -> None:
        """One forward's frames, one at a time, in order; an ack after each burst."""
        try:
            await entry.ready.wait()
            while True:
                stream, frame = await lane.get()
                if entry.key not in self.open:
                    return  # the offer was declined after all, or the forward closed
                if stream >= entry.resync_from_stream:
                    await self._handle_or_resync(peer, entry, frame)
                if lane.empty() and entry.key in self.open and entry.received_seq > entry.acked:
                    # Only for messages stored since the last ack: acking an ack (or a typing
                    # frame) made the two centers ping-pong acks and cursor writes forever.
                    entry.acked = entry.received_seq
                    peer.send(pb.Frame(ack=pb.Ack(forward_id=entry.forward.id, up_to_seq=entry.received_seq)))
                    self.cursors.advance(entry.key, entry.received_seq)
                if entry.key not in self.open and lane.empty():
                    return
        finally:
            self._lanes.pop(entry.key, None)

    async def _handle(self, peer: Peer, entry: Open, frame: pb.Frame) -> None:
        kind = frame.WhichOneof("kind")
        forward, ref = entry.forward, conversation_ref(entry.forward.conversation_id)
        if kind == "chunk":
            entry.incoming.add(frame.chunk)
        elif kind == "message":
            await self._store_message(peer, entry, frame.message)
        elif kind == "typing":
            if forward.direction == "out":
                self.directory.tell(ref, AgentTyping(f"{peer.name}:{frame.typing.sender.id}",
                                                     frame.typing.sender.display_name))
            else:
                self.directory.tell(ref, Typing(forward.visitor_id, frame.typing.text))
        elif kind == "state" and forward.direction == "out":
            state = frame.state
            if state.WhichOneof("state") == "assigned":
                await self.directory.ask(ref, ForwardServed(forward.id, f"{peer.name}:{state.assigned.id}",
                                                            state.assigned.display_name))
            else:
                await self.directory.ask(ref, ForwardQueued(forward.id, state.queued.position))
        elif kind == "pull":
            await self._catch_up(peer, entry, frame.pull.after_seq)
        elif kind in ("close", "take_back"):
            await self._closed_by_peer(entry, frame)

    async def _closed_by_peer(self, entry: Open, frame: pb.Frame) -> None:
        forward, ref = entry.forward, conversation_ref(entry.forward.conversation_id)
        entry.closing = True
        disposition = frame.close.disposition if frame.WhichOneof("kind") == "close" else "taken_back"
        log.info("forward %s (%s) closed by %s: %s", forward.id, forward.direction, forward.peer, disposition)
        if forward.direction == "out":
            if disposition == "not_served":
                await self.directory.ask(ref, TakeBack(forward.id, "not_served"))
            else:
                await self.directory.ask(ref, ForwardClosed(forward.id, PartyKind.AGENT, disposition))
        else:
            await self.directory.ask(ref, End(PartyKind.VISITOR, forward.visitor_id, reason=disposition))
        await self._forget(entry, disposition)

    # -- offers out (federation/offers.py makes them and takes theirs in) -----------------

    async def ask_peer(self, peer: Peer, offer: pb.Offer, timeout_s: float,
                       conversation_id: str) -> pb.OfferAnswer | None:
        """The peer's answer, or None in time. Frames about the forward that come with
        an acceptance wait in its lane until `forwarded` stored it."""
        forward = store.Forward(offer.forward_id, peer.name, "out", conversation_id, offer.visitor.id,
                                offer.business, offer.offer_id, store.OPEN, 0, datetime.now(timezone.utc))
        pending = Open(forward, 0, mode="live")
        self._index(pending)
        future = asyncio.get_running_loop().create_future()
        self.answers[offer.offer_id] = future
        answer = None
        try:
            if peer.send(pb.Frame(offer=offer)):
                answer = await asyncio.wait_for(future, timeout_s)  # None: the link went down
        except asyncio.TimeoutError:
            pass
        finally:
            self.answers.pop(offer.offer_id, None)
            if answer is None:
                self.expired[offer.offer_id] = offer.forward_id  # should it still be accepted
                while len(self.expired) > EXPIRED_KEPT:
                    self.expired.popitem(last=False)
            if answer is None or answer.WhichOneof("outcome") != "accepted":
                self._unindex(pending)
        return answer

    async def forwarded(self, peer: str, forward_id: str, conversation_id: str, visitor_id: str,
                        business: str, offer_id: str, direction: str) -> Open:
        forward = await store.record_forward(self.db, id=forward_id, peer=peer, direction=direction,
                                             conversation_id=conversation_id, visitor_id=visitor_id,
                                             business=business, offer_id=offer_id)
        return await self._follow(forward)  # the pending entry of the offer, now ready


def new_ids() -> tuple[str, str]:
    return f"o_{uuid.uuid4().hex[:20]}", f"f_{uuid.uuid4().hex[:20]}"
