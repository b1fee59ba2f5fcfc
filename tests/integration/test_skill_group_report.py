"""The skill groups report through the edge, over the known traffic of the reports test:
every figure against a hand count of the group's QueueLeft rows in the log, in JSON,
CSV and XLSX, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode

import pytest
from openpyxl import load_workbook

from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api
from tests.integration.test_reports_api import download, known_traffic, log_of, moment


@pytest.fixture(params=["center", "pg_center"])
def any_center(request):
    return request.getfixturevalue(request.param)


async def test_skill_group_report_counts_the_queue_entries(any_center):
    base = any_center.url
    admin = await Api(base).login("admin", ADMIN_PASSWORD)
    since = datetime.now(timezone.utc) - timedelta(seconds=1)
    t = await known_traffic(base, admin)
    until = datetime.now(timezone.utc)

    # Hand count: v1 and v3 answered by Ann, v2 abandoned waiting; v4's left message
    # (outside work hours) never entered the line; Bob got v1 by a transfer to him.
    left = [e for e in await log_of(admin, type="QueueLeft") if e["skill_group"] == t["group"]]
    assert sorted(e["data"]["outcome"] for e in left) == ["abandoned", "assigned", "assigned"]
    waits = sorted(e["data"]["waited_s"] for e in left if e["data"]["outcome"] == "assigned")
    hours = {moment(e["at"]).strftime("%Y-%m-%dT%H:00Z") for e in left}

    window = {"since": since.isoformat(), "until": until.isoformat(), "skill_group": t["group"]}
    report = await admin.call("GET", "/api/v1/reports/skill-groups?" + urlencode(window))
    # The center's target as it stands (other tests of the run may have changed it).
    target = (await admin.call("GET", "/api/v1/admin/center"))["monitor"]["answer_within_s"]
    assert report["answer_within_s"] == target
    (row,) = report["rows"]
    assert {k: row[k] for k in ("skill_group", "period", "offered", "answered", "abandoned_in_queue",
                                "overflowed_out", "timed_out", "agents_served")} == {
        "skill_group": t["group"], "period": None, "offered": 3, "answered": 2, "abandoned_in_queue": 1,
        "overflowed_out": 0, "timed_out": 0, "agents_served": 1}
    assert row["wait_avg_s"] == pytest.approx(sum(waits) / 2, abs=0.001)
    assert row["wait_p90_s"] == pytest.approx(waits[0] + 0.9 * (waits[1] - waits[0]), abs=0.001)
    # The answered ones within the target, out of 2 answered + 1 abandoned.
    assert row["service_level"] == round(sum(w <= target for w in waits) / 3, 4)

    hourly = await admin.call("GET", "/api/v1/reports/skill-groups?" + urlencode({**window, "group_by": "hour"}))
    assert {r["period"] for r in hourly["rows"]} == hours
    assert sum(r["offered"] for r in hourly["rows"]) == 3

    # The agent filter is the conversation's last agent: v3 is Ann's, v1 ended as Bob's.
    ann = await admin.call("GET", "/api/v1/reports/skill-groups?" + urlencode({**window, "agent_id": t["ann"]}))
    assert [(r["offered"], r["answered"]) for r in ann["rows"]] == [(1, 1)]

    answer = await download(admin, "/api/v1/reports/skill-groups", {**window, "format": "csv"})
    assert answer.headers["content-disposition"].startswith('attachment; filename="kefu-skill-groups-')
    lines = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert lines[0][:3] == ["Skill group", "Offered", "Answered"]
    assert lines[1][:7] == [t["group"], "3", "2", "1", "0", "0", str(row["wait_avg_s"])]
    book = await download(admin, "/api/v1/reports/skill-groups", {**window, "format": "xlsx", "lang": "zh-CN",
                                                                  "group_by": "day"})
    rows = list(load_workbook(io.BytesIO(book.content), read_only=True).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("技能组", "时段(UTC)", "进线数", "已接入")
    assert rows[1][0] == t["group"] and rows[1][2:4] == (3, 2) and rows[1][-2:] == (round(2 / 3, 4), 1)


async def test_skill_group_report_refuses_other_groupings(center):
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    window = urlencode({"since": "2026-01-01T00:00:00Z", "until": "2026-02-01T00:00:00Z"})
    refused = await admin.call("GET", f"/api/v1/reports/skill-groups?{window}&group_by=agent", expect=422)
    assert refused["error"]["code"] == "invalid_request"
    assert (await admin.call("GET", f"/api/v1/reports/skill-groups?{window}"))["rows"] == []
