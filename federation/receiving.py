"""What the peer sends of a forward, stored here (a mixin of federation/forwarding.py's
Forwarding): its messages with their files, each once and in order.

A message is stored under `fwd:<forward>:<seq>` (a resend is recognised) and then counts
as received; a frame whose handling fails is tried again a few times (a shard restarting),
and should it still fail the stream is dropped rather than the frame skipped: a later
message stored past a lost one would hide it from every resend.
"""

from __future__ import annotations

import asyncio
import logging

from actors.conversation.forwarding_protocol import RelayedPost
from actors.conversation.protocol import Post, conversation_ref
from actors.participants import PartyKind
from actors.runtime.replies import Rejected
from federation.attachments import keep_incoming
from federation.v1 import link_pb2 as pb

log = logging.getLogger(__name__)

HANDLE_RETRIES_S = (0.1, 0.5, 2.0, None)  # pauses between tries of a failing frame, then give up


class Receiving:
    async def _handle_or_resync(self, peer, entry, frame: pb.Frame) -> None:
        """A frame handled, tried again a few times if it fails (a shard restarting).
        Should it still fail, skipping it would lose a message while later ones are
        stored: the stream is dropped instead, and what it carried after the last stored
        message comes again after the next Hello."""
        for pause_s in HANDLE_RETRIES_S:
            try:
                await self._handle(peer, entry, frame)
                return
            except Exception:  # noqa: BLE001 - tried again, then resent by the peer
                log.exception("forward %s: %s failed", entry.forward.id, frame.WhichOneof("kind"))
                if pause_s is None:
                    break
                await asyncio.sleep(pause_s)
        entry.resync_from_stream = peer.status.streams + 1
        log.error("forward %s: dropping the stream to %s so it resends", entry.forward.id, peer.name)
        peer.drop_stream()


    async def _store_message(self, peer, entry, message: pb.ChatMessage) -> None:
        forward, ref = entry.forward, conversation_ref(entry.forward.conversation_id)
        if message.seq <= entry.received_seq:
            entry.incoming.clear()
            return  # had it (a resend after a reconnect)
        if forward.direction == "out":
            sender = (PartyKind(message.sender.kind or "agent"), f"{peer.name}:{message.sender.id}")
        else:
            sender = (PartyKind.VISITOR, forward.visitor_id)
        if entry.kept is not None and entry.kept[0] == message.seq:
            files, refused = entry.kept[1], []  # a retry: its files are kept already
        else:
            files, refused = await keep_incoming(self.db, self.blobs, self.center_id, forward.conversation_id,
                                                 (sender[0].value, sender[1]), message.attachments, entry.incoming)
            entry.kept = (message.seq, files)
        if refused:
            log.warning("forward %s: message %d: files refused: %s", forward.id, message.seq, "; ".join(refused))
            peer.send(pb.Frame(refusal=pb.Refusal(code="attachment_refused", forward_id=forward.id,
                                                  message="; ".join(refused)[:500])))
        if message.body or files:
            if forward.direction == "out":
                reply = await self.directory.ask(ref, RelayedPost(
                    forward.id, message.seq, sender[0], sender[1], message.body, message.internal, tuple(files)))
            else:
                reply = await self.directory.ask(ref, Post(
                    sender[0], sender[1], f"fwd:{forward.id}:{message.seq}", message.body, attachments=tuple(files)))
            if isinstance(reply, Rejected):
                log.warning("forward %s: message %d refused: %s", forward.id, message.seq, reply.message)
        entry.received_seq = max(entry.received_seq, message.seq)
        entry.kept = None
