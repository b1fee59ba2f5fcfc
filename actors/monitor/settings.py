"""The monitor's settings: alert thresholds, SLA targets and the sensitive words.

Kept in the center settings JSON (centers.settings) under `monitor` and
`sensitive_words`, with the defaults here, so no migration is needed. Values the
admin API refused never get stored; a bad stored value falls back to the default.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

MAX_SENSITIVE_WORDS = 1000
MAX_WORD_CHARS = 100


@dataclass(frozen=True)
class MonitorSettings:
    # A conversation waiting in a queue longer than this raises an alert.
    wait_alert_s: float = 120.0
    # A visitor whose message has had no agent answer for this long raises an alert.
    no_answer_alert_s: float = 180.0
    # SLA: answered (assigned) within this many seconds of the request.
    answer_within_s: float = 30.0
    # SLA: first agent reply within this many seconds of the assignment.
    first_response_within_s: float = 60.0
    sensitive_words: tuple[str, ...] = ()


SECONDS_KEYS = tuple(f.name for f in fields(MonitorSettings) if f.name != "sensitive_words")


def parse_monitor_settings(settings: dict[str, Any] | None) -> MonitorSettings:
    """From a center's settings JSON; what is missing or unusable takes its default."""
    settings = settings or {}
    section = settings.get("monitor") if isinstance(settings.get("monitor"), dict) else {}
    values: dict[str, Any] = {}
    for key in SECONDS_KEYS:
        value = section.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value <= 86400:
            values[key] = float(value)
    words = settings.get("sensitive_words")
    if isinstance(words, list):
        values["sensitive_words"] = clean_words([w for w in words if isinstance(w, str)])
    return MonitorSettings(**values)


def clean_words(words: list[str]) -> tuple[str, ...]:
    """Trimmed, without empties and repeats (case-insensitive), in the order given."""
    seen: dict[str, str] = {}
    for word in words:
        word = word.strip()
        if word and word.casefold() not in seen:
            seen[word.casefold()] = word
    return tuple(seen.values())


def find_sensitive(body: str, words: tuple[str, ...]) -> str | None:
    """The first listed word in `body`, case-insensitively (casefold handles ß, Chinese is unchanged)."""
    text = body.casefold()
    return next((word for word in words if word.casefold() in text), None)
