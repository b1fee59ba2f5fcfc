"""The reports through the edge, over traffic made with the real websocket protocol in a
skill group of its own; every figure against a hand count from the log and the
messages, in JSON, CSV and XLSX, on SQLite and PostgreSQL; and who may read them."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode

import httpx
import pytest
from openpyxl import load_workbook

from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, Socket, staff_member, unique

CLOSED = {"timezone": "UTC", "weekly": {}}
CLOCK_SLACK = 0.003  # the log's times are read back to the millisecond


@pytest.fixture(params=["center", "pg_center"])
def any_center(request):
    return request.getfixturevalue(request.param)


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def request(base: str, group: str, answer: str) -> tuple[Socket, str]:
    """A new visitor asking `group` for a chat, once answered `answer`: (socket, conversation id)."""
    _, token = await Api(base).new_visitor(unique("v"))
    socket = await Socket.open(base, "visitor", token)
    await socket.next("welcome")
    await socket.send({"type": "chat.request", "skill_group": group})
    return socket, (await socket.next(answer))["conversation_id"]


async def end_and_rate(visitor: Socket, ender: Socket, cid: str, score: int) -> None:
    await ender.send({"type": "chat.end", "conversation_id": cid})
    await visitor.next("ended")
    await visitor.send({"type": "rating", "conversation_id": cid, "score": score})
    await visitor.next("rated")


async def known_traffic(base: str, admin: Api) -> dict:
    """v1 served by Ann, transferred to Bob, rated 5; v2 abandoned in the queue; v3 served
    by Ann, ended by her, rated 2; v4 a left message. Then Ann goes away, then offline."""
    group = (await admin.create_group(unique("g")))["name"]
    other = (await admin.create_group(unique("g")))["name"]
    ann_id, ann = await staff_member(admin, {group: 1}, 1, display_name="Ann")
    bob_id, bob = await staff_member(admin, {other: 1}, 1, display_name="Bob")

    v1, c1 = await request(base, group, "assigned")
    await v1.message(c1, "hello")
    await ann.next("assigned", conversation_id=c1)
    await ann.message(c1, "hi, Ann here")

    v2, c2 = await request(base, group, "queued")  # Ann's one slot is taken
    await v2.send({"type": "chat.end", "conversation_id": c2})
    await v2.next("ended")

    await ann.send({"type": "transfer", "conversation_id": c1, "to": {"agent_id": bob_id}})
    await ann.next("done", conversation_id=c1)
    await bob.next("assigned", conversation_id=c1)
    await bob.message(c1, "Bob here")
    await end_and_rate(v1, v1, c1, 5)

    v3, c3 = await request(base, group, "assigned")
    await ann.next("assigned", conversation_id=c3)
    await ann.message(c3, "hello again")
    await end_and_rate(v3, ann, c3, 2)

    await admin.call("PUT", f"/api/v1/admin/skill-groups/{group}/work-hours", CLOSED)
    v4, c4 = await request(base, group, "offline")
    await v4.send({"type": "leave_message", "conversation_id": c4, "client_msg_id": "left",
                   "contact": "v4@example.com", "body": "call me"})
    await v4.next("ack", client_msg_id="left")

    for status in ("away", "offline"):
        await ann.send({"type": "status", "status": status})
        await ann.next("status", status=status)
    await asyncio.sleep(0.05)
    for socket in (v1, v2, v3, v4, ann, bob):
        await socket.close()
    return {"group": group, "ann": ann_id, "bob": bob_id, "served": (c1, c3), "all": (c1, c2, c3, c4)}


async def log_of(admin: Api, **query: str) -> list[dict]:
    return (await admin.call("GET", f"/api/v1/events?{urlencode(query)}&limit=500"))["events"]


async def first_at(admin: Api, cid: str, kind: str, agent_id: str | None = None) -> datetime:
    return min(moment(e["at"]) for e in await log_of(admin, conversation_id=cid, type=kind)
               if agent_id is None or e["agent_id"] == agent_id)


async def first_reply(admin: Api, cid: str, agent_id: str) -> datetime:
    messages = (await admin.call("GET", f"/api/v1/conversations/{cid}/messages"))["messages"]
    return min(moment(m["ts"]) for m in messages
               if m["sender"] == {"kind": "agent", "id": agent_id} and "visibility" not in m)


def seconds(later: datetime, earlier: datetime) -> float:
    return (later - earlier).total_seconds()


async def test_reports_count_known_traffic(any_center):
    base = any_center.url
    admin = await Api(base).login("admin", ADMIN_PASSWORD)
    since = datetime.now(timezone.utc) - timedelta(seconds=1)
    t = await known_traffic(base, admin)
    until = datetime.now(timezone.utc)
    c1, c3 = t["served"]

    # The hand count, from the log and the messages.
    waits, responses, durations = [], [], []
    for cid, replier in ((c1, t["ann"]), (c3, t["ann"])):
        requested = await first_at(admin, cid, "ConversationRequested")
        assigned = await first_at(admin, cid, "ConversationAssigned")
        waits.append(seconds(assigned, requested))
        responses.append(seconds(await first_reply(admin, cid, replier), assigned))
        durations.append(seconds(await first_at(admin, cid, "ConversationEnded"), requested))
    low, high = sorted(waits)
    bob_assigned = await first_at(admin, c1, "ConversationAssigned", t["bob"])
    bob_response = seconds(await first_reply(admin, c1, t["bob"]), bob_assigned)
    presence = {e["data"]["status"]: moment(e["at"]) for e in
                await log_of(admin, agent_id=t["ann"], type="AgentStatusChanged")}

    window = {"since": since.isoformat(), "until": until.isoformat()}
    report = await admin.call("GET", "/api/v1/reports/conversations?" + urlencode(
        {**window, "skill_group": t["group"]}))
    total = report["total"]
    assert report["rows"] == [total] and report["filters"]["skill_group"] == t["group"]
    assert {k: total[k] for k in ("conversations", "answered", "abandoned_in_queue", "left_messages",
                                  "overflowed", "transfers", "ratings", "rating_avg")} == {
        "conversations": 4, "answered": 2, "abandoned_in_queue": 1, "left_messages": 1, "overflowed": 0,
        "transfers": 1, "ratings": 2, "rating_avg": 3.5}
    assert total["wait_avg_s"] == pytest.approx(sum(waits) / 2, abs=CLOCK_SLACK)
    assert total["wait_p90_s"] == pytest.approx(low + 0.9 * (high - low), abs=CLOCK_SLACK)
    assert total["first_response_avg_s"] == pytest.approx(sum(responses) / 2, abs=CLOCK_SLACK)
    assert total["duration_avg_s"] == pytest.approx(sum(durations) / 2, abs=CLOCK_SLACK)

    agents = await admin.call("GET", "/api/v1/reports/agents?" + urlencode(window))
    rows = {r["agent_id"]: r for r in agents["rows"]}
    ann, bob = rows[t["ann"]], rows[t["bob"]]
    assert (ann["display_name"], ann["conversations"], ann["messages"], ann["ratings"], ann["rating_avg"]) == (
        "Ann", 2, 2, 1, 2.0)
    assert ann["first_response_avg_s"] == pytest.approx(sum(responses) / 2, abs=CLOCK_SLACK)
    assert ann["online_s"] == pytest.approx(seconds(presence["away"], presence["online"]), abs=CLOCK_SLACK)
    assert ann["away_s"] == pytest.approx(seconds(presence["offline"], presence["away"]), abs=CLOCK_SLACK)
    assert (bob["conversations"], bob["messages"], bob["ratings"], bob["rating_avg"], bob["away_s"]) == (
        1, 1, 1, 5.0, 0)
    assert bob["first_response_avg_s"] == pytest.approx(bob_response, abs=CLOCK_SLACK)
    # Bob's workspace closed at the end: online until the reconnect grace lapsed, or `until`.
    changes = [(moment(e["at"]), e["data"]["status"]) for e in
               await log_of(admin, agent_id=t["bob"], type="AgentStatusChanged")]
    bob_online = seconds(min([until] + [at for at, status in changes[1:]]), changes[0][0])
    assert changes[0][1] == "online" and bob["online_s"] == pytest.approx(bob_online, abs=CLOCK_SLACK)

    await the_downloads_say_the_same(admin, window, t, total, ann)


async def download(admin: Api, path: str, query: dict) -> httpx.Response:
    async with httpx.AsyncClient(base_url=admin.base_url, timeout=30) as http:
        response = await http.get(f"{path}?{urlencode(query)}", headers={"Authorization": f"Bearer {admin.token}"})
    assert response.status_code == 200, response.text
    return response


async def the_downloads_say_the_same(admin: Api, window: dict, t: dict, total: dict, ann: dict) -> None:
    query = {**window, "skill_group": t["group"], "group_by": "agent"}
    answer = await download(admin, "/api/v1/reports/conversations", {**query, "format": "csv"})
    assert answer.headers["content-type"].startswith("text/csv")
    assert answer.headers["content-disposition"].startswith('attachment; filename="kefu-conversations-')
    lines = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert lines[0][:3] == ["Agent ID", "Conversations", "Answered"] and len(lines[0]) == 17
    assert lines[0][13:] == ["Served by the bot", "Resolved by the bot", "Bot handed off", "Average rating (bot)"]
    by_key = {line[0]: line for line in lines[1:]}
    # v3 was Ann's last, v1 Bob's; v2 and v4 had no agent.
    assert set(by_key) == {t["ann"], t["bob"], "(none)", "Total"}
    assert [int(by_key[k][1]) for k in (t["ann"], t["bob"], "(none)", "Total")] == [1, 1, 2, 4]
    assert float(by_key["Total"][7]) == total["wait_avg_s"] and float(by_key["Total"][12]) == 3.5

    chinese = await download(admin, "/api/v1/reports/conversations", {**query, "format": "csv", "lang": "zh-CN"})
    header = next(csv.reader(io.StringIO(chinese.content.decode("utf-8-sig"))))
    assert header[:4] == ["坐席ID", "会话数", "已接入", "排队放弃"]

    sheet = await download(admin, "/api/v1/reports/agents", {**window, "agent_id": t["ann"], "format": "xlsx",
                                                             "lang": "zh-CN"})
    assert sheet.headers["content-disposition"].endswith('.xlsx"') or ".xlsx" in sheet.headers["content-disposition"]
    rows = list(load_workbook(io.BytesIO(sheet.content), read_only=True).active.iter_rows(values_only=True))
    assert rows[0] == ("坐席ID", "坐席", "在线时长(秒)", "离开时长(秒)", "接待会话数", "发送消息数",
                       "平均首次响应时长(秒)", "评价数", "平均满意度")
    assert rows[1] == (ann["agent_id"], "Ann", ann["online_s"], ann["away_s"], 2, 2,
                       ann["first_response_avg_s"], 1, 2.0)

    book = await download(admin, "/api/v1/reports/conversations", {**window, "skill_group": t["group"],
                                                                    "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(book.content), read_only=True).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("All", "Conversations") and rows[1][:7] == ("Total", 4, 2, 1, 1, 0, 1)


async def test_reports_are_for_supervisors_and_admins(center):
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    window = urlencode({"since": "2026-01-01T00:00:00Z", "until": "2026-02-01T00:00:00Z"})
    supervisor_name, agent_name = unique("su"), unique("ag")
    await admin.create_agent(supervisor_name, {}, 1, role="supervisor")
    await admin.create_agent(agent_name, {}, 1)
    supervisor = await Api(center.url).login(supervisor_name, "secret-pw")
    agent = await Api(center.url).login(agent_name, "secret-pw")
    _, visitor_token = await Api(center.url).new_visitor()
    for report in ("conversations", "agents"):
        path = f"/api/v1/reports/{report}?{window}"
        assert (await supervisor.call("GET", path))["rows"] is not None
        assert (await agent.call("GET", path, expect=403))["error"]["code"] == "forbidden"
        assert (await Api(center.url, visitor_token).call("GET", path, expect=403))["error"]["code"] == "forbidden"
        assert (await Api(center.url).call("GET", path, expect=401))["error"]["code"] == "unauthorized"
        too_long = urlencode({"since": "2025-01-01T00:00:00Z", "until": "2026-02-01T00:00:00Z"})
        refused = await admin.call("GET", f"/api/v1/reports/{report}?{too_long}", expect=422)
        assert "366 days" in refused["error"]["message"]
        assert (await admin.call("GET", f"/api/v1/reports/{report}", expect=422))["error"]["code"] == "invalid_request"
        hourly = urlencode({"since": "2026-01-01T00:00:00Z", "until": "2026-03-01T00:00:00Z", "group_by": "hour"})
        assert "31 days" in (await admin.call("GET", f"/api/v1/reports/{report}?{hourly}", expect=422))[
            "error"]["message"]
    by_group = await admin.call("GET", f"/api/v1/reports/agents?{window}&group_by=skill_group", expect=422)
    assert "skill_group" in by_group["error"]["message"]
    empty = await admin.call("GET", f"/api/v1/reports/conversations?{window}&channel={unique('none')}")
    assert empty["total"]["conversations"] == 0 and empty["rows"] == [empty["total"]]
