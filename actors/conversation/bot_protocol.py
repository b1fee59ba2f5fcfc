"""The FAQ bot's part of the conversation protocol: commands and logged events.

A conversation whose skill group has a bot (actors/bot/settings.py) starts in the
`bot` status: the bot is its participant, answers each visitor message from the
knowledge base (actors/bot/answers.py) and hands off to the group's queue, keeping
the conversation and its history, when the visitor asks for a human (a keyword or
the widget's button) or after too many turns it could not answer. Outside work
hours a hand-off turns it into a left message instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from actors.bot.answers import BotAnswer
from actors.domain_event import DomainEvent

BOT_ID = "bot"  # the sender id of the bot's messages (one bot per conversation)


# -- commands -------------------------------------------------------------------


@dataclass(frozen=True)
class ChooseAnswer:
    """The visitor picked one of the bot's choices: posted as the visitor's message
    (the article's title, answered by `ack` like any message); the bot answers with
    the article."""

    visitor_id: str
    client_msg_id: str
    article_id: str
    origin: str | None = None


@dataclass(frozen=True)
class AskForHuman:
    """The visitor pressed "talk to a person" (or a channel adapter asked); the entity
    tells itself one with `reason` "keyword" when a message asks for a person."""

    visitor_id: str
    reason: str = "asked"


@dataclass(frozen=True)
class BotGreet:
    """Told by the conversation to itself once it answered the chat request."""


@dataclass(frozen=True)
class BotReply:
    """The bot's answer, composed outside the conversation's mailbox (a slow provider
    never holds the visitor's next message) and posted through it; dropped when the
    conversation has moved on (handed off, ended) in the meantime."""

    answer: BotAnswer
    to_seq: int  # the visitor message it answers


# -- replies --------------------------------------------------------------------


@dataclass(frozen=True)
class HandedOff:
    """The answer to AskForHuman: `queued`/`position`, `assigned`, or a left message
    (`offline_reason`)."""

    status: str
    position: int | None = None
    offline_reason: str | None = None


# -- events ---------------------------------------------------------------------


@dataclass(frozen=True)
class BotEngaged(DomainEvent):
    """The bot took a new conversation (`out_of_hours`: the group was closed)."""

    logged = True

    conversation_id: str
    center_id: str
    visitor_id: str
    skill_group: str
    out_of_hours: bool = False


@dataclass(frozen=True)
class BotAnswered(DomainEvent):
    """One visitor turn the bot took: `answered` (an article's answer) or not (choices
    offered, or nothing found)."""

    logged = True

    conversation_id: str
    center_id: str
    skill_group: str
    answered: bool
    confidence: float
    article_id: str | None = None
    provider: str = "builtin"
    choices: int = 0


@dataclass(frozen=True)
class BotHandedOff(DomainEvent):
    """The bot gave the conversation to people: `reason` is `asked` (the button),
    `keyword`, or `unanswered` (too many turns without an answer); `to` is `queue`
    or `left_message` (outside work hours)."""

    logged = True

    conversation_id: str
    center_id: str
    skill_group: str
    reason: str
    to: str
    turns: int
