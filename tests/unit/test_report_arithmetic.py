"""The pure parts of the reports: percentiles from two ranked values, periods, and
time in each presence within a range."""

from __future__ import annotations

import statistics
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actors.reports.percentile import P90, Quantile, bounding_ranks, interpolate, percentile
from actors.reports.periods import UTC, Period, ZoneCalendar
from actors.reports.presence import PresenceTally

T = datetime(2026, 3, 2, tzinfo=timezone.utc)


def hours(n: float) -> datetime:
    return T + timedelta(hours=n)


def test_p90_by_hand():
    assert bounding_ranks(3, P90) == (2, 3)  # position 1.8 (0-based)
    assert interpolate(3, P90, 20, 40) == pytest.approx(36)
    assert percentile([40, 10, 20], P90) == pytest.approx(36)
    assert percentile([7], P90) == 7
    assert percentile([], P90) is None
    assert bounding_ranks(11, P90) == (10, 10)  # exactly on a rank: one value


@given(st.lists(st.floats(min_value=0, max_value=1e6), min_size=2, max_size=200))
def test_p90_matches_statistics_inclusive(values):
    expected = statistics.quantiles(values, n=10, method="inclusive")[8]
    assert percentile(values, P90) == pytest.approx(expected, rel=1e-9, abs=1e-6)


def test_a_quantile_is_between_0_and_1():
    with pytest.raises(ValueError):
        Quantile(11, 10)


def test_periods_label_and_split():
    utc = ZoneCalendar(UTC, T, hours(48))
    assert utc.label(Period.DAY, hours(23.5)) == "2026-03-02"
    assert utc.label(Period.HOUR, hours(10.25)) == "2026-03-02T10:00Z"
    assert list(utc.split(Period.HOUR, hours(9.5), hours(11.25))) == [
        ("2026-03-02T09:00Z", 1800.0), ("2026-03-02T10:00Z", 3600.0), ("2026-03-02T11:00Z", 900.0)]
    assert list(utc.split(Period.DAY, hours(20), hours(28))) == [("2026-03-02", 4 * 3600.0), ("2026-03-03", 4 * 3600.0)]
    assert list(utc.split(Period.DAY, hours(2), hours(2))) == []


def test_presence_within_the_range():
    tally = PresenceTally(T, hours(24), status_at_since="online")
    tally.change(hours(12), "away")
    tally.change(hours(13), "offline")
    assert tally.close() == {(None, "online"): 12 * 3600, (None, "away"): 3600, (None, "offline"): 11 * 3600}


def test_presence_before_and_after_the_range_is_clipped():
    tally = PresenceTally(hours(1), hours(3), status_at_since=None)  # never seen: offline
    tally.change(hours(0), "online")  # before the range: counts from its start
    tally.change(hours(2.5), "away")
    tally.change(hours(5), "offline")  # after the range: nothing past its end
    assert tally.close() == {(None, "online"): 1.5 * 3600, (None, "away"): 1800}


def test_presence_by_hour():
    tally = PresenceTally(T, hours(3), status_at_since="offline", period=Period.HOUR)
    tally.change(hours(0.5), "online")
    tally.change(hours(2.25), "away")
    seconds = tally.close()
    assert seconds[("2026-03-02T00:00Z", "online")] == 1800
    assert seconds[("2026-03-02T01:00Z", "online")] == 3600
    assert seconds[("2026-03-02T02:00Z", "online")] == 900
    assert seconds[("2026-03-02T02:00Z", "away")] == 2700
