"""Every figure of the conversations and agents reports against a hand count of known
traffic (tests/integration/report_data.py), on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from actors.reports.agent_report import agent_report
from actors.reports.conversation_report import conversation_report
from actors.reports.scope import GroupBy, InvalidScope, ReportScope
from actors.store.database import create_engine, sessionmaker
from tests.integration.conftest import migrated_database_url
from tests.integration.report_data import CENTER, SINCE, UNTIL, write_known_traffic

LATER = UNTIL + timedelta(days=1)


@pytest.fixture(params=["sqlite", "postgres"], scope="module")
async def db(request, tmp_path_factory):
    url = await migrated_database_url(request, request.param, tmp_path_factory.mktemp("reports"))
    engine = create_engine(url)
    maker = sessionmaker(engine)
    await write_known_traffic(maker)
    yield maker
    await engine.dispose()


def scope(**filters) -> ReportScope:
    return ReportScope(CENTER, SINCE, UNTIL, **filters)


async def test_the_days_conversations_counted_by_hand(db):
    (day,) = await conversation_report(db, scope(), GroupBy.NONE)
    # c1..c5 and c7 (c6 was requested the day before); answered c1, c2, c5.
    assert day.as_dict() == {
        "key": None, "conversations": 6, "answered": 3, "abandoned_in_queue": 1, "left_messages": 2,
        "overflowed": 1, "transfers": 1,
        # waits 10, 20, 40; p90 between ranks 2 and 3: 20 + 0.8 * 20.
        "wait_avg_s": 23.333, "wait_p90_s": 36.0,
        # first public agent message after the first assignment: 5 (not the note at 2), 30, 50.
        "first_response_avg_s": 28.333,
        # answered and ended: c1 100, c2 240 (c3 ended unanswered, c5 is open).
        "duration_avg_s": 170.0, "ratings": 2, "rating_avg": 4.0,
        # No bot in this center's groups.
        "bot_served": 0, "bot_resolved": 0, "bot_handed_off": 0, "bot_rating_avg": None}


async def test_conversations_grouped_and_filtered(db):
    by_group = {r.key: r for r in await conversation_report(db, scope(), GroupBy.SKILL_GROUP)}
    assert set(by_group) == {"g1", "g2"}
    g1, g2 = by_group["g1"], by_group["g2"]
    # c7 never entered g1's line and counts there: the group it asked for.
    assert (g1.conversations, g1.answered, g1.abandoned_in_queue, g1.left_messages) == (5, 2, 1, 2)
    # waits 10 and 20: p90 = 10 + 0.9 * 10.
    assert (g1.wait_avg_s, g1.wait_p90_s, g1.transfers, g1.overflowed) == (15.0, 19.0, 1, 0)
    # c5 overflowed from g1 and is counted where it went.
    assert (g2.conversations, g2.overflowed, g2.wait_avg_s, g2.wait_p90_s) == (1, 1, 40.0, 40.0)

    hours = await conversation_report(db, scope(), GroupBy.HOUR)
    assert [(r.key, r.conversations) for r in hours] == [("2026-03-02T10:00Z", 5), ("2026-03-02T11:00Z", 1)]
    (day,) = await conversation_report(db, scope(), GroupBy.DAY)
    assert (day.key, day.conversations, day.wait_p90_s) == ("2026-03-02", 6, 36.0)

    by_agent = [(r.key, r.conversations, r.answered) for r in await conversation_report(db, scope(), GroupBy.AGENT)]
    # The agent who held it last; the unanswered ones last.
    assert by_agent == [("a1", 1, 1), ("a2", 2, 2), (None, 3, 0)]

    (wechat,) = await conversation_report(db, scope(channel="wechat"), GroupBy.NONE)
    assert (wechat.conversations, wechat.abandoned_in_queue, wechat.answered, wechat.wait_p90_s) == (1, 1, 0, None)
    (bobs,) = await conversation_report(db, scope(agent_id="a2"), GroupBy.NONE)
    assert (bobs.conversations, bobs.transfers, bobs.ratings, bobs.rating_avg) == (2, 1, 1, 3.0)
    (asked_g1,) = await conversation_report(db, scope(skill_group="g1"), GroupBy.NONE)
    assert (asked_g1.conversations, asked_g1.left_messages) == (5, 2)
    assert await conversation_report(db, scope(skill_group="nobody"), GroupBy.NONE) == []


async def test_the_days_agents_counted_by_hand(db):
    rows = {r.agent_id: r.as_dict() for r in await agent_report(db, scope(), GroupBy.NONE, now=LATER)}
    # The admin did nothing and is left out; Cat is an agent and is listed with zeros.
    assert set(rows) == {"a1", "a2", "a3"}
    assert rows["a1"] == {
        "agent_id": "a1", "display_name": "Ann", "period": None,
        # online from midnight (her last change before the range) to 12:00, away to 13:00.
        "online_s": 12 * 3600.0, "away_s": 3600.0,
        # assigned c1, c2 and c6 in the range; public replies in each; first responses 5, 30, 10.
        "conversations": 3, "messages": 3, "first_response_avg_s": 15.0, "ratings": 1, "rating_avg": 5.0}
    assert rows["a2"] == {
        "agent_id": "a2", "display_name": "Bob", "period": None, "online_s": 8.5 * 3600, "away_s": 0.0,
        # c2 from its transfer at 10:03:20 (reply 10 s later), c5 (50 s).
        "conversations": 2, "messages": 2, "first_response_avg_s": 30.0, "ratings": 1, "rating_avg": 3.0}
    assert rows["a3"]["online_s"] == 0 and rows["a3"]["conversations"] == 0

    # A range not over yet: presence counts up to now.
    (ann,) = await agent_report(db, scope(agent_id="a1"), GroupBy.NONE, now=SINCE + timedelta(hours=2))
    assert (ann.online_s, ann.conversations) == (7200.0, 3)


async def test_agents_by_hour_and_filters(db):
    hours = {(r.agent_id, r.period): r for r in await agent_report(db, scope(), GroupBy.HOUR, now=LATER)}
    assert hours[("a1", "2026-03-02T00:00Z")].online_s == 3600 and hours[("a1", "2026-03-02T00:00Z")].conversations == 1
    assert hours[("a1", "2026-03-02T10:00Z")].conversations == 2
    assert hours[("a1", "2026-03-02T12:00Z")].away_s == 3600
    assert ("a1", "2026-03-02T13:00Z") not in hours  # offline from 13:00, nothing else
    assert hours[("a2", "2026-03-02T17:00Z")].online_s == 1800
    assert sum(r.online_s for (agent, _), r in hours.items() if agent == "a2") == 8.5 * 3600
    assert not any(agent == "a3" for agent, _ in hours)

    in_g2 = {r.agent_id: r for r in await agent_report(db, scope(skill_group="g2"), GroupBy.NONE, now=LATER)}
    # Only Bob is in g2; only c5 is a g2 conversation.
    assert set(in_g2) == {"a2"} and (in_g2["a2"].conversations, in_g2["a2"].messages) == (1, 1)
    with pytest.raises(InvalidScope):
        await agent_report(db, scope(), GroupBy.SKILL_GROUP)


def test_ranges_are_bounded():
    with pytest.raises(InvalidScope):
        ReportScope(CENTER, SINCE, SINCE + timedelta(days=367))
    with pytest.raises(InvalidScope):
        ReportScope(CENTER, UNTIL, SINCE)
    with pytest.raises(InvalidScope):
        ReportScope(CENTER, SINCE, SINCE + timedelta(days=40)).check_grouping(GroupBy.HOUR)
