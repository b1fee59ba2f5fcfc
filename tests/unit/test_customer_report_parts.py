"""The customers report's parts without a center: the words of messages (jieba, stopwords,
what is left out), a source's kind in SQL as TrafficSource.kind says it, and every field
and list of the download in both languages."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone

from sqlalchemy import create_engine, insert, select

from actors.reports import customer_report, visitor_breakdowns
from actors.reports.message_words import WordCount, count_words, keeps, top_words
from actors.reports.visitor_breakdowns import SOURCE_KINDS, source_kind
from actors.store.schema import VisitorRow
from actors.tracking.source import classify
from serve.api.customer_headers import (COLUMNS, COUNT_HEADERS, LIST_TITLES, LISTS, NOT_RECORDED, VALUES, count_fields,
                                        value_word)
from serve.api.report_headers import Lang


def test_words_are_cut_and_what_says_nothing_is_left_out():
    counts = count_words(["我想退货，怎么办？", "退货要多久", "快递太慢了，我要投诉 订单12345", "Can I RETURN my order please?",
                          "--", "你好", "好的谢谢", "", "e-mail me: 13800138000"])
    assert counts == Counter({"退货": 2, "多久": 1, "快递": 1, "太慢": 1, "投诉": 1, "订单": 1, "return": 1, "order": 1,
                              "mail": 1})  # jieba cuts "e-mail" at the dash
    assert not keeps("我") and not keeps("12345") and not keeps("，，") and not keeps("怎么") and not keeps("x" * 21)
    assert keeps("普洱茶") and keeps("don't")


def test_top_words_most_written_first_then_by_word():
    counts = Counter({"b": 1, "发票": 2, "a": 2, "退货": 3})
    assert top_words(counts, 3) == [WordCount("退货", 3), WordCount("a", 2), WordCount("发票", 2)]


def test_a_sources_kind_in_sql_is_the_traffic_sources_kind():
    shop = "https://shop.example.cn/"
    visits = {
        "search": (shop, "https://www.baidu.com/s?wd=tea"),
        "search-sub": (shop, "https://m.so.com/s?q=tea"),
        "campaign": (shop + "?utm_source=newsletter&utm_term=tea", None),
        "campaign-from-a-site": (shop + "?utm_source=partner", "https://partner.example.com/"),
        "referral": (shop, "https://blog.example.com/review"),
        "direct": (shop, None),
        "own-page": (shop + "b", shop + "a"),
    }
    engine = create_engine("sqlite://")
    VisitorRow.__table__.create(engine)
    now = datetime(2026, 3, 2, tzinfo=timezone.utc)
    expected = {}
    with engine.begin() as connection:
        for name, (url, referrer) in visits.items():
            source = classify(url, referrer)
            expected[name] = source.kind
            connection.execute(insert(VisitorRow.__table__).values(
                id=name, center_id="c", created_at=now, landing_url=url, source_engine=source.engine,
                source_keyword=source.keyword, source_host=source.referrer_host))
        connection.execute(insert(VisitorRow.__table__).values(id="api", center_id="c", created_at=now))
        expected["api"] = "unknown"
        table = VisitorRow.__table__
        found = dict(connection.execute(select(table.c.id, source_kind(table))).all())
    assert found == expected
    assert set(expected.values()) == set(SOURCE_KINDS)


def test_every_field_and_list_has_its_words_in_both_languages():
    for lang in Lang:
        assert set(COUNT_HEADERS[lang]) == set(count_fields()) == set(customer_report.FIELDS) - {"period"}
        assert set(LIST_TITLES[lang]) == set(LISTS) == set(visitor_breakdowns.LISTS) | {"message_words"}
        assert all(len(title) <= 31 for title in LIST_TITLES[lang].values())  # an XLSX sheet's name
        assert set(COLUMNS[lang]) == set(COLUMNS[Lang.EN]) and set(VALUES[lang]) == set(VALUES[Lang.EN])
        assert set(SOURCE_KINDS) <= set(VALUES[lang])
        assert value_word(lang, None, True) == NOT_RECORDED[lang]
    assert value_word(Lang.ZH_CN, "mobile", True) == "手机" and value_word(Lang.ZH_CN, "mobile", False) == "mobile"
    assert value_word(Lang.EN, "Chrome 120", True) == "Chrome 120"
