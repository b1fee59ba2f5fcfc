"""Offers across a link: making one for a conversation of ours (which partner, by the
rules of federation/policy.py, each asked in turn until one accepts or all decline
within the offer timeout), and answering one from a partner (the allow-list, loops
and the hop limit, then a chat request through our own front door, as a visitor).

An offer's id makes it idempotent: the same offer again is answered by the forward
it created the first time, never by a second conversation.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time

from actors.conversation.forwarding_protocol import OfferedHere
from actors.conversation.protocol import Open, Opened
from actors.routing.capacity import Capacity
from actors.routing.types import ChatRequest, VisitorProfile
from actors.runtime.replies import Rejected
from actors.skill_group.protocol import GetCapacity, queue_ref
from actors.store import forwards as store
from actors.store.visitors import identified_visitor
from actors.visitor.protocol import RequestChat, conversation_id_near, visitor_ref
from federation.config import LinksConfig
from federation.forwarding import Forwarding, new_ids
from federation.link_frames import state_frame
from federation.messages import OfferRequest, OfferResult
from federation.peer import Peer
from federation.policy import LocalView, PeerView, candidates
from federation.v1 import link_pb2 as pb

log = logging.getLogger(__name__)

REASONS = {"ownership": pb.OWNERSHIP, "business_type": pb.BUSINESS_TYPE, "overflow": pb.OVERFLOW,
           "out_of_hours": pb.OUT_OF_HOURS}
LINK_CHANNEL = "link"
# Of the time an upstream offer leaves us, how much an onward offer may take: the rest
# carries our answer back (and our own work on it).
ONWARD_SHARE = 0.7


class Offers:
    def __init__(self, config: LinksConfig, forwarding: Forwarding) -> None:
        self.config, self.forwarding = config, forwarding
        self.rules = [rule for link in config.links for rule in link.forward_rules()]
        self.overflowing: dict[str, set[str]] = {}  # business -> peers overflow now goes to
        forwarding.take_offer = self.take

    # -- ours, out --------------------------------------------------------------------------

    async def make(self, request: OfferRequest) -> OfferResult:
        local = await self._local(request.business)
        peers = {name: self._view(peer, request.business) for name, peer in self.forwarding.peers.items()}
        ranked = candidates(self.rules, request.business, request.hops, local, peers,
                            self.overflowing.get(request.business, set()))
        self.overflowing[request.business] = {peer for peer, reason in ranked if reason == "overflow"}
        for name, reason in ranked:
            timeout_s = self._time_for_an_answer(request)
            if timeout_s <= 0:
                log.info("%s: no time left to offer it onward (upstream deadline)", request.conversation_id)
                break
            peer = self.forwarding.peers[name]
            offer_id, forward_id = new_ids()
            offer = pb.Offer(
                offer_id=offer_id, business=request.business, reason=REASONS[reason],
                hops=[*request.hops, self.config.name], forward_id=forward_id,
                deadline_ms=int((time.time() + timeout_s) * 1000),
                visitor=pb.Visitor(id=request.visitor_id, name=request.visitor_name, channel=request.channel,
                                   level=request.level))
            answer = await self.forwarding.ask_peer(peer, offer, timeout_s, request.conversation_id)
            if answer is None or answer.WhichOneof("outcome") != "accepted":
                why = answer.declined.reason if answer is not None else "no answer in time"
                log.info("%s declined %s (%s): %s", name, request.conversation_id, request.business, why)
                self.forwarding.declined[name] = self.forwarding.declined.get(name, 0) + 1
                continue
            await self.forwarding.forwarded(name, forward_id, request.conversation_id, request.visitor_id,
                                            request.business, offer_id, "out")
            self.forwarding.forwarded_count[name] = self.forwarding.forwarded_count.get(name, 0) + 1
            accepted = answer.accepted
            return OfferResult(name, forward_id, reason, accepted.position, accepted.expected_wait_s)
        return OfferResult(None, reason="declined" if ranked else "no_partner")

    def _time_for_an_answer(self, request: OfferRequest) -> float:
        """The offer timeout, or less when this is an onward offer (a chain A -> B -> C):
        C's answer must reach us with time left for ours to reach A by A's deadline."""
        timeout_s = self.config.offer_timeout_s
        if request.answer_by_ms:
            left_s = request.answer_by_ms / 1000 - time.time()
            timeout_s = min(timeout_s, left_s * ONWARD_SHARE)
        return timeout_s

    async def _local(self, business: str) -> LocalView:
        reply = await self.forwarding.directory.ask(queue_ref(self.forwarding.center_id, business), GetCapacity())
        if not isinstance(reply, Capacity):
            return LocalView(math.inf, False)
        return LocalView(reply.expected_wait_s, reply.open_now)

    def _view(self, peer: Peer, business: str) -> PeerView:
        advert = peer.advert(business)
        return PeerView(up=peer.status.up, isolated=peer.isolated,
                        expected_wait_s=advert.expected_wait_s if advert else None,
                        open_now=advert.open_now if advert else None,
                        agents_staffed=advert.agents_staffed if advert else None)

    # -- theirs, in -------------------------------------------------------------------------

    async def take(self, peer: Peer, offer: pb.Offer) -> None:
        try:
            frames = await self._answer(peer, offer)
        except Exception:  # noqa: BLE001 - say no rather than let the peer wait out its deadline
            log.exception("offer %s from %s failed", offer.offer_id, peer.name)
            frames = [pb.Frame(answer=pb.OfferAnswer(offer_id=offer.offer_id,
                                                     declined=pb.Declined(reason="internal", retry_after_ms=1000)))]
        for frame in frames:
            peer.send(frame)

    async def _answer(self, peer: Peer, offer: pb.Offer) -> list[pb.Frame]:
        """The answer, then (when an agent took it at once) who serves it: in that order,
        so the peer knows the forward before it hears of it."""
        def declined(reason: str, retry_after_ms: int = 0) -> list[pb.Frame]:
            log.info("offer %s from %s declined: %s", offer.offer_id, peer.name, reason)
            return [pb.Frame(answer=pb.OfferAnswer(offer_id=offer.offer_id, declined=pb.Declined(
                reason=reason, retry_after_ms=retry_after_ms)))]

        if offer.business not in peer.link.accept:
            return declined("not_allowed")
        if peer.isolated:
            return declined("isolated", retry_after_ms=60_000)
        if self.config.name in offer.hops:
            return declined("loop")
        if len(offer.hops) > self.config.max_hops:
            return declined("hop_limit")
        if offer.deadline_ms and offer.deadline_ms < time.time() * 1000:
            return declined("too_late")
        forwarding = self.forwarding
        # Side by side (each a database round trip of several ms on a busy machine): the
        # visitor is one customer however often it is asked for, so a repeated offer's
        # lookup costs nothing wrong.
        known, visitor = await asyncio.gather(
            store.by_offer(forwarding.db, peer.name, "in", offer.offer_id),
            identified_visitor(forwarding.db, forwarding.center_id,
                               f"link:{peer.name}:{offer.visitor.id}"[:128], offer.visitor.name or "",
                               min(offer.visitor.level, 9), LINK_CHANNEL, None))
        if known is not None:
            return [pb.Frame(answer=pb.OfferAnswer(offer_id=offer.offer_id, accepted=pb.Accepted(position=1)))]
        proposed = conversation_id_near(visitor.id, forwarding.directory.shard_count)
        profile = VisitorProfile(visitor_id=visitor.id, level=visitor.level, channel=LINK_CHANNEL)
        reply = await forwarding.directory.ask(visitor_ref(visitor.id), RequestChat(proposed, Open(
            forwarding.center_id, profile, visitor.name or "", ChatRequest(offer.business), None,
            offered=OfferedHere(tuple(offer.hops), offer.deadline_ms))))
        if isinstance(reply, Rejected):
            return declined(reply.code)
        if not isinstance(reply, Opened) or reply.offline_reason is not None:
            return declined(getattr(reply, "offline_reason", None) or "closed")
        info = reply.info
        if reply.already_open and forwarding.forward_of(info.conversation_id, "in") is not None:
            return declined("already_forwarded")  # that visitor's earlier one is still open here
        _, capacity = await asyncio.gather(
            forwarding.forwarded(peer.name, offer.forward_id, info.conversation_id, visitor.id, offer.business,
                                 offer.offer_id, "in"),
            forwarding.directory.ask(queue_ref(forwarding.center_id, offer.business), GetCapacity()))
        wait = capacity.expected_wait_s if isinstance(capacity, Capacity) and math.isfinite(
            capacity.expected_wait_s) else 0.0
        frames = [pb.Frame(answer=pb.OfferAnswer(offer_id=offer.offer_id, accepted=pb.Accepted(
            position=reply.position or 0, expected_wait_s=wait)))]
        # Read after the forward follows the conversation's events: an agent who took it
        # meanwhile (here, or further down a chain) is in this answer or in a later event.
        agent = await forwarding.served_by(info.conversation_id)
        if agent is not None:
            frames.append(state_frame(offer.forward_id, assigned=agent))
        return frames
