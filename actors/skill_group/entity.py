"""SkillGroupQueue (技能组排队): the waiting line of one skill group, and its matcher.

The queue proposes, the agent disposes. The queue offers its head to the agent
the selection policy prefers and takes the entry out of the line; the
conversation then asks that agent for a slot (the agent entity alone owns its
slots, so no cap is ever exceeded) and reports the outcome. A refusal puts the
entry back at its place and refreshes the queue's view of the agent. The queue
never waits for an agent inside its own mailbox: a burst of requests costs it
microseconds each (measured: awaiting the agent here held the mailbox ~9 ms per
request, capping a group at ~100 assignments a second). While offers are out,
the queue counts them against each agent's free slots so it does not offer one
slot twice. Matching runs on every change that could make a match possible (a
new request, an agent freed or coming online, an offer refused), so no online
agent with a free slot idles while someone it could serve waits.

Durable: the `queued` conversations of the group, with priority, original
enqueue time and deadline (conversations table). Rebuilt after a restart: the
line from those rows, the agents' state by asking each member agent.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter, deque
from dataclasses import replace
from typing import Any

from actors.agent.protocol import AgentSnapshot, GetSnapshot, Refused, Reserve, agent_ref
from actors.bus import topics
from actors.bus.base import BusEvent
from actors.center.protocol import GetRouting, center_ref
from actors.conversation.protocol import Assign, Offer, Overflow, conversation_ref
from actors.lifecycle import AgentStatus
from actors.routing.selection.least_loaded import LeastLoaded
from actors.routing.selection.loader import load_policy
from actors.routing.types import AgentCandidate, SelectionPolicy, WaitingRequest
from actors.routing.waiting_line import WaitingEntry, WaitingLine
from actors.runtime.entity import Entity
from actors.runtime.replies import Done, Rejected
from actors.skill_group.deadlines import Deadlines
from actors.skill_group.views import QueueViews
from actors.skill_group.protocol import (KIND, AgentChanged, CheckOffers, Enqueue, Enqueued,
                                         GetCapacity, GetPlace, GetWaiting, OfferOutcome, Offered, Pick, Picked,
                                         PublishPositions, PublishWaiting, QueuePositionChanged,
                                         Reload, ResendOverflows, Tick, WaitingList, WaitingListChanged,
                                         Wake, Withdraw, next_rev)
from actors.store import accounts, conversations
from actors.store.tracking import known_source

log = logging.getLogger(__name__)

# How often, at most, the line's changes go out. In a burst every assignment moves
# every waiting visitor: with 1,000 waiting, positions at 5 a second were 5,000
# frames a second through bus, gateway and browsers, about as much work as the
# assignments themselves; once a second is what a "you are number N" line needs.
WAITING_PUBLISH_INTERVAL_S = 0.5
POSITION_PUBLISH_INTERVAL_S = 1.0
OFFER_TIMEOUT_S = 15.0
WAITING_FRAME_ENTRIES = 50
RECENT_WAITS = 20  # waits of the last visitors served, for the expected wait a linked center is told


class SkillGroupQueue(Deadlines, QueueViews, Entity):
    kind = KIND

    async def on_activate(self) -> None:
        self.center_id, self.group = self.key.split("/", 1)
        self.line = WaitingLine()
        self.agents: dict[str, AgentSnapshot] = {}
        self.levels: dict[str, int] = {}
        self.published: dict[str, int] = {}
        # Offers out: conversation -> (its entry, the agent, when); and offers per agent.
        self.offers: dict[str, tuple[WaitingEntry, str, float]] = {}
        self.pending: Counter[str] = Counter()
        # The agents with a free slot, as the selection policy sees them; kept up to
        # date as snapshots and offers change, so a match does not rebuild a
        # candidate for every member (measured: with 200 agents that scan was about
        # 30% of the shard's CPU in a 1,000-request burst).
        self.candidates: dict[str, AgentCandidate] = {}
        self.rev = 0
        # Overflows told and not yet confirmed: conversation -> (overflow, told at, resends).
        self.overflowing: dict[str, tuple[Overflow, float, int]] = {}
        self.recent_waits: deque[float] = deque(maxlen=RECENT_WAITS)  # of the last served
        await self._load_settings()
        now = self.services.clock()
        # The rows include conversations whose Enqueue is on its way (each stores its
        # row before enqueueing): without a deadline here, the first visitor of a newly
        # activated queue never timed out (the Enqueue found it in line already).
        for row, visitor in await conversations.waiting_in_group(self.services.db, self.center_id,
                                                                 self.group):
            self.line.add(WaitingEntry(
                conversation_id=row.id, visitor_id=row.visitor_id, priority=row.priority,
                enqueued_at=row.enqueued_at or now,
                deadline=row.queue_deadline or self._deadline_from(now),
                preferred_agent_id=row.preferred_agent_id, channel=row.channel,
                visitor_name=visitor.name if visitor else "", source=known_source(visitor)))
        await self._load_members()
        self._arm_deadline()

    async def _load_settings(self) -> None:
        routing = await self.ask(center_ref(self.center_id), GetRouting())
        self.settings = routing.groups.get(self.group)
        self.center_hours = routing.work_hours
        try:
            self.policy: SelectionPolicy = load_policy(routing.selection_policy)
        except ValueError:
            log.exception("selection policy %r failed to load; using least_loaded",
                          routing.selection_policy)
            self.policy = LeastLoaded()

    async def _load_members(self) -> None:
        self.levels = await accounts.group_members(self.services.db, self.center_id, self.group)
        snapshots = await asyncio.gather(
            *(self.ask(agent_ref(agent_id), GetSnapshot()) for agent_id in self.levels))
        self.agents = {snap.agent_id: snap for snap in snapshots if isinstance(snap, AgentSnapshot)}
        self.candidates.clear()
        for agent_id in self.agents:
            self._refresh(agent_id)

    async def receive(self, command: Any) -> Any:
        if isinstance(command, Reload):
            # Before the unknown-group check: a group created after this queue was
            # first asked for becomes known by reloading.
            return await self._reload()
        if self.settings is None:
            return Rejected("unknown_skill_group", f"no skill group {self.group}")
        match command:
            case Enqueue(entry=entry):
                return await self._enqueue(entry)
            case Withdraw(conversation_id=cid):
                self._settle_offer(cid)
                self.overflowing.pop(cid, None)  # the conversation heard its Overflow
                if self.line.remove(cid) is not None:
                    await self._changed()
                return Done()
            case OfferOutcome():
                return await self._outcome(command)
            case Pick():
                return await self._pick(command)
            case AgentChanged(snapshot=snap):
                self._see(snap)
                if self._free_slots(snap) > 0 and len(self.line):
                    await self._match_and_publish()
                return Done()
            case Wake():
                await self._match_and_publish()
                return Done()
            case Tick():
                await self._expire()
                return Done()
            case ResendOverflows():
                self._resend_overflows()
                return Done()
            case CheckOffers():
                await self._check_offers()
                return Done()
            case PublishPositions():
                await self._publish_positions()
                return Done()
            case PublishWaiting():
                await self._publish_waiting()
                return Done()
            case GetWaiting():
                return WaitingList(self.group, self._waiting_visitors())
            case GetCapacity():
                return self._capacity()
            case GetPlace(conversation_id=cid):
                return self._place(cid)
        return Rejected("bad_command", f"queue cannot handle {type(command).__name__}")

    async def _reload(self) -> Done:
        await self._load_settings()
        if self.settings is not None:
            self._give_deadlines()
            await self._load_members()
            await self._match_and_publish()
        return Done()

    async def _enqueue(self, entry: WaitingEntry) -> Enqueued | Offered:
        cid = entry.conversation_id
        if cid in self.offers:  # a retried Enqueue while its offer is out
            return Offered(self.offers[cid][1])
        # The Enqueue knows the entry best (a transfer's place at the head, the visitor's
        # name); an entry loaded from its row keeps its deadline and arrival. An entry
        # overflowing from another group brings that line's arrival: not one of ours.
        known = self.line.get(cid)
        deadline = known.deadline if known is not None else self._deadline_from(self.services.clock())
        self.line.add(replace(entry, deadline=deadline, arrival=None))
        self._arm_deadline()
        return await self._answer(cid)

    async def _answer(self, cid: str) -> Enqueued | Offered:
        """Match, tell the others what changed, and answer `cid` itself."""
        offered = self._match(reply_for=cid)
        await self._changed(skip=cid)
        if offered is not None:
            return Offered(offered)
        position = self.line.position(cid)
        self.published[cid] = position
        return Enqueued(position, self.line.get(cid).deadline, self.rev)

    def _place(self, cid: str) -> Enqueued | Rejected:
        if cid in self.offers:
            return Enqueued(1, self.offers[cid][0].deadline, self.rev)
        entry = self.line.get(cid)
        if entry is None:
            return Rejected("not_waiting", "the conversation is not waiting here")
        return Enqueued(self.line.position(cid), entry.deadline, self.rev)

    async def _outcome(self, command: OfferOutcome) -> Enqueued | Offered | Done:
        entry = self._settle_offer(command.conversation_id)
        if entry is not None and command.granted:
            self.recent_waits.append(self.services.clock() - entry.enqueued_at)
        if command.snapshot is not None:
            self._see(command.snapshot)
        elif not command.granted and command.waiting:
            self.agents.pop(command.agent_id, None)  # the agent is gone
            self._refresh(command.agent_id)
        if entry is not None and command.waiting and not command.granted:
            self.line.add(entry)  # back at its place: same priority and enqueue time
            self._arm_deadline()
            return await self._answer(command.conversation_id)
        if len(self.line):
            await self._match_and_publish()
        return Done()

    async def _check_offers(self) -> None:
        cutoff = self.services.clock() - OFFER_TIMEOUT_S
        stale = [cid for cid, (_, _, at) in self.offers.items() if at <= cutoff]
        for cid in stale:
            # Back in line; should the conversation answer after all, it is
            # either assigned (and declines the next offer) or still waiting.
            self.line.add(self._settle_offer(cid))
        if stale:
            log.warning("%d offers in %s had no answer in %.0f s; back in line",
                        len(stale), self.group, OFFER_TIMEOUT_S)
            self._arm_deadline()
            await self._match_and_publish()
        if self.offers:
            self.schedule("offers", OFFER_TIMEOUT_S, CheckOffers())

    def _settle_offer(self, cid: str) -> WaitingEntry | None:
        offer = self.offers.pop(cid, None)
        if offer is None:
            return None
        entry, agent_id, _ = offer
        self.pending[agent_id] -= 1
        if self.pending[agent_id] <= 0:
            del self.pending[agent_id]
        self._refresh(agent_id)
        return entry

    async def _pick(self, command: Pick) -> Picked | Rejected:
        entry = self.line.get(command.conversation_id)
        if entry is None:  # gone, or an agent is being offered it right now
            return Rejected("not_waiting", "the conversation is no longer waiting")
        if command.agent_id not in self.levels:
            return Rejected("forbidden", f"you are not in skill group {self.group}")
        reply = await self.ask(agent_ref(command.agent_id),
                              Reserve(entry.conversation_id, by_agent=True, fenced=True))
        self._see(reply.snapshot)
        if isinstance(reply, Refused):
            return Rejected(reply.reason, "you have no free slot" if reply.reason == "at_capacity"
                            else "you cannot take conversations now")
        self.line.remove(entry.conversation_id)
        self._assign(entry, reply.snapshot, reply.incarnation)
        await self._changed()
        return Picked(reply.snapshot)

    def _see(self, snap: AgentSnapshot | None) -> None:
        if snap is None:
            return
        level = snap.skills.get(self.group)
        if level is None:
            # The agent left this group; forget them.
            self.agents.pop(snap.agent_id, None)
            self.levels.pop(snap.agent_id, None)
        else:
            self.levels[snap.agent_id] = level
            self.agents[snap.agent_id] = snap
        self._refresh(snap.agent_id)

    def _refresh(self, agent_id: str) -> None:
        """Re-derive one agent's candidate after its snapshot or its offers changed."""
        snap = self.agents.get(agent_id)
        if snap is None or self._free_slots(snap) <= 0:
            self.candidates.pop(agent_id, None)
            return
        self.candidates[agent_id] = AgentCandidate(
            agent_id=agent_id, level=self.levels.get(agent_id, 0),
            active=snap.active + self.pending.get(agent_id, 0),
            max_concurrent=snap.max_concurrent, last_assigned_at=snap.last_assigned_at)

    async def _match_and_publish(self) -> None:
        self._match()
        await self._changed()

    def _match(self, reply_for: str | None = None) -> str | None:
        """Offer the head of the line until it waits for lack of agents; strict
        order within priority, so nobody is overtaken by a later arrival.
        Returns the agent offered `reply_for` (its offer goes in the reply)."""
        offered_to_reply: str | None = None
        while (head := self.line.head()) is not None:
            choice = self._choose(head)
            if choice is None:
                break
            cid = head.conversation_id
            self.line.remove(cid)
            self.published.pop(cid, None)
            self.offers[cid] = (head, choice, self.services.clock())
            self.pending[choice] += 1
            self._refresh(choice)
            if "offers" not in self._timers:
                self.schedule("offers", OFFER_TIMEOUT_S, CheckOffers())
            if cid == reply_for:
                offered_to_reply = choice
            else:
                self.tell(conversation_ref(cid), Offer(choice, self.group))
        return offered_to_reply

    def _free_slots(self, snap: AgentSnapshot) -> int:
        """Free slots as far as this queue knows, offers still out counted as taken."""
        if snap.status is not AgentStatus.ONLINE or not snap.connected:
            return 0
        return snap.max_concurrent - snap.active - self.pending.get(snap.agent_id, 0)

    def _choose(self, head: WaitingEntry) -> str | None:
        candidates = list(self.candidates.values())
        if not candidates:
            return None
        request = WaitingRequest(head.conversation_id, head.visitor_id, head.priority,
                                 head.preferred_agent_id)
        try:
            choice = self.policy.choose(candidates, request)
        except Exception:
            # A center's own policy must not stall the queue.
            log.exception("selection policy %s failed; using least_loaded", self.policy.name)
            choice = LeastLoaded().choose(candidates, request)
        if choice is None or choice.agent_id not in self.agents:
            return None
        return choice.agent_id

    def _assign(self, entry: WaitingEntry, agent: AgentSnapshot, incarnation: int) -> None:
        self.published.pop(entry.conversation_id, None)
        self.tell(conversation_ref(entry.conversation_id),
                  Assign(agent.agent_id, agent.display_name, incarnation))

    async def _changed(self, skip: str | None = None) -> None:
        """The line changed: tell (coalesced) each visitor whose place moved, and the
        group's agents. `skip` is the one being answered directly."""
        self.rev = next_rev(self.rev, self.services.clock())
        if skip is not None and skip in self.line:
            self.published[skip] = self.line.position(skip)
        if "positions" not in self._timers:
            self.schedule("positions", POSITION_PUBLISH_INTERVAL_S, PublishPositions())
        if "waiting" not in self._timers:
            self.schedule("waiting", WAITING_PUBLISH_INTERVAL_S, PublishWaiting())

    async def _publish_positions(self) -> None:
        # Every change moves everyone behind it; publishing each move at once made
        # a burst of n waiting visitors cost n^2 events (1,000 waiting: a million),
        # which overflowed the bus. Coalesced, a visitor hears its newest place
        # once a second at most.
        for cid, position in self.line.positions().items():
            if self.published.get(cid) != position:
                self.published[cid] = position
                entry = self.line.get(cid)
                event = QueuePositionChanged(cid, entry.visitor_id, self.group, position, self.rev)
                await self.services.bus.publish(topics.visitor(entry.visitor_id), BusEvent(event))

    async def _publish_waiting(self) -> None:
        event = WaitingListChanged(self.center_id, self.group, len(self.line),
                                   self._waiting_visitors(WAITING_FRAME_ENTRIES))
        await self.services.bus.publish(topics.skill_group(self.center_id, self.group), BusEvent(event))

    def evictable(self) -> bool:
        return not len(self.line) and not self.offers and not self.overflowing and super().evictable()
