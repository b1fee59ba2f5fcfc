"""Report downloads: every field has a header in both languages, and file names and cells
are safe."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

from actors.reports import agent_report, conversation_report, skill_group_report
from actors.reports.scope import GroupBy
from serve.api.report_downloads import csv_line, file_name
from serve.api.report_headers import (AGENT_HEADERS, CONVERSATION_HEADERS, KEY_HEADERS, NO_KEY,
                                      SKILL_GROUP_HEADERS, TOTAL, Lang, agent_columns, conversation_columns,
                                      skill_group_columns)


def test_every_field_has_a_header_in_both_languages():
    for lang in Lang:
        assert set(CONVERSATION_HEADERS[lang]) == set(conversation_report.FIELDS) - {"key"}
        assert set(AGENT_HEADERS[lang]) == set(agent_report.FIELDS)
        assert set(SKILL_GROUP_HEADERS[lang]) == set(skill_group_report.FIELDS)
        assert "period" not in skill_group_columns(lang, GroupBy.NONE)[0]
        assert set(KEY_HEADERS[lang]) == set(GroupBy)
        assert lang in TOTAL and lang in NO_KEY
        for group_by in GroupBy:
            fields, headers = conversation_columns(lang, group_by)
            assert len(fields) == len(headers) == len(set(headers))
        assert "period" in agent_columns(lang, GroupBy.DAY)[0]
        assert "period" not in agent_columns(lang, GroupBy.NONE)[0]
    assert CONVERSATION_HEADERS[Lang.ZH_CN]["abandoned_in_queue"] == "排队放弃"


def test_file_names_and_cells_are_safe():
    since, until = datetime(2026, 3, 2, tzinfo=timezone.utc), datetime(2026, 3, 3, tzinfo=timezone.utc)
    assert file_name("agents", since, until, "xlsx") == "kefu-agents-20260302-20260303.xlsx"
    # A group named like a formula is written as text (CSV injection).
    line = next(csv.reader(io.StringIO(csv_line(["=HYPERLINK(\"x\")", None, 3, -1.5]))))
    assert line == ["'=HYPERLINK(\"x\")", "", "3", "-1.5"]
