"""Local days and hours of a report's time zone: a fixed-offset zone (Asia/Shanghai), a
zone whose offset changes inside the range (America/New_York across the March and
November changes of 2026), and names that are no zone."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actors.reports.periods import UTC, Period, Span, UnknownZone, ZoneCalendar, chronological, zone_named
from actors.reports.presence import PresenceTally

SHANGHAI, NEW_YORK = zone_named("Asia/Shanghai"), zone_named("America/New_York")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def test_half_an_hour_either_side_of_utc_midnight_is_one_beijing_day():
    calendar = ZoneCalendar(SHANGHAI, utc(2026, 3, 1, 16), utc(2026, 3, 3, 16))
    assert calendar.spans == (Span(utc(2026, 3, 1, 16), utc(2026, 3, 3, 16), 8 * 3600),)
    before, after = utc(2026, 3, 1, 23, 30), utc(2026, 3, 2, 0, 30)
    assert calendar.label(Period.DAY, before) == calendar.label(Period.DAY, after) == "2026-03-02"
    assert ZoneCalendar(UTC, before, after).label(Period.DAY, before) == "2026-03-01"
    assert calendar.label(Period.HOUR, before) == "2026-03-02T07:00+08:00"
    # Beijing's day begins at 16:00 UTC the day before.
    assert list(calendar.split(Period.DAY, utc(2026, 3, 1, 15), utc(2026, 3, 1, 17))) == [
        ("2026-03-01", 3600.0), ("2026-03-02", 3600.0)]


def test_the_march_change_day_is_23_hours_with_one_label():
    # 2026-03-08 02:00 EST became 03:00 EDT (07:00 UTC).
    calendar = ZoneCalendar(NEW_YORK, utc(2026, 3, 7, 5), utc(2026, 3, 10, 4))
    assert [(s.end, s.offset_s) for s in calendar.spans] == [(utc(2026, 3, 8, 7), -5 * 3600),
                                                           (utc(2026, 3, 10, 4), -4 * 3600)]
    days: dict[str, float] = {}
    for label, seconds in calendar.split(Period.DAY, calendar.since, calendar.until):
        days[label] = days.get(label, 0) + seconds
    assert days == {"2026-03-07": 24 * 3600.0, "2026-03-08": 23 * 3600.0, "2026-03-09": 24 * 3600.0}
    hours = [label for label, _ in calendar.split(Period.HOUR, utc(2026, 3, 8, 5), utc(2026, 3, 8, 8))]
    assert hours == ["2026-03-08T00:00-05:00", "2026-03-08T01:00-05:00", "2026-03-08T03:00-04:00"]


def test_the_november_hour_that_comes_twice_has_two_labels():
    calendar = ZoneCalendar(NEW_YORK, utc(2026, 11, 1, 4), utc(2026, 11, 1, 8))
    assert [label for label, _ in calendar.split(Period.HOUR, calendar.since, calendar.until)] == [
        "2026-11-01T00:00-04:00", "2026-11-01T01:00-04:00", "2026-11-01T01:00-05:00", "2026-11-01T02:00-05:00"]


def test_presence_in_local_days():
    calendar = ZoneCalendar(SHANGHAI, utc(2026, 3, 1, 16), utc(2026, 3, 2, 16))
    tally = PresenceTally(utc(2026, 3, 1, 12), utc(2026, 3, 1, 20), "online", Period.DAY, calendar)
    assert tally.close() == {("2026-03-01", "online"): 4 * 3600, ("2026-03-02", "online"): 4 * 3600}


@given(st.integers(min_value=0, max_value=365 * 24), st.integers(min_value=1, max_value=24 * 40),
       st.sampled_from([Period.DAY, Period.HOUR]), st.sampled_from(["America/New_York", "Asia/Kathmandu",
                                                                  "Europe/Berlin", "Australia/Lord_Howe"]))
def test_a_split_covers_the_range_and_names_each_moment_by_its_label(start_h, length_h, period, name):
    start = utc(2026, 1, 1) + timedelta(hours=start_h, minutes=7)
    end = start + timedelta(hours=length_h)
    calendar = ZoneCalendar(zone_named(name), start, end)
    parts = list(calendar.split(period, start, end))
    assert sum(seconds for _, seconds in parts) == (end - start).total_seconds()
    cursor = start
    for label, seconds in parts:
        local = cursor.astimezone(calendar.zone)
        expected = local.strftime("%Y-%m-%d") if period is Period.DAY else local.strftime("%Y-%m-%dT%H:00")
        assert label.startswith(expected)
        cursor += timedelta(seconds=seconds)


@pytest.mark.parametrize("name", ["Mars/Olympus", "", "../../etc/passwd", "/etc/localtime", "Asia/"])
def test_names_that_are_no_zone(name):
    with pytest.raises(UnknownZone):
        zone_named(name)


def test_weeks_from_monday_and_months_in_the_zone():
    calendar = ZoneCalendar(NEW_YORK, utc(2026, 2, 23, 5), utc(2026, 4, 6, 4))
    # Sunday 23:30 EST is still the week of Monday 03-02; 00:30 EDT on Monday begins the next.
    assert calendar.label(Period.WEEK, utc(2026, 3, 9, 3, 30)) == "2026-03-02"
    assert calendar.label(Period.WEEK, utc(2026, 3, 9, 4, 30)) == "2026-03-09"
    assert calendar.label(Period.MONTH, utc(2026, 4, 1, 3)) == "2026-03"  # 23:00 on 03-31 in New York
    weeks: dict[str, float] = {}
    for label, seconds in calendar.split(Period.WEEK, calendar.since, calendar.until):
        weeks[label] = weeks.get(label, 0) + seconds / 3600
    assert weeks["2026-03-02"] == 167 and weeks["2026-02-23"] == weeks["2026-03-09"] == 168
    months = dict(ZoneCalendar(SHANGHAI, utc(2026, 11, 30, 16), utc(2027, 1, 31, 16)).split(
        Period.MONTH, utc(2026, 11, 30, 16), utc(2027, 1, 31, 16)))
    assert months == {"2026-12": 31 * 86400.0, "2027-01": 31 * 86400.0}


def test_hours_sort_in_time_even_when_one_comes_twice():
    berlin = ZoneCalendar(zone_named("Europe/Berlin"), utc(2026, 10, 25), utc(2026, 10, 25, 2))
    labels = [label for label, _ in berlin.split(Period.HOUR, berlin.since, berlin.until)]
    assert labels == ["2026-10-25T02:00+02:00", "2026-10-25T02:00+01:00"]
    assert sorted(reversed(labels), key=chronological) == labels
    assert sorted(["2026-03-02", "2026-03-01", None, "g1"], key=chronological) == [None, "2026-03-01", "2026-03-02", "g1"]
