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
(the durable outbox). A peer gone longer than `take_back_after_s` has its forwards
taken back into our local queues.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Awaitable, Callable

from actors.bus import topics
from actors.conversation.forwarding_protocol import (ForwardClosed, ForwardQueued, ForwardServed, RelayedPost,
                                                     TakeBack)
from actors.conversation.protocol import (AgentTyped, AgentTyping, ConversationAssigned, ConversationEnded,
                                          ConversationQueued, ConversationTransferred, End, GetInfo, MessageLeft,
                                          MessagePosted, Post, Typing, TypingPreviewed, conversation_ref)
from actors.participants import PartyKind
from actors.runtime.replies import Rejected
from actors.skill_group.protocol import QueuePositionChanged
from actors.store import forwards as store
from actors.store.conversations import messages_after
from federation.link_frames import chat_frame, state_frame
from federation.peer import Peer
from federation.v1 import link_pb2 as pb

log = logging.getLogger(__name__)

RELAYED_OUT = (PartyKind.VISITOR,)  # what our visitor writes goes to the serving center
RELAYED_IN = (PartyKind.AGENT, PartyKind.SYSTEM)  # what our agents write goes back
RESEND_PAGE = 500


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
    # Set once the forward is stored: an offer's answer and the first frames about the
    # forward can arrive together, and those wait for the record (federation/offers.py).
    ready: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def key(self) -> tuple[str, str]:
        return self.forward.id, self.forward.direction


