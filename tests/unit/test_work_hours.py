from __future__ import annotations

from datetime import datetime, timezone

import pytest

from actors.routing.work_hours import is_open, parse_work_hours

SHANGHAI = {"timezone": "Asia/Shanghai",
            "weekly": {"weekdays": ["09:00-12:00", "13:30-18:00"], "sat": ["10:00-16:00"],
                       "fri": ["22:00-02:00"]},
            "closed_dates": ["2026-10-01"]}


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


@pytest.mark.parametrize("moment, expected", [
    ("2026-11-23T01:00", True),   # Mon 09:00 Shanghai: a window's start is inclusive
    ("2026-11-23T00:59", False),  # Mon 08:59 Shanghai
    ("2026-11-23T01:01", True),
    ("2026-11-23T04:30", False),  # Mon 12:30, lunch break
    ("2026-11-23T05:30", True),   # Mon 13:30
    ("2026-11-23T10:00", False),  # Mon 18:00, closing time is exclusive
    ("2026-11-28T03:00", True),   # Sat 11:00
    ("2026-11-29T03:00", False),  # Sun: no key covers it
    ("2026-11-27T14:30", True),   # Fri 22:30, the overnight window
    ("2026-11-27T17:30", True),   # Sat 01:30, its tail past midnight
    ("2026-11-27T18:30", False),  # Sat 02:30
    ("2026-10-01T03:00", False),  # a Thursday, but a holiday
])
def test_opening_hours_in_the_center_time_zone(moment, expected):
    hours = parse_work_hours(SHANGHAI)
    assert is_open(hours, utc(moment)) is expected


def test_specific_day_overrides_group_and_24_00_means_midnight():
    hours = parse_work_hours({"weekly": {"daily": ["00:00-24:00"], "sun": ["10:00-11:00"]}})
    assert is_open(hours, utc("2026-11-24T23:59"))  # Tue, UTC
    assert not is_open(hours, utc("2026-11-22T09:00"))  # Sun
    assert is_open(hours, utc("2026-11-22T10:30"))


def test_no_hours_means_always_open():
    assert parse_work_hours(None) is None
    assert is_open(None, utc("2026-11-22T03:00"))


@pytest.mark.parametrize("config, fragment", [
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"weekly": {"funday": ["09:00-10:00"]}}, "funday"),
    ({"weekly": {"mon": ["9-10"]}}, "HH:MM"),
    ({"weekly": {"mon": ["10:00-10:00"]}}, "empty"),
    ({"weekly": {"mon": "09:00-10:00"}}, "list"),
    ({"closed_dates": ["tomorrow"]}, "ISO"),
    ({"hours": {}}, "unknown"),
])
def test_malformed_hours_are_refused_with_a_reason(config, fragment):
    with pytest.raises(ValueError, match=fragment):
        parse_work_hours(config)
