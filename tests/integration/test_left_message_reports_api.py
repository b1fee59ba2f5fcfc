"""The left messages report through the edge: left messages made through the real center
(left out of hours, assigned, replied into the widget, closed), counted by hand in JSON,
CSV and XLSX; a department's supervisor sees their department's only; agents and
visitors are refused."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode

import pytest
from openpyxl import load_workbook

from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, unique
from tests.integration.test_reports_api import download, log_of, moment
from tests.integration.test_visitor_feedback import CLOSED, visitor_in

PATH = "/api/v1/reports/left-messages"


async def leave(center, group: str, body: str) -> str:
    _, _, visitor, offline = await visitor_in(center, group)
    cid, cmid = offline["conversation_id"], uuid.uuid4().hex
    await visitor.send({"type": "leave_message", "conversation_id": cid, "client_msg_id": cmid,
                        "contact": "+86 139 0000 0000", "body": body})
    await visitor.each("ack", "ended")
    await visitor.close()
    return cid


async def test_the_left_messages_report_counts_what_became_of_them(center):
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    north, south = [(await admin.call("POST", "/api/v1/admin/departments", {"name": unique(n)}))["id"]
                    for n in ("North", "South")]
    ga = (await admin.create_group(unique("g"), department_id=north))["name"]
    gb = (await admin.create_group(unique("g"), department_id=south))["name"]
    for group in (ga, gb):
        await admin.call("PUT", f"/api/v1/admin/skill-groups/{group}/work-hours", CLOSED)
    username = unique("ag")
    li_id = await admin.create_agent(username, {ga: 1}, 2, department_id=north)
    li = await Api(center.url).login(username, "secret-pw")
    sup_name = unique("su")
    await admin.create_agent(sup_name, {}, 1, role="supervisor", department_id=north)
    sup = await Api(center.url).login(sup_name, "secret-pw")

    since = datetime.now(timezone.utc) - timedelta(seconds=1)
    answered, dropped, waiting = [await leave(center, g, b) for g, b in
                                  ((ga, "where is my tea?"), (ga, "never mind"), (gb, "call me"))]
    await admin.call("POST", f"/api/v1/left-messages/{answered}/assign", {"agent_id": li_id})
    await li.call("POST", f"/api/v1/left-messages/{answered}/reply",
                  {"body": "It left today.", "client_msg_id": uuid.uuid4().hex})
    await admin.call("POST", f"/api/v1/left-messages/{dropped}/close")
    until = datetime.now(timezone.utc) + timedelta(seconds=1)
    # Hand count: ga has two (one assigned and replied in the widget, one closed without
    # a reply), gb one still open. The first reply's time from the log.
    left_at = moment((await log_of(admin, conversation_id=answered, type="LeftMessageSubmitted"))[0]["at"])
    replied_at = moment((await log_of(admin, conversation_id=answered, type="LeftMessageReplied"))[0]["at"])
    first_reply = (replied_at - left_at).total_seconds()

    window = {"since": since.isoformat(), "until": until.isoformat()}
    by_group = await admin.call("GET", f"{PATH}?{urlencode({**window, 'group_by': 'skill_group'})}")
    rows = {r["key"]: r for r in by_group["rows"]}
    figures = ("submitted", "assigned", "replied", "replied_in_widget", "replied_by_email", "closed_without_reply",
               "still_open")
    assert [rows[ga][f] for f in figures] == [2, 1, 1, 1, 0, 1, 0]
    assert [rows[gb][f] for f in figures] == [1, 0, 0, 0, 0, 0, 1]
    assert rows[ga]["first_reply_avg_s"] == pytest.approx(first_reply, abs=0.01)
    assert rows[ga]["first_reply_p90_s"] == rows[ga]["first_reply_avg_s"]  # one reply
    assert by_group["total"]["submitted"] >= 3  # other tests' left messages of the window too

    by_agent = await admin.call("GET", f"{PATH}?{urlencode({**window, 'group_by': 'agent', 'agent_id': li_id})}")
    assert [(r["key"], r["submitted"], r["replied"]) for r in by_agent["rows"]] == [(li_id, 1, 1)]

    # North's supervisor: North's group only, whatever the filter asks.
    theirs = await sup.call("GET", f"{PATH}?{urlencode({**window, 'group_by': 'skill_group'})}")
    assert {r["key"] for r in theirs["rows"]} == {ga}
    assert (await sup.call("GET", f"{PATH}?{urlencode({**window, 'skill_group': gb})}"))["total"]["submitted"] == 0
    assert (await li.call("GET", f"{PATH}?{urlencode(window)}", expect=403))["error"]["code"] == "forbidden"
    assert (await Api(center.url).call("GET", f"{PATH}?{urlencode(window)}", expect=401))["error"]["code"] == \
        "unauthorized"

    query = {**window, "skill_group": ga, "group_by": "skill_group"}
    answer = await download(admin, PATH, {**query, "format": "csv"})
    assert answer.headers["content-disposition"].startswith('attachment; filename="kefu-left-messages-')
    lines = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert lines[0][:4] == ["Skill group", "Left messages", "Assigned", "Replied"] and len(lines[0]) == 10
    assert [line[:8] for line in lines[1:]] == [[ga, "2", "1", "1", "1", "0", "1", "0"],
                                               ["Total", "2", "1", "1", "1", "0", "1", "0"]]
    book = await download(admin, PATH, {**window, "skill_group": gb, "format": "xlsx", "lang": "zh-CN"})
    sheet = list(load_workbook(io.BytesIO(book.content), read_only=True).active.iter_rows(values_only=True))
    assert sheet[0][:3] == ("全部", "留言数", "已分配") and sheet[0][7] == "期末未处理"
    assert sheet[1][:8] == ("合计", 1, 0, 0, 0, 0, 0, 1) and not any(sheet[1][8:])  # no reply: no times

    hourly = urlencode({"since": "2026-01-01T00:00:00Z", "until": "2026-03-01T00:00:00Z", "group_by": "hour"})
    assert "31 days" in (await admin.call("GET", f"{PATH}?{hourly}", expect=422))["error"]["message"]