class Forwarding:
    def __init__(self, center_id: str, name: str, peers: dict[str, Peer], directory, bus, db) -> None:
        self.center_id, self.name = center_id, name
        self.peers, self.directory, self.bus, self.db = peers, directory, bus, db
        self.open: dict[tuple[str, str], Open] = {}
        self.by_conversation: dict[str, tuple[str, str]] = {}
        self.answers: dict[str, asyncio.Future] = {}
        self._lanes: dict[tuple[str, str], asyncio.Queue] = {}
        self._subscription = None
        self._tasks: list[asyncio.Task] = []
        self.down_since: dict[str, float] = {}
        self.unsent: dict[str, list[pb.Frame]] = {}  # peer -> closes and take-backs for its reconnect
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
        self._tasks = [asyncio.create_task(self._pump()), asyncio.create_task(self._watch(take_back_after_s))]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
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
        self.open[entry.key] = entry
        self.by_conversation[forward.conversation_id] = entry.key
        if forward.direction == "in":
            await self._subscription.add(topics.visitor(forward.visitor_id))
        return entry

    async def _forget(self, entry: Open, disposition: str) -> None:
        self.open.pop(entry.key, None)
        self.by_conversation.pop(entry.forward.conversation_id, None)
        await store.close_forward(self.db, entry.forward.id, entry.forward.direction, disposition)
        if entry.forward.direction == "in":
            with contextlib.suppress(Exception):
                await self._subscription.remove(topics.visitor(entry.forward.visitor_id))

    # -- what the peer's Hello needs, and what a reconnect resends ------------------------

    def received(self, peer: str) -> list[pb.Received]:
        return [pb.Received(forward_id=e.forward.id, last_seq=e.received_seq)
                for e in self.open.values() if e.forward.peer == peer]

    def on_down(self, peer: Peer) -> None:
        for entry in self.open.values():
            if entry.forward.peer == peer.name:
                entry.mode, entry.held = "down", []

    async def on_up(self, peer: Peer, hello: pb.Hello) -> None:
        self.down_since.pop(peer.name, None)
        entries = [e for e in self.open.values() if e.forward.peer == peer.name]
        for entry in entries:  # before any await: a message posted from now on is held
            entry.mode, entry.held = "catching_up", []
        for frame in self.unsent.pop(peer.name, []):
            peer.send(frame)
        theirs = {r.forward_id: r.last_seq for r in hello.received}
        for entry in entries:
            await self._catch_up(peer, entry, theirs.get(entry.forward.id, 0))
            if entry.forward.direction == "in":
                await self._send_state(peer, entry)

    async def _catch_up(self, peer: Peer, entry: Open, after_seq: int) -> None:
        """Sends ours past `after_seq` from the stored conversation, then what was posted
        meanwhile: in seq order, each once."""
        entry.mode, entry.sent_seq = "catching_up", after_seq
        try:
            while True:
                page = await messages_after(self.db, entry.forward.conversation_id, entry.sent_seq, RESEND_PAGE)
                for message in page:
                    self._send_message(peer, entry, message)
                if len(page) < RESEND_PAGE:
                    break
        finally:
            held, entry.held = sorted(entry.held, key=lambda m: m.seq), []
            if peer.status.up and entry.mode == "catching_up":
                entry.mode = "live"
                for message in held:
                    self._send_message(peer, entry, message)

    def _send_message(self, peer: Peer, entry: Open, message) -> None:
        kinds = RELAYED_OUT if entry.forward.direction == "out" else RELAYED_IN
        if message.seq <= entry.sent_seq:
            return  # sent on this stream already (the catch-up and the live event overlap)
        if message.sender_kind in kinds and not message.internal:
            peer.send(chat_frame(entry.forward.id, message))  # lost with a dying stream: the next catch-up
        entry.sent_seq = message.seq

    def _relay(self, peer: Peer, entry: Open, message) -> None:
        if entry.mode == "live":
            self._send_message(peer, entry, message)
        elif entry.mode == "catching_up":
            entry.held.append(message)
        # down: the catch-up after the reconnect reads it from the stored conversation

    def _send_or_keep(self, peer: Peer, frame: pb.Frame) -> None:
        """A frame that must reach the peer (a close): kept for the reconnect if the link is down."""
        if not peer.send(frame):
            self.unsent.setdefault(peer.name, []).append(frame)

    async def _send_state(self, peer: Peer, entry: Open) -> None:
        info = await self.directory.ask(conversation_ref(entry.forward.conversation_id), GetInfo())
        if getattr(info, "agent_id", None):
            peer.send(state_frame(entry.forward.id, assigned=(info.agent_id, info.agent_name or "")))
        else:
            peer.send(state_frame(entry.forward.id, position=1))

    # -- frames from peers ----------------------------------------------------------------

    def on_frame(self, peer: Peer, frame: pb.Frame) -> None:
        kind = frame.WhichOneof("kind")
        if kind == "answer":
            future = self.answers.get(frame.answer.offer_id)
            if future is not None and not future.done():
                future.set_result(frame.answer)
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
        lane.put_nowait(frame)

    async def _drain(self, peer: Peer, entry: Open, lane: asyncio.Queue) -> None:
        """One forward's frames, one at a time, in order; an ack after each burst."""
        try:
            await entry.ready.wait()
            while True:
                frame = await lane.get()
                if entry.key not in self.open:
                    return  # the offer was declined after all, or the forward closed
                try:
                    await self._handle(peer, entry, frame)
                except Exception:  # noqa: BLE001 - this frame failed; the peer resends after a reconnect
                    log.exception("forward %s: %s failed", entry.forward.id, frame.WhichOneof("kind"))
                if lane.empty() and entry.key in self.open and entry.received_seq > entry.acked:
                    # Only for messages stored since the last ack: acking an ack (or a typing
                    # frame) made the two centers ping-pong acks and cursor writes forever.
                    entry.acked = entry.received_seq
                    peer.send(pb.Frame(ack=pb.Ack(forward_id=entry.forward.id, up_to_seq=entry.received_seq)))
                    await store.advance(self.db, entry.forward.id, entry.forward.direction, entry.received_seq)
                if entry.key not in self.open and lane.empty():
                    return
        finally:
            self._lanes.pop(entry.key, None)

    async def _handle(self, peer: Peer, entry: Open, frame: pb.Frame) -> None:
        kind = frame.WhichOneof("kind")
        forward, ref = entry.forward, conversation_ref(entry.forward.conversation_id)
        if kind == "message":
            message = frame.message
            if message.seq <= entry.received_seq:
                return  # had it (a resend after a reconnect)
            if forward.direction == "out":
                reply = await self.directory.ask(ref, RelayedPost(
                    forward.id, message.seq, PartyKind(message.sender.kind or "agent"),
                    f"{peer.name}:{message.sender.id}", message.body, message.internal))
            else:
                reply = await self.directory.ask(ref, Post(
                    PartyKind.VISITOR, forward.visitor_id, f"fwd:{forward.id}:{message.seq}", message.body))
            if isinstance(reply, Rejected):
                log.warning("forward %s: message %d refused: %s", forward.id, message.seq, reply.message)
            entry.received_seq = max(entry.received_seq, message.seq)
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

    # -- events of our conversations, relayed --------------------------------------------

    async def _pump(self) -> None:
        async for delivery in self._subscription:
            try:
                await self._event(delivery.event.event)
            except Exception:  # noqa: BLE001 - one event failed; a reconnect resends messages
                log.exception("relaying %s failed", type(delivery.event.event).__name__)

    async def _event(self, event: Any) -> None:
        key = self.by_conversation.get(getattr(event, "conversation_id", None) or "")
        entry = self.open.get(key) if key else None
        if entry is None or entry.closing:
            return
        peer = self.peers.get(entry.forward.peer)
        outgoing = entry.forward.direction == "out"
        if isinstance(event, MessagePosted):
            self._relay(peer, entry, event.message)
        elif isinstance(event, TypingPreviewed) and outgoing:
            peer.send(pb.Frame(typing=pb.Typing(forward_id=entry.forward.id, text=event.text,
                                                sender=pb.Sender(kind="visitor", id=entry.forward.visitor_id))))
        elif isinstance(event, AgentTyped) and not outgoing:
            peer.send(pb.Frame(typing=pb.Typing(forward_id=entry.forward.id, sender=pb.Sender(
                kind="agent", id=event.agent.id, display_name=event.agent.display_name))))
        elif isinstance(event, (ConversationQueued, QueuePositionChanged)) and not outgoing:
            peer.send(state_frame(entry.forward.id, position=event.position))
        elif isinstance(event, ConversationAssigned) and not outgoing:
            peer.send(state_frame(entry.forward.id, assigned=(event.agent.id, event.agent.display_name)))
        elif isinstance(event, ConversationTransferred) and not outgoing and event.to_agent_id:
            peer.send(state_frame(entry.forward.id, assigned=(event.to_agent_id, event.to_agent_name or "")))
        elif isinstance(event, (ConversationEnded, MessageLeft)):
            disposition = "not_served" if isinstance(event, MessageLeft) else f"ended_by_{event.by.value}"
            self._send_or_keep(peer, pb.Frame(close=pb.Close(forward_id=entry.forward.id, disposition=disposition)))
            await self._forget(entry, disposition)

    # -- a partner gone too long: its conversations come home -----------------------------

    async def _watch(self, take_back_after_s: float) -> None:
        while True:
            await asyncio.sleep(0.5)
            now = time.monotonic()
            for name, peer in self.peers.items():
                if peer.status.up:
                    continue
                since = self.down_since.setdefault(name, now)
                if now - since < take_back_after_s:
                    continue
                for entry in [e for e in self.open.values() if e.forward.peer == name and e.forward.direction == "out"]:
                    log.info("taking %s back from %s (down %.1f s)", entry.forward.conversation_id, name, now - since)
                    entry.closing = True
                    try:
                        await self.directory.ask(conversation_ref(entry.forward.conversation_id),
                                                 TakeBack(entry.forward.id, "link_down"))
                    except Exception:  # noqa: BLE001 - its shard is restarting: the next round tries again
                        entry.closing = False
                        log.exception("taking %s back failed", entry.forward.conversation_id)
                        continue
                    await self._forget(entry, "taken_back")
                    self._send_or_keep(peer, pb.Frame(take_back=pb.TakeBack(forward_id=entry.forward.id,
                                                                            reason="link_down")))

    # -- offers out (federation/serving.py takes them in) ---------------------------------

    async def ask_peer(self, peer: Peer, offer: pb.Offer, timeout_s: float,
                       conversation_id: str) -> pb.OfferAnswer | None:
        """The peer's answer, or None in time. Frames about the forward that come with
        an acceptance wait in its lane until `forwarded` stored it."""
        forward = store.Forward(offer.forward_id, peer.name, "out", conversation_id, offer.visitor.id,
                                offer.business, offer.offer_id, store.OPEN, 0, datetime.now(timezone.utc))
        pending = Open(forward, 0, mode="live")
        self.open[pending.key] = pending
        self.by_conversation[conversation_id] = pending.key
        future = asyncio.get_running_loop().create_future()
        self.answers[offer.offer_id] = future
        answer = None
        try:
            if peer.send(pb.Frame(offer=offer)):
                answer = await asyncio.wait_for(future, timeout_s)
        except asyncio.TimeoutError:
            pass
        finally:
            self.answers.pop(offer.offer_id, None)
            if answer is None or answer.WhichOneof("outcome") != "accepted":
                self.open.pop(pending.key, None)
                if self.by_conversation.get(conversation_id) == pending.key:
                    self.by_conversation.pop(conversation_id)
        return answer

    async def forwarded(self, peer: str, forward_id: str, conversation_id: str, visitor_id: str,
                        business: str, offer_id: str, direction: str) -> Open:
        forward = await store.record_forward(self.db, id=forward_id, peer=peer, direction=direction,
                                             conversation_id=conversation_id, visitor_id=visitor_id,
                                             business=business, offer_id=offer_id)
        return await self._follow(forward)  # the pending entry of the offer, now ready


def new_ids() -> tuple[str, str]:
    return f"o_{uuid.uuid4().hex[:20]}", f"f_{uuid.uuid4().hex[:20]}"
