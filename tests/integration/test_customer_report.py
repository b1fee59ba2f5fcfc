"""Every figure of the customers report against a hand count of known visitors
(tests/integration/customer_data.py), on SQLite and on PostgreSQL: new and returning,
sources, regions, devices, channels and the words of the visitors' messages, filtered and
cut to a supervisor's departments."""

from __future__ import annotations

import pytest

from actors.reports.customer_report import CustomerCounts, customer_counts
from actors.reports.message_words import WordCount, message_words
from actors.reports.scope import GroupBy, InvalidScope, ReportScope
from actors.reports.visitor_breakdowns import PlaceShare, Share, SourceShare, VisitorBreakdowns, visitor_breakdowns
from actors.store.database import create_engine, sessionmaker
from tests.integration.conftest import migrated_database_url
from tests.integration.customer_data import CENTER, D2, D3, SINCE, UNTIL, write_known_visitors


@pytest.fixture(params=["sqlite", "postgres"], scope="module")
async def db(request, tmp_path_factory):
    url = await migrated_database_url(request, request.param, tmp_path_factory.mktemp("customers"))
    engine = create_engine(url)
    maker = sessionmaker(engine)
    await write_known_visitors(maker)
    yield maker
    await engine.dispose()


def scope(**filters) -> ReportScope:
    return ReportScope(CENTER, SINCE, UNTIL, **filters)


async def test_new_and_returning_visitors_counted_by_hand(db):
    # k1 k2 k3 k4 k5 k7 of p1 p2 p3 p4 p6 (k6 of p5 was the day before). p2 had k0 before:
    # returning; the others' first conversation is today's. Answered: k1 k3 k4 k7.
    assert await customer_counts(db, scope(), GroupBy.NONE) == [CustomerCounts(
        period=None, visitors=5, new_visitors=4, returning_visitors=1, visitors_served=4, conversations=6,
        conversations_per_visitor=1.2)]
    # By hour: p1 is new at 10:00 (k1) and returning at 15:00 (k2); the hours' new add up to 4.
    hours = await customer_counts(db, scope(), GroupBy.HOUR)
    assert [(c.period, c.visitors, c.new_visitors, c.returning_visitors, c.visitors_served, c.conversations)
            for c in hours] == [("2026-03-02T10:00Z", 3, 3, 0, 3, 3), ("2026-03-02T11:00Z", 1, 0, 1, 1, 1),
                                ("2026-03-02T12:00Z", 1, 1, 0, 0, 1), ("2026-03-02T15:00Z", 1, 0, 1, 0, 1)]
    (day,) = await customer_counts(db, scope(), GroupBy.DAY)
    assert (day.period, day.visitors, day.new_visitors) == ("2026-03-02", 5, 4)

    # In g1: p1 (k1, k2), p2 (k3), p6 (k7); p2 is still returning (k0 was in g2).
    (g1,) = await customer_counts(db, scope(skill_group="g1"), GroupBy.NONE)
    assert (g1.visitors, g1.new_visitors, g1.returning_visitors, g1.conversations, g1.conversations_per_visitor) == (
        3, 2, 1, 4, 1.33)
    (wechat,) = await customer_counts(db, scope(channel="wechat"), GroupBy.NONE)
    assert (wechat.visitors, wechat.new_visitors, wechat.visitors_served) == (1, 1, 0)
    (nobody,) = await customer_counts(db, scope(agent_id="nobody"), GroupBy.NONE)
    assert nobody == CustomerCounts(None, 0, 0, 0, 0, 0, None)
    with pytest.raises(InvalidScope):
        await customer_counts(db, scope(), GroupBy.AGENT)


async def test_sources_regions_and_devices_counted_by_hand(db):
    found = await visitor_breakdowns(db, scope())
    # One visitor each: p1 searched, p2 a campaign, p3 a link, p6 typed the address, p4 no page.
    assert sorted((s.key, s.visitors) for s in found.source_kinds) == [
        ("campaign", 1), ("direct", 1), ("referral", 1), ("search", 1), ("unknown", 1)]
    assert sorted(found.sources, key=lambda s: s.name) == [
        SourceShare("search", "Baidu", 1), SourceShare("campaign", "Newsletter", 1),
        SourceShare("referral", "blog.example.com", 1)]
    # p1's Baidu query and p2's campaign term.
    assert found.search_keywords == [Share("普洱茶", 2)]
    assert found.regions[0] == PlaceShare("CN", "浙江", None, 2)
    assert sorted(found.regions[1:], key=str) == sorted([PlaceShare("CN", "北京", None, 1), PlaceShare("US", None, None, 1),
                                                         PlaceShare(None, None, None, 1)], key=str)
    assert sorted(found.cities, key=str) == sorted([PlaceShare("CN", "浙江", "杭州", 1), PlaceShare("CN", "浙江", "宁波", 1),
                                                    PlaceShare("CN", "北京", "北京", 1)], key=str)
    assert found.devices == [Share("desktop", 3), Share("mobile", 1), Share(None, 1)]
    assert found.browsers[0] == Share("Chrome 120", 2)
    assert sorted(found.browsers[1:], key=str) == sorted([Share("Firefox 121", 1), Share("Mobile Safari 17", 1),
                                                          Share(None, 1)], key=str)
    assert found.operating_systems[0] == Share("Windows 10", 2) and len(found.operating_systems) == 4
    assert found.channels == [Share("web", 4), Share("wechat", 1)]

    # g2's supervisor (D2): k4 (a2's) and k5 (unanswered in g2): p3 and p4 only.
    theirs = await visitor_breakdowns(db, scope(departments=frozenset({D2})))
    assert sorted((s.key, s.visitors) for s in theirs.source_kinds) == [("referral", 1), ("unknown", 1)]
    assert theirs.search_keywords == [] and theirs.channels == [Share("web", 1), Share("wechat", 1)]
    assert await visitor_breakdowns(db, scope(departments=frozenset({D3}))) == VisitorBreakdowns()


async def test_the_words_visitors_wrote_counted_by_hand(db):
    words = await message_words(db, scope())
    # The visitors' 9 messages of k1 k2 k3 k4 k5 k7 (not k0's or k6's, nor the agents' 退货):
    # 退货 twice in k1 and once in k5; 发票 twice in k3; 投诉 in k2 and k5; order twice in k4.
    # Left out: 我 想 要 了 开 (one character), 怎么办 怎么 我要 你好 can my please (stopwords).
    assert (words.messages, words.messages_read) == (9, 9)
    assert words.words == [WordCount("退货", 3), WordCount("order", 2), WordCount("发票", 2), WordCount("投诉", 2),
                           WordCount("return", 1), WordCount("status", 1), WordCount("多久", 1), WordCount("太慢", 1),
                           WordCount("快递", 1)]
    of_d2 = await message_words(db, scope(departments=frozenset({D2})))
    assert (of_d2.messages, [(w.word, w.count) for w in of_d2.words][:3]) == (3, [("order", 2), ("return", 1),
                                                                                  ("status", 1)])
    assert (await message_words(db, scope(departments=frozenset({D3})))).messages == 0
