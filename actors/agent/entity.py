"""Agent (坐席): the one place that decides whether an agent takes another conversation.

Every queue that wants this agent must ask here, and the mailbox handles one
request at a time, so `max_concurrent` holds exactly however many queues offer
at once (no database lock needed; the database records what was decided). A
grant is provisional until its conversation has recorded it, and an owner's
grant is fenced by this entity's incarnation, so a shard dying between the two
neither leaks the slot nor lets it be granted twice (actors/agent/reservations.py).

Presence follows the sockets: each workspace socket holds a lease its gateway
renews; one not renewed in time lapses (its gateway died), and an agent with no
lease left is offline (actors/agent/leases.py).

Durable: profile, skills, cap, chosen status and incarnation (agents table);
open conversations (the `assigned` conversations naming the agent) and
collaborator grants not yet settled (`SlotReserved` in the event log). Rebuilt after a restart: slots
from those rows; the open sockets, which gateways re-announce within a
heartbeat (until then the agent is expected back, for at most one lease). A
rebuilt agent tells its queues where it stands at once.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from actors.agent.leases import SocketLeases
from actors.agent.protocol import (KIND, AgentSnapshot, AgentStatusChanged, Attach, Detach,
                                   GetSnapshot, Granted, LeasesDue, Refused, Release, Reload,
                                   ReservationChecked, ReservationsDue, Reserve, SetStatus,
                                   SlotReserved, Wake)
from actors.agent.reservations import Reservations
from actors.conversation.protocol import CheckReservation, conversation_ref
from actors.lifecycle import AgentStatus, move_agent
from actors.runtime.entity import Entity
from actors.runtime.replies import Done, Rejected
from actors.skill_group.protocol import AgentChanged, queue_ref
from actors.store import accounts, slots
from actors.store.clock import utcnow

# How far back a rebuilt agent looks for grants not yet recorded. A record lands
# within a commit of its grant; a conversation that restarted meanwhile answers
# for itself when asked, so this only bounds the read.
GRANT_LOOKBACK = timedelta(hours=1)
# Conversation states in which a grant will never be recorded any more.
SETTLED_ELSEWHERE = ("ended", "left_message")


class Agent(Entity):
    kind = KIND

    async def on_activate(self) -> None:
        settings = self.services.settings
        self.record = await accounts.get_agent(self.services.db, self.key)
        self.active: set[str] = set()
        self.reservations = Reservations()
        self.leases = SocketLeases(settings.agent_lease_s)
        self.last_assigned_at = 0.0
        self.incarnation = 0
        if self.record is None:
            return
        self.status = AgentStatus(self.record.status)
        # First the fence, then the count: a record of an earlier incarnation's grant
        # either landed before this commit (and is counted below) or never will. Only
        # this entity bumps it, so the value read with the record is the current one;
        # the write shares a commit with the shard's other writes (a thousand agents
        # rebuilt at once are a few commits).
        self.incarnation = self.record.incarnation + 1
        await self.services.writes.update_agent(self.key, incarnation=self.incarnation)
        held = await slots.held_slots(self.services.db, self.key, utcnow() - GRANT_LOOKBACK)
        now = self.services.clock()
        self.active = set(held.recorded) | set(held.unsettled)
        for cid in held.unsettled:
            self.reservations.granted(cid, now)
        self._arm_reservations()
        # Sockets may still be open on a gateway after this shard restarted; give
        # their heartbeats one lease to arrive before treating the agent as gone.
        self.leases.expect(now, settings.agent_lease_s)
        self._arm_leases()
        self._announce()

    def unknown(self) -> bool:
        return self.record is None

    async def receive(self, command: Any) -> Any:
        if self.record is None:
            return Refused("unknown_agent", None) if isinstance(command, Reserve) else \
                Rejected("unknown_agent", f"no agent {self.key}")
        match command:
            case Reserve():
                return await self._reserve(command)
            case Release(conversation_id=cid):
                self.reservations.settle(cid)
                if cid in self.active:
                    self.active.discard(cid)
                    self._announce()
                return Done()
            case SetStatus(status=status):
                return await self._set_status(status)
            case Attach(socket_id=sid):
                return self._attach(sid)
            case Detach(socket_id=sid):
                self._detach(sid)
                return Done()
            case LeasesDue():
                return await self._leases_due()
            case ReservationsDue():
                return await self._reservations_due()
            case ReservationChecked():
                return self._checked(command)
            case GetSnapshot() | Wake():
                return self.snapshot()
            case Reload():
                await self._reload()
                return self.snapshot()
        return Rejected("bad_command", f"agent cannot handle {type(command).__name__}")

    def snapshot(self) -> AgentSnapshot:
        return AgentSnapshot(
            agent_id=self.key, display_name=self.record.display_name, status=self.status,
            connected=bool(self.leases), active=len(self.active),
            max_concurrent=self.record.max_concurrent, skills=dict(self.record.skills),
            last_assigned_at=self.last_assigned_at)

    # -- slots ----------------------------------------------------------------------------

    async def _reserve(self, command: Reserve) -> Granted | Refused:
        cid = command.conversation_id
        if cid in self.active:
            if cid in self.reservations:
                # Offered again before its record landed: a fresh grant, and any
                # question out about the old one must not drop it.
                self.reservations.granted(cid, self.services.clock())
            return Granted(self.snapshot(), self.incarnation)  # a retried offer, already ours
        snap = self.snapshot()
        if not self.record.may_sign_in:
            return Refused("not_available", snap)
        if snap.active >= snap.max_concurrent:
            return Refused("at_capacity", snap)
        if not command.by_agent and not snap.available:
            return Refused("not_available", snap)
        if not command.fenced:
            # Written down before it leaves: should this shard die before the conversation
            # records it, the rebuilt agent still counts it. Should the write fail, no
            # slot was granted (the asker hears an error and offers elsewhere). A fenced
            # grant needs no write: its record lands only while this incarnation lives.
            await self.services.writes.log(SlotReserved(self.record.center_id, self.key, cid))
        self.active.add(cid)
        self.reservations.granted(cid, self.services.clock())
        self._arm_reservations()
        self.last_assigned_at = self.services.clock()
        snap = self.snapshot()
        self._announce()
        return Granted(snap, self.incarnation)

    async def _reservations_due(self) -> Done:
        check_s = self.services.settings.reservation_check_s
        due = self.reservations.due(self.services.clock(), check_s)
        if due:
            states = await slots.assignments(self.services.db, due)
            freed = False
            for cid in due:
                status, owner = states.get(cid, ("ended", None))
                if status == "assigned" and owner == self.key:
                    self.reservations.settle(cid)  # recorded: an ordinary slot now
                elif status in SETTLED_ELSEWHERE:
                    freed = self._drop(cid) or freed
                else:
                    # Not recorded yet: only the conversation knows whether a record
                    # is still coming, and it answers after finishing what it is doing.
                    token = self.reservations.ask(cid, self.services.clock())
                    self.tell(conversation_ref(cid), CheckReservation(self.key, token))
            if freed:
                self._announce()
        self._arm_reservations()
        return Done()

    def _checked(self, answer: ReservationChecked) -> Done:
        if not self.reservations.answers(answer.conversation_id, answer.token):
            return Done()  # settled or granted again since it was asked
        if answer.held:
            self.reservations.settle(answer.conversation_id)
        elif self._drop(answer.conversation_id):
            self._announce()
        self._arm_reservations()
        return Done()

    def _drop(self, cid: str) -> bool:
        """A grant that was never recorded: the slot comes back."""
        self.reservations.settle(cid)
        if cid not in self.active:
            return False
        self.active.discard(cid)
        return True

    def _arm_reservations(self) -> None:
        due = self.reservations.next_due(self.services.settings.reservation_check_s)
        if due is None:
            self.cancel("reservations")
        elif "reservations" not in self._timers:
            self.schedule("reservations", due - self.services.clock(), ReservationsDue())

    # -- presence -------------------------------------------------------------------------

    async def _set_status(self, status: AgentStatus) -> AgentSnapshot | Rejected:
        if not self.record.may_sign_in and status is not AgentStatus.OFFLINE:
            return Rejected("account_disabled", "this account is disabled")
        previous, self.status = self.status, move_agent(self.status, status)
        await self._record_status(previous, "chosen")
        self._announce()
        return self.snapshot()

    async def _record_status(self, previous: AgentStatus, reason: str) -> None:
        """Store the status, with the presence history's event in the same commit."""
        changed = AgentStatusChanged(self.record.center_id, self.key, self.status, previous,
                                     bool(self.leases), reason)
        await self.services.writes.update_agent(self.key, events=(changed,), status=self.status.value)

    def _attach(self, socket_id: str) -> AgentSnapshot:
        was_connected = bool(self.leases.sockets())
        self.leases.renew(socket_id, self.services.clock())
        self._arm_leases()
        if not was_connected:
            self._announce()
        return self.snapshot()

    def _detach(self, socket_id: str) -> None:
        self.leases.drop(socket_id)
        if not self.leases:
            # The workspace closed; a page reload opens the next socket within moments.
            self.leases.expect(self.services.clock(), self.services.settings.agent_reconnect_grace_s)
            self._arm_leases(reschedule=True)

    async def _leases_due(self) -> Done:
        lapsed = self.leases.expire(self.services.clock())
        if lapsed and not self.leases:
            await self._disconnected()
        self._arm_leases()
        return Done()

    async def _disconnected(self) -> None:
        """No workspace is open any more: stop offering at once, as if they had signed off."""
        if self.status is not AgentStatus.OFFLINE:
            previous, self.status = self.status, AgentStatus.OFFLINE
            await self._record_status(previous, "disconnected")
        self._announce()

    def _arm_leases(self, reschedule: bool = False) -> None:
        """One timer for all leases, at the earliest lapse; a renewal only moves a lapse
        later, so the timer is reset only when an earlier one appears."""
        expiry = self.leases.next_expiry()
        if expiry is None:
            self.cancel("leases")
        elif reschedule or "leases" not in self._timers:
            self.schedule("leases", expiry - self.services.clock(), LeasesDue())

    async def _reload(self) -> None:
        record = await accounts.get_agent(self.services.db, self.key)
        if record is not None:
            self.record = record
        if not self.record.may_sign_in and self.status is not AgentStatus.OFFLINE:
            # Disabled or deleted: no more offers, at once.
            previous, self.status = self.status, AgentStatus.OFFLINE
            await self._record_status(previous, "disabled")
        self._announce()

    def _announce(self) -> None:
        """Tell every queue this agent serves how it stands now, so a queue with
        waiting visitors offers a freed slot at once and stops offering a full agent."""
        snap = self.snapshot()
        for group in self.record.skills:
            self.tell(queue_ref(self.record.center_id, group), AgentChanged(snap))
