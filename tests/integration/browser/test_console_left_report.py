"""The console's left messages report in a real browser: two messages left today in a
closed group, one assigned and answered in the widget, one closed without a reply; the
Left messages tab of Reports shows those counts and downloads them as XLSX."""

from __future__ import annotations

import io
import uuid

import openpyxl
from playwright.sync_api import expect

from tests.integration.browser.conftest import screenshot
from tests.integration.browser.desk_support import PageProblems, people  # noqa: F401
from tests.integration.browser.test_console import sign_in
from tests.integration.conftest import ADMIN_PASSWORD

CLOSED = {"timezone": "UTC", "weekly": {}}


def test_the_left_messages_report_shows_todays_known_counts(center, people, browser_context):  # noqa: F811
    group = people.group()
    people.bg.run(people.admin.call("PUT", f"/api/v1/admin/skill-groups/{group}/work-hours", CLOSED))
    agent = people.agent({group: 1})
    left = []
    for body in ("Is the shop open on Sunday?", "Never mind"):
        visitor = people.visitor("Rita")
        cid = people.request_chat(visitor, group, answer="offline")["conversation_id"]
        cmid = uuid.uuid4().hex
        people.bg.run(visitor.socket.send({"type": "leave_message", "conversation_id": cid, "client_msg_id": cmid,
                                           "contact": "rita@example.com", "body": body}))
        people.next_frame(visitor, "ack", client_msg_id=cmid)
        people.close(visitor)
        left.append(cid)
    answered, dropped = left
    people.bg.run(people.admin.call("POST", f"/api/v1/left-messages/{answered}/assign", {"agent_id": agent.agent_id}))
    people.bg.run(people.admin.call("POST", f"/api/v1/left-messages/{answered}/reply",
                                    {"body": "Yes, 10 to 18.", "client_msg_id": uuid.uuid4().hex}))
    people.bg.run(people.admin.call("POST", f"/api/v1/left-messages/{dropped}/close"))

    page = browser_context(locale="en-US").new_page()
    problems = PageProblems(page)
    sign_in(page, center.url, "admin", ADMIN_PASSWORD)
    page.get_by_role("link", name="Reports").click()
    page.get_by_role("tab", name="Left messages").click()
    form = page.get_by_role("form", name="Report filters")
    form.get_by_role("combobox", name="Group by").select_option("skill_group")
    form.get_by_role("combobox", name="Skill group").select_option(group)
    form.get_by_role("button", name="Show").click()
    table = page.get_by_role("table", name="Left messages")
    row = table.locator("tbody tr").first
    expect(row.locator("td").first).to_have_text(group)
    for column, text in (("submitted", "2"), ("assigned", "1"), ("replied", "1"), ("replied_in_widget", "1"),
                         ("replied_by_email", "0"), ("closed_without_reply", "1"), ("still_open", "0")):
        expect(row.locator(f'td[data-column="{column}"]')).to_have_text(text)
    expect(row.locator('td[data-column="first_reply_p90_s"]')).not_to_have_text("—")
    expect(page.get_by_text("as it stood at the end of the range")).to_be_visible()
    screenshot(page, "console-report-left-messages-en")
    with page.expect_download() as download:
        form.get_by_role("button", name="XLSX").click()
    assert download.value.suggested_filename.startswith("kefu-left-messages-")
    with open(download.value.path(), "rb") as saved:
        rows = list(openpyxl.load_workbook(io.BytesIO(saved.read()), read_only=True).active.iter_rows(values_only=True))
    figures = dict(zip(rows[0], rows[-1]))
    assert (rows[-1][0], figures["Left messages"], figures["Replied"], figures["Still open at the end"]) == (
        "Total", 2, 1, 0)
    problems.assert_none()
