"""Agent (坐席): the one place that decides whether an agent takes another conversation.

Every queue that wants this agent must ask here, and the mailbox handles one
request at a time, so `max_concurrent` holds exactly however many queues offer
at once (no database lock needed; the database records what was decided).

Durable: profile, skills, cap and chosen status (agents table); open
conversations (the `assigned` conversations naming the agent). Rebuilt after a
restart: the set of open sockets, which gateways re-announce within a heartbeat;
until then the agent counts as connected for a grace period.
"""

from __future__ import annotations

from typing import Any

from actors.agent.protocol import (KIND, AgentSnapshot, AgentStatusChanged, Attach, Detach,
                                   GetSnapshot, Granted, GraceOver, Refused, Release, Reload,
                                   Reserve, SetStatus)
from actors.lifecycle import AgentStatus, move_agent
from actors.runtime.entity import Entity
from actors.runtime.replies import Done, Rejected
from actors.skill_group.protocol import AgentChanged, queue_ref
from actors.store import accounts, conversations

DISCONNECT_GRACE_S = 30.0


class Agent(Entity):
    kind = KIND

    async def on_activate(self) -> None:
        self.record = await accounts.get_agent(self.services.db, self.key)
        self.active: set[str] = set()
        self.sockets: set[str] = set()
        self.last_assigned_at = 0.0
        self.in_grace = False
        if self.record is None:
            return
        self.status = AgentStatus(self.record.status)
        self.active = set(await conversations.open_conversations_of_agent(self.services.db, self.key))
        # Sockets may still be open on a gateway after this shard restarted; give
        # their heartbeats time to arrive before treating the agent as gone.
        self._start_grace()

    def unknown(self) -> bool:
        return self.record is None

    async def receive(self, command: Any) -> Any:
        if self.record is None:
            return Refused("unknown_agent", None) if isinstance(command, Reserve) else \
                Rejected("unknown_agent", f"no agent {self.key}")
        match command:
            case Reserve():
                return self._reserve(command)
            case Release(conversation_id=cid):
                if cid in self.active:
                    self.active.discard(cid)
                    self._announce()
                return Done()
            case SetStatus(status=status):
                return await self._set_status(status)
            case Attach(socket_id=sid):
                return self._attach(sid)
            case Detach(socket_id=sid):
                self.sockets.discard(sid)
                if not self.sockets:
                    self._start_grace()
                return Done()
            case GraceOver():
                return await self._grace_over()
            case GetSnapshot():
                return self.snapshot()
            case Reload():
                await self._reload()
                return self.snapshot()
        return Rejected("bad_command", f"agent cannot handle {type(command).__name__}")

    def snapshot(self) -> AgentSnapshot:
        return AgentSnapshot(
            agent_id=self.key, display_name=self.record.display_name, status=self.status,
            connected=bool(self.sockets) or self.in_grace, active=len(self.active),
            max_concurrent=self.record.max_concurrent, skills=dict(self.record.skills),
            last_assigned_at=self.last_assigned_at)

    def _reserve(self, command: Reserve) -> Granted | Refused:
        if command.conversation_id in self.active:
            return Granted(self.snapshot())  # a retried offer, already ours
        snap = self.snapshot()
        if not self.record.may_sign_in:
            return Refused("not_available", snap)
        if snap.active >= snap.max_concurrent:
            return Refused("at_capacity", snap)
        if not command.by_agent and not snap.available:
            return Refused("not_available", snap)
        self.active.add(command.conversation_id)
        self.last_assigned_at = self.services.clock()
        snap = self.snapshot()
        self._announce()
        return Granted(snap)

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
                                     bool(self.sockets) or self.in_grace, reason)
        await self.services.writes.update_agent(self.key, events=(changed,), status=self.status.value)

    def _attach(self, socket_id: str) -> AgentSnapshot:
        was_connected = bool(self.sockets) or self.in_grace
        self.sockets.add(socket_id)
        self.in_grace = False
        self.cancel("grace")
        if not was_connected:
            self._announce()
        return self.snapshot()

    def _start_grace(self) -> None:
        self.in_grace = True
        self.schedule("grace", DISCONNECT_GRACE_S, GraceOver())

    async def _grace_over(self) -> Done:
        self.in_grace = False
        if not self.sockets:
            # The workspace is gone for good: stop offering, as if they had signed off.
            if self.status is not AgentStatus.OFFLINE:
                previous, self.status = self.status, AgentStatus.OFFLINE
                await self._record_status(previous, "disconnected")
            self._announce()
        return Done()

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
