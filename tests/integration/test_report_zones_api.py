"""The reports' `tz` through the edge: labels, the range read in the zone, the downloads'
headers and names, the center's own zone as the default, and names that are no zone."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import httpx

from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, Socket, unique

CLOSED = {"timezone": "UTC", "weekly": {}}  # no window: every request is offered a left message
REPORTS = ("conversations", "agents", "skill-groups", "customers", "left-messages")
BEIJING = ZoneInfo("Asia/Shanghai")


async def left_message(base: str, admin: Api) -> tuple[str, datetime]:
    """A chat request in a closed group, and the message the visitor leaves: (group, requested at)."""
    group = (await admin.create_group(unique("g")))["name"]
    await admin.call("PUT", f"/api/v1/admin/skill-groups/{group}/work-hours", CLOSED)
    _, token = await Api(base).new_visitor(unique("v"))
    socket = await Socket.open(base, "visitor", token)
    await socket.next("welcome")
    await socket.send({"type": "chat.request", "skill_group": group})
    cid = (await socket.next("offline"))["conversation_id"]
    await socket.send({"type": "leave_message", "conversation_id": cid, "client_msg_id": "left",
                       "contact": "v@example.com", "body": "call me"})
    await socket.next("ack", client_msg_id="left")
    await socket.close()
    events = (await admin.call("GET", f"/api/v1/events?conversation_id={cid}&type=ConversationRequested"))["events"]
    return group, datetime.fromisoformat(events[0]["at"].replace("Z", "+00:00"))


def naive(at: datetime, zone) -> str:
    return at.astimezone(zone).replace(tzinfo=None).isoformat(timespec="seconds")


async def test_a_report_in_beijing_time(center):
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    group, requested = await left_message(center.url, admin)
    local = requested.astimezone(BEIJING)
    hour = local.strftime("%Y-%m-%dT%H:00+08:00")
    # since and until without an offset are Beijing's clock.
    window = {"since": naive(requested - timedelta(minutes=5), BEIJING),
              "until": naive(requested + timedelta(minutes=5), BEIJING), "skill_group": group, "tz": "Asia/Shanghai"}
    report = await admin.call("GET", f"/api/v1/reports/conversations?{urlencode({**window, 'group_by': 'hour'})}")
    assert report["tz"] == "Asia/Shanghai" and [(r["key"], r["conversations"]) for r in report["rows"]] == [(hour, 1)]
    daily = await admin.call("GET", f"/api/v1/reports/left-messages?{urlencode({**window, 'group_by': 'day'})}")
    assert [(r["key"], r["submitted"]) for r in daily["rows"]] == [(local.strftime("%Y-%m-%d"), 1)]
    # The same clock read as UTC is eight hours earlier: nothing then.
    as_utc = {**window, "tz": "UTC"}
    assert (await admin.call("GET", f"/api/v1/reports/conversations?{urlencode(as_utc)}"))["total"]["conversations"] == 0

    async with httpx.AsyncClient(base_url=center.url, timeout=30) as http:
        answer = await http.get(f"/api/v1/reports/conversations?{urlencode({**window, 'group_by': 'hour', 'format': 'csv'})}",
                                headers={"Authorization": f"Bearer {admin.token}"})
    assert answer.status_code == 200, answer.text
    lines = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert lines[0][:2] == ["Hour (Asia/Shanghai)", "Conversations"] and lines[1][:2] == [hour, "1"]
    assert f"kefu-conversations-{local:%Y%m%d}-" in answer.headers["content-disposition"]


async def test_the_centers_zone_is_the_default(center):
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    before = (await admin.call("GET", "/api/v1/admin/work-hours"))["work_hours"]
    query = urlencode({"since": "2026-03-01T00:00", "until": "2026-03-02T00:00"})
    assert (await admin.call("GET", f"/api/v1/reports/agents?{query}"))["tz"] == (before or {}).get("timezone", "UTC")
    # Always open, in Beijing: only the reports' zone changes.
    await admin.call("PUT", "/api/v1/admin/work-hours", {"timezone": "Asia/Shanghai", "weekly": {"daily": ["00:00-24:00"]}})
    try:
        report = await admin.call("GET", f"/api/v1/reports/skill-groups?{query}")
        assert report["tz"] == "Asia/Shanghai"
        assert report["since"].startswith("2026-02-28T16:00")  # Beijing's midnight of 03-01
        assert (await admin.call("GET", f"/api/v1/reports/customers?{query}&tz=UTC"))["tz"] == "UTC"
    finally:
        if before is None:
            await admin.call("DELETE", "/api/v1/admin/work-hours")
        else:
            await admin.call("PUT", "/api/v1/admin/work-hours", before)


async def test_a_name_that_is_no_zone_is_refused(center):
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    for report in REPORTS:
        for name in ("Mars/Olympus", "../../etc/passwd", "Asia/"):
            query = urlencode({"since": "2026-03-01T00:00:00Z", "until": "2026-03-02T00:00:00Z", "tz": name})
            refused = await admin.call("GET", f"/api/v1/reports/{report}?{query}", expect=422)
            assert refused["error"]["code"] == "invalid_request" and "time zone" in refused["error"]["message"]
        too_long = urlencode({"since": "2026-03-01T00:00:00Z", "until": "2026-03-02T00:00:00Z", "tz": "A" * 65})
        assert (await admin.call("GET", f"/api/v1/reports/{report}?{too_long}", expect=422))["error"]["code"]
