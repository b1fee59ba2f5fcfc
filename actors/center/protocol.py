"""The center entity's protocol (value types only)."""

from __future__ import annotations

from dataclasses import dataclass, field

from actors.bot.provider_settings import AnswerProviderSettings
from actors.placement import EntityRef

KIND = "center"


def center_ref(center_id: str) -> EntityRef:
    return EntityRef(KIND, center_id)


@dataclass(frozen=True)
class GetRouting:
    """Answered with the center's CenterRouting (actors.routing.types)."""


@dataclass(frozen=True)
class GetSettings:
    """Answered with the center's CenterSettings."""


# Empty: the widget words the invitation itself, in the visitor's language (a text the
# center sets is shown as written, whatever the visitor's language).
DEFAULT_INVITATION_TEXT = ""


@dataclass(frozen=True)
class AutoInvite:
    """The center invites on its own behalf after `after_s` on a page whose URL matches
    `url_pattern` (a shell-style pattern: `*` any text, `?` one character)."""

    enabled: bool = False
    after_s: float = 30.0
    url_pattern: str = "*"
    text: str = DEFAULT_INVITATION_TEXT


@dataclass(frozen=True)
class InvitationSettings:
    """Proactive invitations (主动邀请): the center's switch, how long an invitation stays
    open, the text of an agent's invitation that gives none, and the auto-invite rule."""

    enabled: bool = True
    ttl_s: float = 120.0
    text: str = DEFAULT_INVITATION_TEXT
    auto: AutoInvite = field(default_factory=AutoInvite)


@dataclass(frozen=True)
class CenterSettings:
    """A center's settings besides routing, with their defaults (read and checked by
    actors/center/settings.py)."""

    # Conversations (queued, assigned or a left message) one visitor may have open
    # at once; a chat request beyond it answers with the newest open one.
    max_open_conversations_per_visitor: int = 1
    # Whether an invited collaborator takes one of their slots (under their cap) while
    # in the conversation; by default only the owner does.
    collaborators_take_slot: bool = False
    invitations: InvitationSettings = field(default_factory=InvitationSettings)
    # Who composes the FAQ bot's answers (actors/bot/provider_settings.py): the built-in
    # knowledge search, or an OpenAI-compatible endpoint grounded in it.
    answer_provider: AnswerProviderSettings = field(default_factory=AnswerProviderSettings)


@dataclass(frozen=True)
class Reload:
    """Settings changed in the database (a new skill group, new rules)."""
