"""Chat records in the console, in a real browser: a supervisor searches a word and sees
it highlighted in the result's snippet, downloads every match as CSV, opens the live
conversation beside the visitor's trail (pages browsed, device, earlier conversations)
and transfers it to another agent, whose socket gets it assigned."""

from __future__ import annotations

import csv
import io

from playwright.sync_api import expect

from tests.integration.browser.conftest import screenshot
from tests.integration.browser.desk_support import PageProblems, people  # noqa: F401
from tests.integration.browser.test_console import sign_in, supervisor
from tests.integration.protocol_client import staff_member
from tests.integration.test_chat_records_search import searchable

SHOP = "https://shop.example.cn"


def test_a_supervisor_finds_a_chat_sees_the_trail_downloads_and_transfers_it(center, people, browser_context):
    group = people.group()
    ann_id, ann = people.bg.run(staff_member(people.admin, {group: 1}, 3, display_name="Ann"))
    visitor = people.visitor("Tina")
    for path, title in (("/tea", "Tea <shop>"), ("/tea/puer", "普洱 Pu'er")):
        people.bg.run(visitor.socket.send({"type": "page.view", "url": SHOP + path, "title": title}))
    assigned = people.request_chat(visitor, group)
    assert assigned["agent"]["id"] == ann_id
    people.say(visitor, "我想退货，订单 42 <b>now</b>")
    bob_id, bob = people.bg.run(staff_member(people.admin, {group: 1}, 3, display_name="Bob"))
    _, username = supervisor(people)
    people.bg.run(searchable(people.admin, group, "退货", [visitor.conversation_id]))

    page = browser_context(accept_downloads=True).new_page()
    problems = PageProblems(page)
    sign_in(page, center.url, username)
    page.get_by_role("link", name="Chat records").click()
    filters = page.get_by_role("form", name="Search chat records")
    filters.get_by_label("Words in messages").fill("退货")
    filters.get_by_label("Skill group").select_option(group)
    filters.get_by_role("button", name="Search").click()
    row = page.locator(f'tr[data-conversation="{visitor.conversation_id}"]')
    expect(row.locator("mark")).to_have_text("退货")
    expect(row.locator("td.snippet-cell")).to_have_text("我想退货，订单 42 <b>now</b>")  # text, not markup
    expect(page.locator("tr[data-conversation]")).to_have_count(1)
    screenshot(page, "console-records-snippet-en")

    with page.expect_download() as saved:
        filters.get_by_role("group", name="Download every match").get_by_role("button", name="CSV").click()
    lines = list(csv.reader(io.StringIO(open(saved.value.path(), encoding="utf-8-sig").read())))
    assert [line[0] for line in lines[1:]] == [visitor.conversation_id]
    assert lines[0][-1] == "Matching message" and lines[1][-1] == "我想退货，订单 42 <b>now</b>"

    row.get_by_role("button", name="Watch").click()
    trail = page.get_by_role("list", name="Pages browsed")
    expect(trail.get_by_role("listitem")).to_have_count(2)
    expect(trail.get_by_role("listitem").first).to_contain_text("普洱 Pu'er")
    expect(trail.get_by_role("listitem").last).to_contain_text("Tea <shop>")
    expect(page.locator(".record-visitor")).to_contain_text("Tina")
    expect(page.get_by_role("log", name="Messages")).to_contain_text("我想退货")
    screenshot(page, "console-record-trail-en")

    page.get_by_role("group", name="Supervision").get_by_role("button", name="Transfer").click()
    dialog = page.get_by_role("dialog", name="Transfer the conversation")
    expect(dialog.get_by_role("button", name="Transfer to Bob")).to_be_enabled()
    expect(dialog.get_by_role("button", name="Transfer to Ann")).to_have_count(0)  # the owner now
    screenshot(page, "console-transfer-en")
    dialog.get_by_role("button", name="Transfer to Bob").click()
    moved = people.bg.run(bob.next("assigned", conversation_id=visitor.conversation_id, timeout=10), 15)
    assert moved["transferred_from"] == {"agent_id": ann_id}
    assert people.next_frame(visitor, "transferred")["to"]["agent_id"] == bob_id
    expect(page.locator("dl.facts")).to_contain_text("Bob")
    record = people.bg.run(people.admin.call("GET", f"/api/v1/conversations/{visitor.conversation_id}"))
    assert record["agent_id"] == bob_id
    problems.assert_none()
    for socket in (ann, bob):
        people.bg.run(socket.close())
