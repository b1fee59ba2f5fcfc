"""The customers report through the edge, over visitors made with the real protocol in a
skill group of its own (where they browse from, with what, from which page, what they
write): every figure against a hand count, in JSON, CSV and XLSX; the caller's
departments; who may read it. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import csv
import io
import time
from datetime import datetime, timedelta, timezone
from urllib.parse import quote, urlencode

import pytest
from openpyxl import load_workbook

from serve.device import describe
from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, Socket, staff_member, unique
from tests.integration.test_reports_api import download

IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")
FIREFOX = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"
HANGZHOU = "183.136.190.62"
SHOP = "https://shop.example.cn"


@pytest.fixture(params=["center", "pg_center"])
def any_center(request):
    return request.getfixturevalue(request.param)


async def chat(base: str, token: str, agent: Socket, group: str, said: list[str], headers: dict | None = None,
               page: dict | None = None) -> str:
    """One conversation of the visitor with `token`: a page view first if given, then a
    chat the agent answers, the visitor's messages, and the agent ends it."""
    socket = await Socket.open(base, "visitor", token, headers=headers)
    await socket.next("welcome")
    if page:
        await socket.send({"type": "page.view", "title": "Shop", **page})
    await socket.send({"type": "chat.request", "skill_group": group})
    cid = (await socket.next("assigned"))["conversation_id"]
    await agent.next("assigned", conversation_id=cid)
    for body in said:
        await socket.message(cid, body)
    await agent.message(cid, "您好，退货请提供订单号")  # an agent's words count nowhere
    await agent.send({"type": "chat.end", "conversation_id": cid})
    await socket.next("ended")
    await socket.close()
    return cid


async def visitor(base: str, headers: dict | None = None) -> tuple[str, str]:
    answer = await Api(base).call("POST", "/api/v1/visitors", {"name": unique("v")}, headers=headers or {})
    return answer["visitor_id"], answer["token"]


async def until_recorded(admin: Api, visitor_id: str) -> dict:
    deadline = time.monotonic() + 15
    while True:
        profile = await admin.call("GET", f"/api/v1/visitors/{visitor_id}/profile")
        if profile["source"] and profile["source"]["landing_url"]:
            return profile
        assert time.monotonic() < deadline, profile
        await asyncio.sleep(0.1)


