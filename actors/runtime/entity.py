"""Entities: addressable objects with their own state and a one-at-a-time mailbox.

Many entities live on one shard (an async Ray actor). An entity never shares
state with another; it talks to others only through `Directory.ask` / `tell`.
To stay free of deadlocks, `ask` (which waits for a reply while holding the
asker's mailbox) is used only along one direction:
gateway -> visitor -> conversation -> center / skill-group queue / agent,
visitor -> center / skill-group queue / agent, skill-group queue -> agent /
center, gateway -> staff chat (which asks nobody), gateway -> browsing and
browsing -> center (the browsing entity reaches a
visitor only by `tell`). Anything flowing back (an offer, an agent's changed load, a reservation
check) is a `tell`.
"""

from __future__ import annotations

import abc
import asyncio
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Protocol

from actors.placement import EntityRef
from actors.runtime.fault_points import FaultPoints

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from actors.bus.base import EventBus
    from actors.knowledge.protocol import KnowledgeSearch
    from actors.runtime.directory import Directory
    from actors.store.batched_reads import BatchedLookup
    from actors.store.conversations import ConversationState
    from actors.store.group_commit import GroupCommit
    from federation.client import LinkClient
    from config.settings import Settings


class TimerHandle(Protocol):
    def cancel(self) -> None: ...


class Timers(Protocol):
    """Where entity timers wait: the event loop in a shard; tests substitute a
    manual clock that fires them when told to (tests/unit/in_process.py)."""

    def call_later(self, delay_s: float, callback: Callable[..., None], *args: Any) -> TimerHandle: ...


class LoopTimers:
    def call_later(self, delay_s: float, callback: Callable[..., None], *args: Any) -> TimerHandle:
        return asyncio.get_running_loop().call_later(delay_s, callback, *args)


@dataclass
class ShardServices:
    """What every entity on a shard shares: settings, database (reads through `db`,
    hot-path writes through the group-committing `writes`, activation reads batched),
    bus, directory, clock and timers (both injected by the in-process host's tests)."""

    settings: "Settings"
    db: "async_sessionmaker"
    writes: "GroupCommit"
    bus: "EventBus"
    directory: "Directory"
    # Conversation states for activation, batched (actors/store/batched_reads.py).
    conversation_states: "BatchedLookup[ConversationState]"
    # A visitor's open conversations (ids, oldest first), for activation, batched too.
    open_conversations: "BatchedLookup[tuple[str, ...]]"
    # This center's links to other centers (federation/client.py); None: no links.
    links: "LinkClient | None" = None
    clock: Callable[[], float] = time.time
    timers: Timers = field(default_factory=LoopTimers)
    fault_points: FaultPoints = field(default_factory=FaultPoints)  # test only
    # The knowledge search the FAQ bot answers from, made on first use (its dictionary
    # cache is then the shard's, not one read per answer).
    knowledge: "KnowledgeSearch | None" = None


class Entity(abc.ABC):
    kind: ClassVar[str]

    def __init__(self, key: str, services: ShardServices) -> None:
        self.key = key
        self.ref = EntityRef(self.kind, key)
        self.services = services
        self.mailbox = asyncio.Lock()  # asyncio locks wake waiters first come, first served
        self.last_used = time.monotonic()
        self._timers: dict[str, TimerHandle] = {}
        self.commands_waiting = 0  # waiting for or holding the mailbox (EntityHost.dispatch)

    async def on_activate(self) -> None:
        """Rebuild state from the database; runs once, before the first command."""

    @abc.abstractmethod
    async def receive(self, command: Any) -> Any: ...

    def unknown(self) -> bool:
        """Nothing by this key exists (the host drops the entity once it is idle)."""
        return False

    def evictable(self) -> bool:
        """Whether the shard may drop this entity when idle (it reloads on next use)."""
        return not self._timers

    # Timers deliver a command to the entity's own mailbox, so a timer never runs
    # beside a command.
    def schedule(self, name: str, delay_s: float, command: Any) -> None:
        self.cancel(name)
        self._timers[name] = self.services.timers.call_later(max(0.0, delay_s), self._fire, name, command)

    def cancel(self, name: str) -> None:
        handle = self._timers.pop(name, None)
        if handle is not None:
            handle.cancel()

    def cancel_all(self) -> None:
        for name in list(self._timers):
            self.cancel(name)

    def _fire(self, name: str, command: Any) -> None:
        self._timers.pop(name, None)
        self.services.directory.tell(self.ref, command)

    def tell(self, ref: EntityRef, command: Any) -> None:
        self.services.directory.tell(ref, command)

    async def ask(self, ref: EntityRef, command: Any) -> Any:
        return await self.services.directory.ask(ref, command)
