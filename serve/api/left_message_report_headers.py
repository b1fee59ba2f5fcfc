"""The column headers of the left messages report's downloads, in English and Chinese
(`lang=zh-CN`); the first column names what the rows are grouped by, as in the
conversations report (serve/api/report_headers.py)."""

from __future__ import annotations

from actors.reports import left_message_report
from actors.reports.scope import GroupBy
from serve.api.report_headers import Lang, key_header

LEFT_MESSAGE_HEADERS: dict[Lang, dict[str, str]] = {
    Lang.EN: {
        "submitted": "Left messages", "assigned": "Assigned", "replied": "Replied",
        "replied_in_widget": "Replied in the widget", "replied_by_email": "Replied by email",
        "closed_without_reply": "Closed without a reply", "still_open": "Still open at the end",
        "first_reply_avg_s": "Average time to first reply (s)", "first_reply_p90_s": "Time to first reply p90 (s)"},
    Lang.ZH_CN: {
        "submitted": "留言数", "assigned": "已分配", "replied": "已回复", "replied_in_widget": "窗口回复",
        "replied_by_email": "邮件回复", "closed_without_reply": "未回复关闭", "still_open": "期末未处理",
        "first_reply_avg_s": "平均首次回复时长(秒)", "first_reply_p90_s": "首次回复时长P90(秒)"},
}


def left_message_columns(lang: Lang, group_by: GroupBy, zone: str = "UTC") -> tuple[list[str], list[str]]:
    """(fields in order, their headers)."""
    fields = list(left_message_report.FIELDS)
    names = LEFT_MESSAGE_HEADERS[lang]
    return fields, [key_header(lang, group_by, zone)] + [names[f] for f in fields[1:]]
