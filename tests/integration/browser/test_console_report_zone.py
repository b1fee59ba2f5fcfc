"""The console's reports in the browser's time zone: a Beijing browser (zh-CN) and a New York
one (en) each show a left message in their own local hour and say which zone the times are
in; the XLSX download names the zone in its hour column; the quick ranges are local dates."""

from __future__ import annotations

import io
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
from playwright.sync_api import expect

from tests.integration.browser.conftest import screenshot
from tests.integration.browser.desk_support import PageProblems, people  # noqa: F401
from tests.integration.browser.test_console import sign_in
from tests.integration.conftest import ADMIN_PASSWORD

CLOSED = {"timezone": "UTC", "weekly": {}}


def left_message(people, group: str) -> datetime:
    """A message left in `group` now: when it was requested (the log's time)."""
    visitor = people.visitor("Rita")
    cid = people.request_chat(visitor, group, answer="offline")["conversation_id"]
    cmid = uuid.uuid4().hex
    people.bg.run(visitor.socket.send({"type": "leave_message", "conversation_id": cid, "client_msg_id": cmid,
                                       "contact": "rita@example.com", "body": "Open on Sunday?"}))
    people.next_frame(visitor, "ack", client_msg_id=cmid)
    people.close(visitor)
    log = people.bg.run(people.admin.call("GET", f"/api/v1/events?conversation_id={cid}&type=ConversationRequested"))
    return datetime.fromisoformat(log["events"][0]["at"].replace("Z", "+00:00"))


def hourly_report(page, url: str, group: str) -> None:
    sign_in(page, url, "admin", ADMIN_PASSWORD)
    page.locator('a[href="#/reports"]').click()
    form = page.locator("form.inline-form")
    form.locator('select[name="group_by"]').select_option("hour")
    form.locator('select[name="skill_group"]').select_option(group)
    form.locator('button[type="submit"]').click()


def test_reports_in_the_browsers_zone(center, people, browser_context):  # noqa: F811
    group = people.group()
    people.bg.run(people.admin.call("PUT", f"/api/v1/admin/skill-groups/{group}/work-hours", CLOSED))
    requested = left_message(people, group)

    for locale, zone, said in (("zh-CN", "Asia/Shanghai", "时间按 Asia/Shanghai 时区计算"),
                               ("en-US", "America/New_York", "Times in America/New_York")):
        local = requested.astimezone(ZoneInfo(zone))
        hour = local.strftime("%Y-%m-%dT%H:00") + local.strftime("%z")[:3] + ":" + local.strftime("%z")[3:]
        page = browser_context(locale=locale, timezone_id=zone).new_page()
        problems = PageProblems(page)
        hourly_report(page, center.url, group)
        row = page.locator("table.report tbody tr").first
        expect(row.locator("td").first).to_have_text(hour)
        expect(row.locator('td[data-column="conversations"]')).to_have_text("1")
        expect(page.get_by_text(said)).to_be_visible()
        screenshot(page, f"console-report-zone-{locale}")
        with page.expect_download() as download:
            page.locator("form.inline-form button", has_text="XLSX").click()
        with open(download.value.path(), "rb") as saved:
            rows = list(openpyxl.load_workbook(io.BytesIO(saved.read()), read_only=True).active.iter_rows(
                values_only=True))
        assert rows[0][0] == ("小时" if locale == "zh-CN" else "Hour ") + f"({zone})"
        assert rows[1][:2] == (hour, 1)
        # The quick ranges are the browser's local calendar.
        today = datetime.now(ZoneInfo(zone)).date()
        page.locator('button[data-range="yesterday"]').click()
        expect(page.locator('input[name="from"]')).to_have_value(str(today - timedelta(days=1)))
        expect(page.locator('input[name="to"]')).to_have_value(str(today - timedelta(days=1)))
        page.locator('button[data-range="month"]').click()
        expect(page.locator('input[name="from"]')).to_have_value(str(today.replace(day=1)))
        expect(page.locator('input[name="to"]')).to_have_value(str(today))
        problems.assert_none()
