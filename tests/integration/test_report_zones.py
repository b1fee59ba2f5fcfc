"""Every report's days and hours in the viewer's time zone, against hand counts of traffic
near local midnights (tests/integration/zone_report_data.py), on SQLite and PostgreSQL:
Beijing's day is not UTC's, and New York's March change day has rows of both offsets."""

from __future__ import annotations

from datetime import datetime

import pytest

from actors.reports.agent_report import agent_report
from actors.reports.conversation_report import conversation_report
from actors.reports.customer_report import customer_counts
from actors.reports.left_message_report import left_message_report
from actors.reports.periods import UTC, zone_named
from actors.reports.scope import GroupBy, ReportScope
from actors.reports.skill_group_report import skill_group_report
from actors.store.database import create_engine, sessionmaker
from tests.integration.conftest import migrated_database_url
from tests.integration.zone_report_data import CENTER, utc, write_zone_traffic

BEIJING, NEW_YORK = zone_named("Asia/Shanghai"), zone_named("America/New_York")
LATER = utc(2026, 4, 1)


@pytest.fixture(params=["sqlite", "postgres"], scope="module")
async def db(request, tmp_path_factory):
    url = await migrated_database_url(request, request.param, tmp_path_factory.mktemp("zones"))
    engine = create_engine(url)
    maker = sessionmaker(engine)
    await write_zone_traffic(maker)
    yield maker
    await engine.dispose()


def local_days(zone, first: str, last: str) -> ReportScope:
    """[first 00:00, the day after last 00:00) in `zone`, as the API reads a bare date."""
    since = datetime.fromisoformat(f"{first}T00:00").replace(tzinfo=zone)
    until = datetime.fromisoformat(f"{last}T00:00").replace(tzinfo=zone)
    return ReportScope(CENTER, since.astimezone(UTC), until.astimezone(UTC), zone=zone)


async def counts(db, scope: ReportScope, group_by: GroupBy) -> dict[str | None, tuple[int, ...]]:
    conversations = {r.key: r.conversations for r in await conversation_report(db, scope, group_by)}
    customers = {r.period: r.visitors for r in await customer_counts(db, scope, group_by)}
    left = {r.key: r.submitted for r in await left_message_report(db, scope, group_by)}
    entries = {r.period: r.offered for r in await skill_group_report(db, scope, group_by, 20.0)}
    served = {r.period: r.conversations for r in await agent_report(db, scope, group_by, now=LATER)
              if r.conversations}
    keys = sorted(conversations)
    assert set(left) == set(entries) == set(served) == set(keys) and set(customers) == set(keys)
    # Two conversations per moment (one answered, one left message), one visitor throughout.
    return {k: (conversations[k], customers[k], left[k], entries[k], served[k]) for k in keys}


async def test_beijing_puts_23_30_and_00_30_utc_on_one_local_day(db):
    in_utc = await counts(db, local_days(UTC, "2026-03-01", "2026-03-03"), GroupBy.DAY)
    assert in_utc == {"2026-03-01": (2, 1, 1, 1, 1), "2026-03-02": (2, 1, 1, 1, 1)}
    beijing = local_days(BEIJING, "2026-03-01", "2026-03-03")
    assert await counts(db, beijing, GroupBy.DAY) == {"2026-03-02": (4, 1, 2, 2, 2)}
    assert await counts(db, beijing, GroupBy.HOUR) == {"2026-03-02T07:00+08:00": (2, 1, 1, 1, 1),
                                                       "2026-03-02T08:00+08:00": (2, 1, 1, 1, 1)}
    # The p90 and averages are of the local day's rows, not UTC's.
    (day,) = await conversation_report(db, beijing, GroupBy.DAY)
    assert (day.answered, day.left_messages, day.wait_avg_s, day.rating_avg) == (2, 0, 10.0, 4.0)


async def test_presence_in_beijing_days(db):
    def online(rows):
        return {r.period: r.online_s for r in rows if r.online_s}

    in_utc = await agent_report(db, local_days(UTC, "2026-03-01", "2026-03-03"), GroupBy.DAY, now=LATER)
    assert online(in_utc) == {"2026-03-01": 9 * 3600.0, "2026-03-02": 3600.0}
    beijing = await agent_report(db, local_days(BEIJING, "2026-03-01", "2026-03-03"), GroupBy.DAY, now=LATER)
    assert online(beijing) == {"2026-03-01": 3600.0, "2026-03-02": 9 * 3600.0}


async def test_new_york_across_the_march_change(db):
    scope = local_days(NEW_YORK, "2026-03-07", "2026-03-10")
    assert scope.since == utc(2026, 3, 7, 5) and scope.until == utc(2026, 3, 10, 4)  # 23 h on 03-08
    assert await counts(db, scope, GroupBy.DAY) == {
        "2026-03-07": (2, 1, 1, 1, 1), "2026-03-08": (4, 1, 2, 2, 2), "2026-03-09": (2, 1, 1, 1, 1)}
    hours = await counts(db, scope, GroupBy.HOUR)
    assert list(hours) == ["2026-03-07T23:00-05:00", "2026-03-08T00:00-05:00",
                           "2026-03-08T23:00-04:00", "2026-03-09T00:00-04:00"]
    in_utc = await counts(db, local_days(UTC, "2026-03-07", "2026-03-10"), GroupBy.DAY)
    assert in_utc == {"2026-03-08": (4, 1, 2, 2, 2), "2026-03-09": (4, 1, 2, 2, 2)}


async def test_new_york_weeks_and_months(db):
    # Weeks from Monday: Sunday 03-08 (the change day) is the week of 03-02, 00:30 EDT on 03-09 the next.
    scope = local_days(NEW_YORK, "2026-03-02", "2026-03-16")
    assert await counts(db, scope, GroupBy.WEEK) == {"2026-03-02": (6, 1, 3, 3, 3), "2026-03-09": (2, 1, 1, 1, 1)}
    # In UTC, Beijing's 03-02 00:30Z is in the first week, and both of 03-09's moments in the second.
    in_utc = await counts(db, local_days(UTC, "2026-03-02", "2026-03-16"), GroupBy.WEEK)
    assert in_utc == {"2026-03-02": (6, 1, 3, 3, 3), "2026-03-09": (4, 1, 2, 2, 2)}
    beijing = await counts(db, local_days(BEIJING, "2026-02-01", "2026-04-01"), GroupBy.MONTH)
    assert beijing == {"2026-03": (12, 1, 6, 6, 6)}
