"""The customers report's download in English and Chinese (`lang=zh-CN`): the headers of
its counts, the title of each list, and the words it writes for recorded values (a
source's kind, a device type, nothing recorded).

Every field and list has its words in both languages (a unit test checks), so a
download never shows a field name in place of a header.
"""

from __future__ import annotations

from actors.reports import customer_report, visitor_breakdowns
from serve.api.report_headers import Lang

COUNT_HEADERS: dict[Lang, dict[str, str]] = {
    Lang.EN: {"visitors": "Visitors", "new_visitors": "New visitors", "returning_visitors": "Returning visitors",
              "visitors_served": "Visitors served", "conversations": "Conversations",
              "conversations_per_visitor": "Conversations per visitor"},
    Lang.ZH_CN: {"visitors": "访客数", "new_visitors": "新访客", "returning_visitors": "老访客",
                 "visitors_served": "已接待访客", "conversations": "会话数", "conversations_per_visitor": "人均会话数"},
}

# Each list's title: its first column's header, and its sheet's name in the XLSX (at most 31 characters).
LIST_TITLES: dict[Lang, dict[str, str]] = {
    Lang.EN: {"source_kinds": "Source kinds", "sources": "Sources", "search_keywords": "Search keywords",
              "regions": "Regions", "cities": "Cities", "devices": "Devices", "browsers": "Browsers",
              "operating_systems": "Operating systems", "channels": "Channels", "message_words": "Message keywords"},
    Lang.ZH_CN: {"source_kinds": "来源类型", "sources": "访问来源", "search_keywords": "搜索关键词", "regions": "地域分布",
                 "cities": "城市", "devices": "设备", "browsers": "浏览器", "operating_systems": "操作系统",
                 "channels": "渠道", "message_words": "咨询关键词"},
}

COLUMNS: dict[Lang, dict[str, str]] = {
    Lang.EN: {"visitors": "Visitors", "kind": "Kind", "count": "Times written", "messages": "Visitors' messages",
              "messages_read": "Messages read for the keywords", "sheet": "Customers"},
    Lang.ZH_CN: {"visitors": "访客数", "kind": "类型", "count": "出现次数", "messages": "访客消息数",
                 "messages_read": "统计关键词的消息数", "sheet": "客户统计"},
}

# Recorded values written as words; any other value (a browser, a channel) as recorded.
VALUES: dict[Lang, dict[str, str]] = {
    Lang.EN: {"search": "Search engine", "campaign": "Campaign", "referral": "Other site", "direct": "Direct",
              "unknown": "Unknown (no page seen)", "desktop": "Desktop", "mobile": "Mobile", "tablet": "Tablet",
              "bot": "Bot"},
    Lang.ZH_CN: {"search": "搜索引擎", "campaign": "推广活动", "referral": "外部链接", "direct": "直接访问",
                 "unknown": "未知(未浏览页面)", "desktop": "电脑", "mobile": "手机", "tablet": "平板", "bot": "爬虫"},
}

NOT_RECORDED = {Lang.EN: "(not recorded)", Lang.ZH_CN: "(未记录)"}
# The lists whose values are words of VALUES.
WORDED = ("source_kinds", "devices")
LISTS = visitor_breakdowns.LISTS + ("message_words",)


def count_fields() -> list[str]:
    return [f for f in customer_report.FIELDS if f != "period"]


def value_word(lang: Lang, value: str | None, worded: bool) -> str:
    if value is None:
        return NOT_RECORDED[lang]
    return VALUES[lang].get(value, value) if worded else value
