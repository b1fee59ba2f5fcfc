"""One owner at a time (a mixin of federation/forwarding.py's Forwarding): a forwarded
conversation is served by one center, and each center's copy ends when the other's does.

- A partner gone too long: once its link has been down for `take_back_after_s`, each of
  our `out` forwards to it is taken back into the local queue of its group with its
  history (the conversation entity's TakeBack).
- The peer's Hello names each forward it still holds open; one that is closed here
  (taken back, ended while the link was down, accepted too late, or never known) is
  answered with how it ended, so the peer ends its copy. No outbox of closes is needed:
  the peer asks again, by its next Hello, until it has heard.
- An acceptance that comes after the offer's deadline is answered with a close: by then
  the conversation waits here (or went to another partner).
"""

from __future__ import annotations

import asyncio
import logging
import time

from actors.conversation.forwarding_protocol import TakeBack
from actors.conversation.protocol import conversation_ref
from actors.store import forwards as store
from federation.v1 import link_pb2 as pb

log = logging.getLogger(__name__)

WATCH_EVERY_S = 0.5


class OneOwner:
    async def _watch(self, take_back_after_s: float) -> None:
        while True:
            await asyncio.sleep(WATCH_EVERY_S)
            now = time.monotonic()
            for name, peer in self.peers.items():
                if peer.status.up:
                    self.down_since.pop(name, None)
                    continue
                since = self.down_since.setdefault(name, now)
                if now - since >= take_back_after_s:
                    await self._take_back_from(peer, now - since)

    async def _take_back_from(self, peer, down_s: float) -> None:
        for entry in [e for e in self.open.values() if e.forward.peer == peer.name and e.forward.direction == "out"]:
            log.info("taking %s back from %s (down %.1f s)", entry.forward.conversation_id, peer.name, down_s)
            entry.closing = True
            try:
                await self.directory.ask(conversation_ref(entry.forward.conversation_id),
                                         TakeBack(entry.forward.id, "link_down"))
            except Exception:  # noqa: BLE001 - its shard is restarting: the next round tries again
                entry.closing = False
                log.exception("taking %s back failed", entry.forward.conversation_id)
                continue
            await self._forget(entry, "taken_back")
            peer.send(pb.Frame(take_back=pb.TakeBack(forward_id=entry.forward.id, reason="link_down")))  # if up

    async def _settle(self, peer, forward_ids: list[str]) -> None:
        """Forwards the peer's Hello names as open that are not open here: closed or
        taken back while the link was down, accepted after the offer's deadline, or never
        ours. The peer hears how each ended and ends its copy: a close needs no outbox,
        as the peer asks again (by its Hello) until it has heard."""
        known = await store.with_peer(self.db, peer.name, forward_ids) if forward_ids else {}
        for forward_id in forward_ids:
            forward = known.get(forward_id)
            if forward is not None and forward.state == store.OPEN:
                continue  # open here too (being followed again): not for us to close
            disposition = (forward.disposition if forward else None) or "unknown"
            log.info("forward %s: %s's hello has it open, here it is %s", forward_id, peer.name, disposition)
            if forward is not None and forward.direction == "out" and disposition == "taken_back":
                peer.send(pb.Frame(take_back=pb.TakeBack(forward_id=forward_id, reason="link_down")))
            else:
                peer.send(pb.Frame(close=pb.Close(forward_id=forward_id, disposition=disposition)))

    def _late_answer(self, peer, answer: pb.OfferAnswer) -> None:
        """An acceptance after the offer's deadline: we serve that conversation here (or
        elsewhere) already, so the peer must end its copy (one owner at a time)."""
        forward_id = self.expired.pop(answer.offer_id, None)
        if forward_id is not None and answer.WhichOneof("outcome") == "accepted":
            log.info("offer %s accepted by %s too late: closing its forward", answer.offer_id, peer.name)
            peer.send(pb.Frame(close=pb.Close(forward_id=forward_id, disposition="offer_expired")))
