"""Every figure of the left messages report against a hand count of known left messages
(tests/integration/left_message_report_data.py), on SQLite and on PostgreSQL: the day's,
grouped, filtered, in a department's scope, and as of a later end."""

from __future__ import annotations

from datetime import timedelta

import pytest

from actors.reports.left_message_report import left_message_report
from actors.reports.scope import GroupBy, ReportScope
from actors.store.database import create_engine, sessionmaker
from tests.integration.conftest import migrated_database_url
from tests.integration.left_message_report_data import (CENTER, DAY, NORTH, SINCE, SOUTH, UNTIL,
                                                        write_known_left_messages)


@pytest.fixture(params=["sqlite", "postgres"], scope="module")
async def db(request, tmp_path_factory):
    url = await migrated_database_url(request, request.param, tmp_path_factory.mktemp("left-report"))
    engine = create_engine(url)
    maker = sessionmaker(engine)
    await write_known_left_messages(maker)
    yield maker
    await engine.dispose()


def scope(until=UNTIL, **filters) -> ReportScope:
    return ReportScope(CENTER, SINCE, until, **filters)


def counts(row) -> tuple:
    return (row.submitted, row.assigned, row.replied, row.replied_in_widget, row.replied_by_email,
            row.closed_without_reply, row.still_open)


async def test_the_days_left_messages_counted_by_hand(db):
    (day,) = await left_message_report(db, scope(), GroupBy.NONE)
    assert day.as_dict() == {
        "key": None, "submitted": 7, "assigned": 4, "replied": 3, "replied_in_widget": 2, "replied_by_email": 1,
        "closed_without_reply": 1, "still_open": 3,
        # first replies 300 (m1), 120 (m2), 60 (m6); p90 = 120 + 0.8 * 180
        "first_reply_avg_s": 160.0, "first_reply_p90_s": 264.0}
    # As of a day later, m7's reply (01:00 the next day) counts; m0 was left before the range.
    (later,) = await left_message_report(db, scope(until=UNTIL + timedelta(days=1)), GroupBy.NONE)
    assert counts(later) == (7, 5, 4, 3, 1, 1, 2)
    assert later.first_reply_avg_s == pytest.approx((300 + 120 + 60 + 7200) / 4, abs=0.001)


async def test_grouped_by_group_agent_and_hour(db):
    by_group = {r.key: r for r in await left_message_report(db, scope(), GroupBy.SKILL_GROUP)}
    assert counts(by_group["g1"]) == (5, 3, 3, 2, 1, 1, 1)  # m1 m2 m3 m6 m7
    assert (by_group["g1"].first_reply_avg_s, by_group["g1"].first_reply_p90_s) == (160.0, 264.0)
    assert counts(by_group["g2"]) == (2, 1, 0, 0, 0, 0, 2)  # m4 m5
    assert (by_group["g2"].first_reply_avg_s, by_group["g2"].first_reply_p90_s) == (None, None)

    # The last agent each was assigned to before the end: m4 went from Ann to Bob.
    by_agent = [(r.key, r.submitted, r.replied, r.still_open)
                for r in await left_message_report(db, scope(), GroupBy.AGENT)]
    assert by_agent == [("a1", 2, 2, 0), ("a2", 2, 1, 1), (None, 3, 0, 2)]

    hours = [(r.key, r.submitted) for r in await left_message_report(db, scope(), GroupBy.HOUR)]
    assert hours == [("2026-03-02T10:00Z", 4), ("2026-03-02T11:00Z", 2), ("2026-03-02T23:00Z", 1)]
    (day,) = await left_message_report(db, scope(), GroupBy.DAY)
    assert (day.key, day.submitted, day.first_reply_p90_s) == ("2026-03-02", 7, 264.0)


async def test_filters_and_department_scope(db):
    (wechat,) = await left_message_report(db, scope(channel="wechat"), GroupBy.NONE)
    assert counts(wechat) == (1, 0, 0, 0, 0, 1, 0)
    (bobs,) = await left_message_report(db, scope(agent_id="a2"), GroupBy.NONE)
    assert counts(bobs) == (2, 2, 1, 0, 1, 0, 1)  # m2 (by email first), m4
    (g2,) = await left_message_report(db, scope(skill_group="g2"), GroupBy.NONE)
    assert (g2.submitted, g2.still_open) == (2, 2)
    assert await left_message_report(db, scope(skill_group="nobody"), GroupBy.NONE) == []

    # A supervisor of South sees South's group only; of North, North's.
    (south,) = await left_message_report(db, scope(departments=frozenset({SOUTH})), GroupBy.NONE)
    assert counts(south) == (2, 1, 0, 0, 0, 0, 2)
    north = await left_message_report(db, scope(departments=frozenset({NORTH})), GroupBy.SKILL_GROUP)
    assert [(r.key, r.submitted) for r in north] == [("g1", 5)]
    before = ReportScope(CENTER, DAY - timedelta(days=1), DAY)
    (yesterday,) = await left_message_report(db, before, GroupBy.NONE)
    assert (yesterday.submitted, yesterday.still_open) == (1, 1)  # m0, replied only on the day
