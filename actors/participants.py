"""Who takes part in a conversation, and who may see what (DESIGN.md decision 10).

A conversation has its visitor, one owner agent (who holds a slot under their
cap), collaborators an owner invited (no slot unless the center says so),
supervisors observing, and possibly a bot. A message is `public` or `internal`:
internal ones (notes, whispers) reach agents and supervisors only, never the
visitor's socket, history call or export.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class PartyKind(str, Enum):
    """Who a sender, an ender or a participant is."""

    VISITOR = "visitor"
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    BOT = "bot"
    SYSTEM = "system"


class ParticipantRole(str, Enum):
    OWNER = "owner"
    COLLABORATOR = "collaborator"
    SUPERVISOR = "supervisor"
    BOT = "bot"


class SupervisionMode(str, Enum):
    """What a supervisor in a conversation may do: monitor (read, see typing),
    whisper (write internal messages), barge (write public ones)."""

    MONITOR = "monitor"
    WHISPER = "whisper"
    BARGE = "barge"


class Visibility(str, Enum):
    PUBLIC = "public"
    INTERNAL = "internal"  # agents and supervisors only


@dataclass(frozen=True)
class Participant:
    kind: PartyKind
    id: str
    role: ParticipantRole
    mode: SupervisionMode | None = None  # supervisors only
    # A collaborator who took one of their slots (the center's collaborators_take_slot).
    holds_slot: bool = False

    def to_wire(self) -> dict:
        wire = {"kind": self.kind.value, "id": self.id, "role": self.role.value}
        if self.mode is not None:
            wire["mode"] = self.mode.value
        if self.holds_slot:
            wire["holds_slot"] = True
        return wire


@dataclass(frozen=True)
class AgentRef:
    """An agent as others are told about them."""

    id: str
    display_name: str


@dataclass(frozen=True)
class VisitorRef:
    id: str
    name: str
