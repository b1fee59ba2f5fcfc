"""The chat records export's columns have headers and status words in both languages, and
a snippet's pieces mark exactly the words searched."""

from __future__ import annotations

from actors.lifecycle import ConversationStatus
from actors.store.search_snippet import marked
from actors.store.text_segmentation import TextQuery
from serve.api.record_headers import FIELDS, RECORD_HEADERS, STATUS_NAMES, Lang, record_columns


def test_every_field_and_status_has_words_in_both_languages():
    for lang in Lang:
        assert set(RECORD_HEADERS[lang]) == set(FIELDS)
        assert set(STATUS_NAMES[lang]) == {s.value for s in ConversationStatus}
    fields, headers = record_columns(Lang.ZH_CN, with_snippet=False)
    assert "snippet" not in fields and headers[0] == "会话ID"
    assert record_columns(Lang.EN, with_snippet=True)[1][-1] == "Matching message"


def test_pieces_mark_the_words_found_case_aside_and_merge_overlaps():
    words = TextQuery(("退货", "order"), ("Order 42",))
    assert marked("我想退货，ORDER 42 now", words) == [
        ("我想", False), ("退货", True), ("，", False), ("ORDER 42", True), (" now", False)]
    assert marked("nothing here", words) == [("nothing here", False)]
    assert "".join(text for text, _ in marked("İstanbul order", words)) == "İstanbul order"
