"""The left messages report's downloads: every field has a header in both languages."""

from __future__ import annotations

from actors.reports import left_message_report
from actors.reports.scope import GroupBy
from serve.api.left_message_report_headers import LEFT_MESSAGE_HEADERS, left_message_columns
from serve.api.report_headers import Lang


def test_every_field_has_a_header_in_both_languages():
    for lang in Lang:
        assert set(LEFT_MESSAGE_HEADERS[lang]) == set(left_message_report.FIELDS) - {"key"}
        for group_by in GroupBy:
            fields, headers = left_message_columns(lang, group_by)
            assert len(fields) == len(headers) == len(set(headers))
    assert left_message_columns(Lang.ZH_CN, GroupBy.DAY)[1][:2] == ["日期(UTC)", "留言数"]
