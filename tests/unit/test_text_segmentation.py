"""Words for the full-text index of chat records: a Chinese word inside a sentence is
a word of it; Latin words are lowercased; punctuation is no word."""

from __future__ import annotations

from actors.store.search_snippet import cut_snippet
from actors.store.text_segmentation import TextQuery, document_terms, load_dictionary, parse_query


def words(text: str) -> set[str]:
    return set(document_terms(text).split(" "))


def found(query: str, body: str) -> bool:
    """What the index does: every query term is a word of the body, phrases as written."""
    parsed = parse_query(query)
    return (not parsed.empty and set(parsed.terms) <= words(body)
            and all(p.lower() in body.lower() for p in parsed.phrases))


def test_a_chinese_word_inside_a_sentence_is_found():
    assert found("退货", "我想退货怎么办")
    assert found("怎么办", "我想退货怎么办")
    # jieba's precise mode sees 开发票 here; the shorter word inside it is indexed too.
    assert found("发票", "请开发票给我")
    assert found("开发票", "请开发票给我")
    assert not found("发货", "我想退货怎么办")


def test_several_words_must_all_be_in_the_message():
    assert found("退货 发票", "退货以后请开发票")
    assert not found("退货 发票", "我想退货怎么办")


def test_latin_and_chinese_mixed_and_lowercased():
    body = "我的iPhone 15坏了, Order ABC123 还没发货"
    assert {"iphone", "15", "order", "abc123", "发货"} <= words(body)
    assert found("IPHONE 发货", body)
    assert found("order abc123", body)
    assert not found("android", body)


def test_punctuation_is_no_word():
    assert words("你好！！？, ... hello，world。") == {"你好", "hello", "world"}
    assert parse_query("？！。,,").empty
    assert document_terms("") == ""


def test_quotes_make_a_phrase():
    parsed = parse_query('"late delivery" 退货')
    assert parsed == TextQuery(("late", "delivery", "退货"), ("late delivery",))
    assert found('"late delivery"', "Sorry for the LATE delivery")
    assert not found('"late delivery"', "the delivery was late")
    assert parse_query("“退货 流程”").phrases == ("退货 流程",)


def test_a_snippet_is_cut_around_the_word():
    body = "开头" * 40 + "我想退货怎么办" + "结尾" * 100
    snippet = cut_snippet(body, parse_query("退货"))
    assert "退货" in snippet and snippet.startswith("…") and snippet.endswith("…")
    assert cut_snippet("short one", parse_query("one")) == "short one"


async def test_the_dictionary_loads_off_the_event_loop_once():
    await load_dictionary()
    await load_dictionary()
    assert document_terms("退货") == "退货"
