"""What happens in our forwarded conversations, said to the peer (a mixin of
federation/forwarding.py's Forwarding).

An `out` forward (we forwarded it) follows the center's links topic, where a forwarded
conversation publishes: what its visitor writes and types goes to the serving peer, and
its ending closes the forward. An `in` forward (we serve it) follows its stand-in
visitor's topic: whether it waits or who serves it, what our agents write and type.

In a chain A -> B -> C, B's conversation is both: served for A (in) and forwarded to C
(out). It publishes to both topics, so each leg listens on its own topic only and no
event is said twice.
"""

from __future__ import annotations

import logging
from typing import Any

from actors.bus import topics
from actors.conversation.forwarding_protocol import ForwardTakenBack, ServedElsewhere
from actors.conversation.protocol import (AgentTyped, ConversationAssigned, ConversationEnded, ConversationQueued,
                                          ConversationTransferred, MessageLeft, MessagePosted, TypingPreviewed)
from actors.skill_group.protocol import QueuePositionChanged
from federation.link_frames import state_frame
from federation.v1 import link_pb2 as pb

log = logging.getLogger(__name__)


class EventRelay:
    async def _pump(self) -> None:
        async for delivery in self._subscription:
            try:
                await self._event(delivery.topic, delivery.event.event)
            except Exception:  # noqa: BLE001 - one event failed; a reconnect resends messages
                log.exception("relaying %s failed", type(delivery.event.event).__name__)

    async def _event(self, topic: str, event: Any) -> None:
        for key in list(self.by_conversation.get(getattr(event, "conversation_id", None) or "", ())):
            entry = self.open.get(key)
            if entry is None or entry.closing:
                continue
            peer = self.peers.get(entry.forward.peer)
            if peer is None:
                continue  # a link no longer configured: nobody to tell
            if entry.forward.direction == "out":
                if topic == topics.links(self.center_id):
                    await self._ours_served_there(peer, entry, event)
            elif topic == topics.visitor(entry.forward.visitor_id):
                await self._theirs_served_here(peer, entry, event)

    async def _ours_served_there(self, peer, entry, event: Any) -> None:
        if isinstance(event, MessagePosted):
            await self._relay(peer, entry, event.message)
        elif isinstance(event, TypingPreviewed):
            peer.send(pb.Frame(typing=pb.Typing(forward_id=entry.forward.id, text=event.text,
                                                sender=pb.Sender(kind="visitor", id=entry.forward.visitor_id))))
        elif isinstance(event, (ConversationEnded, MessageLeft)):
            await self._ended_here(peer, entry, event)

    async def _theirs_served_here(self, peer, entry, event: Any) -> None:
        forward_id = entry.forward.id
        if isinstance(event, MessagePosted):
            await self._relay(peer, entry, event.message)
        elif isinstance(event, AgentTyped):
            peer.send(pb.Frame(typing=pb.Typing(forward_id=forward_id, sender=pb.Sender(
                kind="agent", id=event.agent.id, display_name=event.agent.display_name))))
        elif isinstance(event, (ConversationQueued, QueuePositionChanged)):
            peer.send(state_frame(forward_id, position=event.position))
        elif isinstance(event, ForwardTakenBack):
            peer.send(state_frame(forward_id, position=1))  # our partner let it go: waiting here now
        elif isinstance(event, ConversationAssigned):
            peer.send(state_frame(forward_id, assigned=(event.agent.id, event.agent.display_name)))
        elif isinstance(event, ServedElsewhere):  # we forwarded it on (a chain): our partner's agent
            peer.send(state_frame(forward_id, assigned=(event.agent.id, event.agent.display_name)))
        elif isinstance(event, ConversationTransferred) and event.to_agent_id:
            peer.send(state_frame(forward_id, assigned=(event.to_agent_id, event.to_agent_name or "")))
        elif isinstance(event, (ConversationEnded, MessageLeft)):
            await self._ended_here(peer, entry, event)

    async def _ended_here(self, peer, entry, event: Any) -> None:
        disposition = "not_served" if isinstance(event, MessageLeft) else f"ended_by_{event.by.value}"
        peer.send(pb.Frame(close=pb.Close(forward_id=entry.forward.id, disposition=disposition)))
        await self._forget(entry, disposition)
