"""Work hours (工作时间): when a center or skill group takes chats.

The config shape, as in config/demo_center.yaml and the admin API:

    timezone: Asia/Shanghai
    weekly:                    # keys: mon..sun, weekdays, weekends, daily
      weekdays: ["09:00-12:00", "13:30-18:00"]
      sat: ["10:00-16:00"]
      fri: ["22:00-02:00"]     # an end before the start runs past midnight
    closed_dates: ["2026-10-01"]  # holidays, local dates in `timezone`

A specific day's key overrides `weekdays`/`weekends`, which override `daily`;
a day no key covers is closed. Outside the hours a chat request gets an
`offline` answer with leave-message (留言).
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from actors.routing.types import TimeWindow, WorkHours

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
GROUPS = {"daily": range(7), "weekdays": range(5), "weekends": range(5, 7)}
MIDNIGHT = time(0, 0)


def parse_work_hours(config: dict[str, Any] | None) -> WorkHours | None:
    """None stays None (always open); anything malformed raises ValueError."""
    if config is None:
        return None
    if not isinstance(config, dict):
        raise ValueError("must be an object with timezone, weekly and closed_dates")
    unknown = set(config) - {"timezone", "weekly", "closed_dates"}
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}")
    zone = config.get("timezone", "UTC")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValueError(f"unknown timezone {zone!r}") from None
    weekly = config.get("weekly") or {}
    if not isinstance(weekly, dict):
        raise ValueError("weekly must map day names to lists of 'HH:MM-HH:MM'")
    days: dict[int, list[TimeWindow]] = {}
    # Broad keys first so a specific day's key replaces them.
    for key in sorted(weekly, key=lambda k: (k not in ("daily",), k not in GROUPS)):
        if key in GROUPS:
            indexes = GROUPS[key]
        elif key in DAYS:
            indexes = (DAYS.index(key),)
        else:
            raise ValueError(f"unknown day {key!r}: use {', '.join(DAYS)}, weekdays, weekends or daily")
        spans = weekly[key]
        if not isinstance(spans, list):
            raise ValueError(f"{key}: expected a list of 'HH:MM-HH:MM'")
        windows = [_parse_span(span) for span in spans]
        for index in indexes:
            days[index] = []
        for index in indexes:
            for start, end in windows:
                _add(days, index, start, end)
    closed = config.get("closed_dates") or []
    if not isinstance(closed, list):
        raise ValueError("closed_dates must be a list of ISO dates")
    for value in closed:
        try:
            date.fromisoformat(str(value))
        except ValueError:
            raise ValueError(f"closed_dates: {value!r} is not an ISO date (YYYY-MM-DD)") from None
    return WorkHours(timezone=zone,
                     weekly={d: tuple(sorted(w, key=lambda x: x.start)) for d, w in days.items() if w},
                     closed_dates=frozenset(str(v) for v in closed))


def _parse_span(span: Any) -> tuple[time, time]:
    try:
        start_text, end_text = str(span).split("-")
        start = _parse_clock(start_text)
        end = _parse_clock(end_text)
    except ValueError:
        raise ValueError(f"{span!r} is not 'HH:MM-HH:MM'") from None
    if start == end and end_text.strip() != "24:00":
        raise ValueError(f"{span!r} is empty")
    return start, end


def _parse_clock(text: str) -> time:
    hours, minutes = text.strip().split(":")
    if hours == "24" and minutes == "00":
        return MIDNIGHT
    return time(int(hours), int(minutes))


def _add(days: dict[int, list[TimeWindow]], day: int, start: time, end: time) -> None:
    if end == MIDNIGHT or end > start:
        days.setdefault(day, []).append(TimeWindow(start, end))
    else:  # runs past midnight: the tail belongs to the next day
        days.setdefault(day, []).append(TimeWindow(start, MIDNIGHT))
        days.setdefault((day + 1) % 7, []).append(TimeWindow(MIDNIGHT, end))


def is_open(hours: WorkHours | None, now: datetime) -> bool:
    """Whether `now` (an aware datetime, or naive UTC) falls inside the hours."""
    if hours is None:
        return True
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    local = now.astimezone(ZoneInfo(hours.timezone))
    if local.date().isoformat() in hours.closed_dates:
        return False
    clock = local.time().replace(tzinfo=None)
    return any(window.start <= clock and (window.end == MIDNIGHT or clock < window.end)
               for window in hours.weekly.get(local.weekday(), ()))

