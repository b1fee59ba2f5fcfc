"""The column headers of report downloads, in English and Chinese (`lang=zh-CN`).

Every field of a report's rows has a header in both languages (a unit test checks),
so a download never shows a field name in place of a header.
"""

from __future__ import annotations

from enum import Enum

from actors.reports import agent_report, conversation_report, skill_group_report
from actors.reports.scope import GroupBy


class Lang(str, Enum):
    EN = "en"
    ZH_CN = "zh-CN"


CONVERSATION_HEADERS: dict[Lang, dict[str, str]] = {
    Lang.EN: {
        "conversations": "Conversations", "answered": "Answered", "abandoned_in_queue": "Abandoned in queue",
        "left_messages": "Left messages", "overflowed": "Overflowed", "transfers": "Transfers",
        "wait_avg_s": "Average wait (s)", "wait_p90_s": "Wait p90 (s)",
        "first_response_avg_s": "Average first response (s)", "duration_avg_s": "Average duration (s)",
        "ratings": "Ratings", "rating_avg": "Average rating", "bot_served": "Served by the bot",
        "bot_resolved": "Resolved by the bot", "bot_handed_off": "Bot handed off",
        "bot_rating_avg": "Average rating (bot)"},
    Lang.ZH_CN: {
        "conversations": "会话数", "answered": "已接入", "abandoned_in_queue": "排队放弃", "left_messages": "留言",
        "overflowed": "溢出", "transfers": "转接次数", "wait_avg_s": "平均等待时长(秒)",
        "wait_p90_s": "等待时长P90(秒)", "first_response_avg_s": "平均首次响应时长(秒)",
        "duration_avg_s": "平均会话时长(秒)", "ratings": "评价数", "rating_avg": "平均满意度",
        "bot_served": "机器人接待", "bot_resolved": "机器人独立解决", "bot_handed_off": "机器人转人工",
        "bot_rating_avg": "机器人平均满意度"},
}

AGENT_HEADERS: dict[Lang, dict[str, str]] = {
    Lang.EN: {
        "agent_id": "Agent ID", "display_name": "Agent", "period": "Period", "online_s": "Online (s)",
        "away_s": "Away (s)", "conversations": "Conversations served", "messages": "Messages sent",
        "first_response_avg_s": "Average first response (s)", "ratings": "Ratings",
        "rating_avg": "Average rating"},
    Lang.ZH_CN: {
        "agent_id": "坐席ID", "display_name": "坐席", "period": "时段", "online_s": "在线时长(秒)",
        "away_s": "离开时长(秒)", "conversations": "接待会话数", "messages": "发送消息数",
        "first_response_avg_s": "平均首次响应时长(秒)", "ratings": "评价数", "rating_avg": "平均满意度"},
}

SKILL_GROUP_HEADERS: dict[Lang, dict[str, str]] = {
    Lang.EN: {
        "skill_group": "Skill group", "period": "Period", "offered": "Offered", "answered": "Answered",
        "abandoned_in_queue": "Abandoned in queue", "overflowed_out": "Overflowed out",
        "timed_out": "Timed out to message", "wait_avg_s": "Average wait (s)", "wait_p90_s": "Wait p90 (s)",
        "service_level": "Service level", "agents_served": "Agents who served"},
    Lang.ZH_CN: {
        "skill_group": "技能组", "period": "时段", "offered": "进线数", "answered": "已接入",
        "abandoned_in_queue": "排队放弃", "overflowed_out": "溢出转出", "timed_out": "超时转留言",
        "wait_avg_s": "平均等待时长(秒)", "wait_p90_s": "等待时长P90(秒)", "service_level": "服务水平",
        "agents_served": "接待坐席数"},
}

# The first column of the conversations report: what its rows are grouped by; a period
# names the report's time zone (`{zone}`), whose local days and hours the rows are.
KEY_HEADERS: dict[Lang, dict[GroupBy, str]] = {
    Lang.EN: {GroupBy.NONE: "All", GroupBy.DAY: "Day ({zone})", GroupBy.HOUR: "Hour ({zone})",
              GroupBy.WEEK: "Week from Monday ({zone})", GroupBy.MONTH: "Month ({zone})",
              GroupBy.SKILL_GROUP: "Skill group", GroupBy.AGENT: "Agent ID"},
    Lang.ZH_CN: {GroupBy.NONE: "全部", GroupBy.DAY: "日期({zone})", GroupBy.HOUR: "小时({zone})",
                 GroupBy.WEEK: "周(周一起,{zone})", GroupBy.MONTH: "月份({zone})",
                 GroupBy.SKILL_GROUP: "技能组", GroupBy.AGENT: "坐席ID"},
}


def key_header(lang: Lang, group_by: GroupBy, zone: str = "UTC") -> str:
    return KEY_HEADERS[lang][group_by].format(zone=zone)


def _headers(lang: Lang, names: dict[str, str], fields: list[str], zone: str) -> list[str]:
    # The `period` column of the agents and skill groups reports names the zone too.
    space = " " if lang is Lang.EN else ""
    return [f"{names[f]}{space}({zone})" if f == "period" else names[f] for f in fields]

# The row of all groups together, and a group without a key (no agent, no skill group).
TOTAL = {Lang.EN: "Total", Lang.ZH_CN: "合计"}
NO_KEY = {Lang.EN: "(none)", Lang.ZH_CN: "(无)"}


def conversation_columns(lang: Lang, group_by: GroupBy, zone: str = "UTC") -> tuple[list[str], list[str]]:
    """(fields in order, their headers)."""
    fields = list(conversation_report.FIELDS)
    names = CONVERSATION_HEADERS[lang]
    return fields, [key_header(lang, group_by, zone)] + [names[f] for f in fields[1:]]


def agent_columns(lang: Lang, group_by: GroupBy, zone: str = "UTC") -> tuple[list[str], list[str]]:
    fields = [f for f in agent_report.FIELDS if f != "period" or group_by.period is not None]
    return fields, _headers(lang, AGENT_HEADERS[lang], fields, zone)


def skill_group_columns(lang: Lang, group_by: GroupBy, zone: str = "UTC") -> tuple[list[str], list[str]]:
    fields = [f for f in skill_group_report.FIELDS if f != "period" or group_by.period is not None]
    return fields, _headers(lang, SKILL_GROUP_HEADERS[lang], fields, zone)
