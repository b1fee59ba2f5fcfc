"""The agent entity's protocol: commands, replies and events (value types only)."""

from __future__ import annotations

from dataclasses import dataclass

from actors.domain_event import DomainEvent
from actors.lifecycle import AgentStatus
from actors.placement import EntityRef

KIND = "agent"


def agent_ref(agent_id: str) -> EntityRef:
    return EntityRef(KIND, agent_id)


# -- commands -------------------------------------------------------------------


@dataclass(frozen=True)
class Reserve:
    """A queue offers a conversation. `by_agent` marks a pick (主动接入) by the agent
    themself, which may happen while away, but never beyond the cap. A transfer to
    this agent is a plain Reserve: it needs them online with a free slot."""

    conversation_id: str
    by_agent: bool = False
    # The asker records the slot as the conversation's owner, fenced by the granting
    # incarnation (Granted.incarnation), so the grant need not be written down first.
    # A collaborator's slot is recorded in another table and is written down instead.
    fenced: bool = False


@dataclass(frozen=True)
class Release:
    conversation_id: str


@dataclass(frozen=True)
class SetStatus:
    status: AgentStatus


@dataclass(frozen=True)
class Attach:
    """A workspace socket of this agent is open: takes or renews its lease (a gateway
    sends it again as the socket's heartbeat, actors/agent/leases.py)."""

    socket_id: str


@dataclass(frozen=True)
class Detach:
    socket_id: str


@dataclass(frozen=True)
class GetSnapshot:
    pass


@dataclass(frozen=True)
class Reload:
    """The agent's record changed (cap, skills); read it again."""


@dataclass(frozen=True)
class Wake:
    """The agent's shard restarted: rebuild now and tell the queues how things stand."""


@dataclass(frozen=True)
class LeasesDue:
    """Timer: some socket lease may have lapsed."""


@dataclass(frozen=True)
class ReservationsDue:
    """Timer: some granted slots have waited long enough to be checked."""


@dataclass(frozen=True)
class ReservationChecked:
    """A conversation's answer to `CheckReservation`: whether it holds this agent's slot."""

    conversation_id: str
    token: int
    held: bool


# -- replies --------------------------------------------------------------------


@dataclass(frozen=True)
class AgentSnapshot:
    agent_id: str
    display_name: str
    status: AgentStatus
    connected: bool
    active: int
    max_concurrent: int
    skills: dict[str, int]
    last_assigned_at: float

    @property
    def available(self) -> bool:
        return self.status is AgentStatus.ONLINE and self.connected and self.active < self.max_concurrent


@dataclass(frozen=True)
class Granted:
    snapshot: AgentSnapshot
    # The agent entity's incarnation that granted it (agents.incarnation): the record
    # of a fenced grant lands only while it is still the agent's.
    incarnation: int = 0


@dataclass(frozen=True)
class Refused:
    reason: str  # "not_available" | "at_capacity" | "unknown_agent"
    snapshot: AgentSnapshot | None


# -- events ---------------------------------------------------------------------
# Queues hear of an agent's changed load as the AgentChanged command of
# actors.skill_group.protocol (a queue must act on it, not just note it).


@dataclass(frozen=True)
class AgentStatusChanged(DomainEvent):
    """Presence history: chosen status and whether a workspace is connected."""

    logged = True

    center_id: str
    agent_id: str
    status: AgentStatus
    previous: AgentStatus
    connected: bool
    reason: str  # "chosen" | "disconnected" | "disabled" (the account was disabled or deleted)


@dataclass(frozen=True)
class SlotReserved(DomainEvent):
    """The agent granted a slot to a conversation: written before `Granted` leaves, so
    a rebuilt agent counts it until the conversation has recorded or refused it
    (actors/agent/reservations.py). Logged; never on the bus."""

    logged = True

    center_id: str
    agent_id: str
    conversation_id: str
