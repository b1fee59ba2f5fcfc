"""A skill group's FAQ bot (智能机器人): whether it answers first, and when it hands off.

Stored as the skill group's `bot` JSON (skill_groups.bot); None or `enabled: false`
means the group's visitors go straight to the queue, as before there was a bot.
A value the bot cannot use raises ValueError here, so the admin API stores nothing
the routing would later refuse.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

DEFAULT_HANDOFF_KEYWORDS = ("人工", "转人工", "人工客服", "agent", "human", "operator")
MAX_NAME_CHARS = 40
MAX_TEXT_CHARS = 500
MAX_KEYWORDS = 30
MAX_KEYWORD_CHARS = 40


@dataclass(frozen=True)
class BotSettings:
    enabled: bool = False
    # Shown to visitors as the sender of its answers; "" lets the widget say "Assistant" / "智能助手".
    name: str = ""
    # Posted when the bot takes the conversation; "" lets the widget greet in the visitor's language.
    greeting: str = ""
    # How sure the search must be (KnowledgeHit.confidence, 0-1) to answer outright;
    # below it the bot offers the best matches as choices.
    threshold: float = 0.5
    # Hand off after this many visitor turns in a row the bot could not answer (0: never).
    max_unanswered: int = 2
    # A visitor message containing one of these (case-insensitive) asks for a human.
    handoff_keywords: tuple[str, ...] = DEFAULT_HANDOFF_KEYWORDS
    # Outside work hours the bot still answers (a hand-off then offers the leave-message form);
    # false: outside hours visitors get the leave-message form at once, as without a bot.
    out_of_hours: bool = True

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["handoff_keywords"] = list(self.handoff_keywords)
        return data

    def asks_for_human(self, text: str) -> bool:
        """Whether `text` names a hand-off keyword: a Latin-script keyword as a whole word
        ("agent", not "reagent"), a Chinese one anywhere (Chinese has no spaces)."""
        folded = text.casefold()
        for keyword in self.handoff_keywords:
            word = keyword.casefold()
            if word.isascii():
                if re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", folded):
                    return True
            elif word in folded:
                return True
        return False


def parse_bot_settings(data: Any) -> BotSettings | None:
    """A group's `bot` value: None for none; ValueError naming the first problem."""
    if data is None:
        return None
    if not isinstance(data, dict):
        raise ValueError("bot must be a JSON object")
    unknown = set(data) - set(BotSettings.__dataclass_fields__)
    if unknown:
        raise ValueError(f"bot: unknown setting {sorted(unknown)[0]!r}")
    defaults = BotSettings()
    enabled = data.get("enabled", defaults.enabled)
    out_of_hours = data.get("out_of_hours", defaults.out_of_hours)
    for key, value in (("enabled", enabled), ("out_of_hours", out_of_hours)):
        if not isinstance(value, bool):
            raise ValueError(f"bot.{key} must be true or false")
    name = data.get("name", defaults.name)
    greeting = data.get("greeting", defaults.greeting)
    for key, value, limit in (("name", name, MAX_NAME_CHARS), ("greeting", greeting, MAX_TEXT_CHARS)):
        if not isinstance(value, str) or len(value) > limit:
            raise ValueError(f"bot.{key} must be text of at most {limit} characters")
    threshold = data.get("threshold", defaults.threshold)
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 <= threshold <= 1:
        raise ValueError("bot.threshold must be a number from 0 to 1")
    turns = data.get("max_unanswered", defaults.max_unanswered)
    if isinstance(turns, bool) or not isinstance(turns, int) or not 0 <= turns <= 20:
        raise ValueError("bot.max_unanswered must be a whole number from 0 to 20")
    keywords = data.get("handoff_keywords", list(defaults.handoff_keywords))
    if (not isinstance(keywords, list) or len(keywords) > MAX_KEYWORDS
            or not all(isinstance(k, str) and k.strip() and len(k) <= MAX_KEYWORD_CHARS for k in keywords)):
        raise ValueError(f"bot.handoff_keywords must be a list of at most {MAX_KEYWORDS} words "
                         f"of 1 to {MAX_KEYWORD_CHARS} characters")
    return BotSettings(enabled=enabled, name=name.strip(), greeting=greeting.strip(),
                       threshold=float(threshold), max_unanswered=turns,
                       handoff_keywords=tuple(dict.fromkeys(k.strip() for k in keywords)),
                       out_of_hours=out_of_hours)