async def known_visitors(base: str, admin: Api) -> dict:
    """v2 chats once, then the window opens: v1 (Hangzhou, iPhone, from Baidu searching
    普洱茶) chats, v2 comes back, v3 (Firefox, from a blog) chats."""
    department = (await admin.call("POST", "/api/v1/admin/departments", {"name": unique("A")}))["id"]
    other = (await admin.call("POST", "/api/v1/admin/departments", {"name": unique("B")}))["id"]
    group = (await admin.create_group(unique("g"), department_id=department))["name"]
    _, ann = await staff_member(admin, {group: 1}, 3, department_id=department)

    v2, v2_token = await visitor(base)
    chrome = {"User-Agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                            "Chrome/120.0.0.0 Safari/537.36"}
    earlier = await chat(base, v2_token, ann, group, ["退货"], headers=chrome)
    await asyncio.sleep(0.01)
    since = datetime.now(timezone.utc)

    v1, v1_token = await visitor(base, {"X-Forwarded-For": HANGZHOU, "User-Agent": IPHONE})
    baidu = f"https://www.baidu.com/s?wd={quote('普洱茶')}"
    await chat(base, v1_token, ann, group, ["我想退货", "退货要多久"], {"X-Forwarded-For": HANGZHOU, "User-Agent": IPHONE},
               {"url": f"{SHOP}/tea", "referrer": baidu})
    await chat(base, v2_token, ann, group, ["发票怎么开"], headers=chrome)
    v3, v3_token = await visitor(base, {"User-Agent": FIREFOX})
    await chat(base, v3_token, ann, group, ["投诉快递太慢"], {"User-Agent": FIREFOX},
               {"url": f"{SHOP}/", "referrer": "https://blog.example.com/review"})
    for recorded in (v1, v3):
        await until_recorded(admin, recorded)
    await ann.close()
    return {"group": group, "earlier": earlier, "department": department, "other": other, "since": since,
            "until": datetime.now(timezone.utc) + timedelta(seconds=1), "chrome": describe(chrome["User-Agent"])}


async def test_the_customers_report_counts_known_visitors(any_center):
    base = any_center.url
    admin = await Api(base).login("admin", ADMIN_PASSWORD)
    t = await known_visitors(base, admin)
    window = {"since": t["since"].isoformat(), "until": t["until"].isoformat(), "skill_group": t["group"]}
    report = await admin.call("GET", "/api/v1/reports/customers?" + urlencode(window))

    # v1, v2 (back: her first chat was before the window) and v3; three conversations, all answered.
    assert report["rows"] == [report["total"]]
    assert report["total"] == {"period": None, "visitors": 3, "new_visitors": 2, "returning_visitors": 1,
                               "visitors_served": 3, "conversations": 3, "conversations_per_visitor": 1.0}
    # v2 never reported a page (an API client): unknown, not direct.
    assert sorted((s["key"], s["visitors"]) for s in report["source_kinds"]) == [
        ("referral", 1), ("search", 1), ("unknown", 1)]
    assert sorted((s["kind"], s["name"]) for s in report["sources"]) == [
        ("referral", "blog.example.com"), ("search", "Baidu")]
    assert report["search_keywords"] == [{"key": "普洱茶", "visitors": 1}]
    assert report["regions"] == [{"country": None, "province": None, "city": None, "display": None, "visitors": 2},
                                 {"country": "CN", "province": "浙江", "city": None, "display": "浙江", "visitors": 1}]
    assert [(c["display"], c["visitors"]) for c in report["cities"]] == [("浙江 杭州", 1)]
    assert report["devices"] == [{"key": "desktop", "visitors": 2}, {"key": "mobile", "visitors": 1}]
    assert sorted((b["key"], b["visitors"]) for b in report["browsers"]) == sorted(
        [(t["chrome"].browser, 1), ("Firefox 121", 1), ("Mobile Safari 17", 1)])
    assert report["channels"] == [{"key": "web", "visitors": 3}]
    # 我想退货 / 退货要多久 / 发票怎么开 / 投诉快递太慢 (v2's 退货 was before the window).
    words = report["message_words"]
    assert (words["messages"], words["messages_read"]) == (4, 4)
    assert words["words"][0] == {"word": "退货", "count": 2}
    assert sorted((w["word"], w["count"]) for w in words["words"][1:]) == [
        ("发票", 1), ("多久", 1), ("太慢", 1), ("快递", 1), ("投诉", 1)]

    hourly = await admin.call("GET", "/api/v1/reports/customers?" + urlencode({**window, "group_by": "hour"}))
    assert sum(r["new_visitors"] for r in hourly["rows"]) == 2 and hourly["total"]["visitors"] == 3

    await the_downloads_say_the_same(admin, window)
    await only_the_callers_departments(admin, base, t, window, report)


async def the_downloads_say_the_same(admin: Api, window: dict) -> None:
    answer = await download(admin, "/api/v1/reports/customers", {**window, "format": "csv"})
    assert answer.headers["content-disposition"].startswith('attachment; filename="kefu-customers-')
    lines = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert lines[0] == ["All", "Visitors", "New visitors", "Returning visitors", "Visitors served", "Conversations",
                        "Conversations per visitor"]
    assert lines[1] == ["Total", "3", "2", "1", "3", "3", "1.0"]
    blocks = _blocks(lines)
    assert blocks["Search keywords"] == [["普洱茶", "1"]]
    assert sorted(blocks["Source kinds"]) == [["Other site", "1"], ["Search engine", "1"],
                                              ["Unknown (no page seen)", "1"]]
    assert blocks["Regions"] == [["(not recorded)", "2"], ["浙江", "1"]]
    assert blocks["Message keywords"][0] == ["退货", "2"] and blocks["Message keywords"][-2] == [
        "Visitors' messages", "4"]

    book = await download(admin, "/api/v1/reports/customers", {**window, "format": "xlsx", "lang": "zh-CN",
                                                               "group_by": "day"})
    workbook = load_workbook(io.BytesIO(book.content), read_only=True)
    assert workbook.sheetnames[:4] == ["客户统计", "来源类型", "访问来源", "搜索关键词"]
    counts = list(workbook["客户统计"].iter_rows(values_only=True))
    assert counts[0][:4] == ("日期(UTC)", "访客数", "新访客", "老访客")
    assert counts[-1] == ("合计", 3, 2, 1, 3, 3, 1.0)
    assert list(workbook["城市"].iter_rows(values_only=True)) == [("城市", "访客数"), ("浙江 杭州", 1)]
    devices = dict(list(workbook["设备"].iter_rows(values_only=True))[1:])
    assert devices == {"电脑": 2, "手机": 1}
    words = list(workbook["咨询关键词"].iter_rows(values_only=True))
    assert words[1] == ("退货", 2)


def _blocks(lines: list[list[str]]) -> dict[str, list[list[str]]]:
    """The CSV's tables after the counts (each after a blank line), by their title."""
    blocks: dict[str, list[list[str]]] = {}
    title = None
    for previous, line in zip(lines, lines[1:]):
        if line and not previous:
            title = line[0]
            blocks[title] = []
        elif line and title is not None:
            blocks[title].append(line)
    return blocks


async def only_the_callers_departments(admin: Api, base: str, t: dict, window: dict, report: dict) -> None:
    async def supervisor_of(department: int) -> Api:
        username = unique("su")
        await admin.create_agent(username, {}, 1, role="supervisor", department_id=department)
        return await Api(base).login(username, "secret-pw")

    path = "/api/v1/reports/customers?" + urlencode(window)
    ours = await (await supervisor_of(t["department"])).call("GET", path)
    assert ours["total"] == report["total"] and ours["message_words"] == report["message_words"]
    theirs = await (await supervisor_of(t["other"])).call("GET", path)
    assert theirs["total"]["visitors"] == 0 and theirs["rows"] == [theirs["total"]]
    assert all(theirs[name] == [] for name in ("source_kinds", "sources", "search_keywords", "regions", "cities",
                                               "devices", "browsers", "operating_systems", "channels"))
    assert theirs["message_words"] == {"words": [], "messages": 0, "messages_read": 0}


async def test_the_customers_report_is_for_supervisors_and_admins(center):
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    window = urlencode({"since": "2026-01-01T00:00:00Z", "until": "2026-02-01T00:00:00Z"})
    agent_name = unique("ag")
    await admin.create_agent(agent_name, {}, 1)
    agent = await Api(center.url).login(agent_name, "secret-pw")
    path = f"/api/v1/reports/customers?{window}"
    assert (await agent.call("GET", path, expect=403))["error"]["code"] == "forbidden"
    assert (await Api(center.url).call("GET", path, expect=401))["error"]["code"] == "unauthorized"
    for refused in (f"{window}&group_by=agent", f"{window}&group_by=skill_group",
                    urlencode({"since": "2026-01-01T00:00:00Z", "until": "2026-03-01T00:00:00Z", "group_by": "hour"}),
                    "since=2026-01-01T00:00:00Z"):
        answer = await admin.call("GET", f"/api/v1/reports/customers?{refused}", expect=422)
        assert answer["error"]["code"] == "invalid_request"
    empty = await admin.call("GET", path + f"&channel={unique('none')}")
    assert empty["total"]["visitors"] == 0 and empty["message_words"]["words"] == []
