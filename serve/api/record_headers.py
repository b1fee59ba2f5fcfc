"""The columns of a chat records export (`format=csv|xlsx` on GET /api/v1/conversations),
their headers in English and Chinese (`lang=zh-CN`), and the words a status is shown as.

Every field of actors/store/record_export.RecordLine has a header in both languages
(a unit test checks), so a download never shows a field name in place of a header.
"""

from __future__ import annotations

from dataclasses import fields

from actors.store.record_export import RecordLine
from serve.api.report_headers import Lang

RECORD_HEADERS: dict[Lang, dict[str, str]] = {
    Lang.EN: {
        "conversation_id": "Conversation ID", "requested_at": "Requested (UTC)", "ended_at": "Ended (UTC)",
        "status": "Status", "skill_group": "Skill group", "agent_id": "Agent ID", "agent": "Agent",
        "visitor_id": "Visitor ID", "visitor": "Visitor", "channel": "Channel", "region": "Region",
        "rating": "Rating", "rating_comment": "Rating comment", "end_reason": "End reason",
        "snippet": "Matching message"},
    Lang.ZH_CN: {
        "conversation_id": "会话ID", "requested_at": "发起时间(UTC)", "ended_at": "结束时间(UTC)",
        "status": "状态", "skill_group": "技能组", "agent_id": "坐席ID", "agent": "坐席",
        "visitor_id": "访客ID", "visitor": "访客", "channel": "渠道", "region": "地区",
        "rating": "满意度评分", "rating_comment": "评价内容", "end_reason": "结束原因",
        "snippet": "匹配消息"},
}

# As the console shows them (console.status.* in serve/ui/console/i18n/).
STATUS_NAMES: dict[Lang, dict[str, str]] = {
    Lang.EN: {"new": "New", "queued": "Waiting", "assigned": "Being served", "left_message": "Left a message",
              "ended": "Ended", "forwarded": "Forwarded", "bot": "With the bot"},
    Lang.ZH_CN: {"new": "新建", "queued": "排队中", "assigned": "接待中", "left_message": "已留言",
                 "ended": "已结束", "forwarded": "已转出", "bot": "机器人接待中"},
}

FIELDS = tuple(f.name for f in fields(RecordLine))


def record_columns(lang: Lang, with_snippet: bool) -> tuple[list[str], list[str]]:
    """(fields in order, their headers); the snippet only when words were searched."""
    chosen = [f for f in FIELDS if with_snippet or f != "snippet"]
    return chosen, [RECORD_HEADERS[lang][f] for f in chosen]
