"""The console's left messages (留言记录) in a real browser: an admin finds a message left
out of hours, hands it to an agent and replies into the visitor's widget; the visitor's
socket gets the reply, and the visitor's words stay text."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.integration.browser.conftest import screenshot
from tests.integration.browser.desk_support import PageProblems, people  # noqa: F401
from tests.integration.browser.test_console import sign_in
from tests.integration.conftest import ADMIN_PASSWORD

CLOSED = {"timezone": "UTC", "weekly": {}}
XSS = "<img src=x onerror=alert(1)> where is my order?"


def test_an_admin_assigns_a_left_message_and_replies_into_the_widget(center, people, browser_context):  # noqa: F811
    group = people.group()
    people.bg.run(people.admin.call("PUT", f"/api/v1/admin/skill-groups/{group}/work-hours", CLOSED))
    agent = people.agent({group: 1})
    visitor = people.visitor("Vera")
    offline = people.request_chat(visitor, group, answer="offline")
    cid = offline["conversation_id"]

    async def leave() -> None:
        cmid = uuid.uuid4().hex
        await visitor.socket.send({"type": "leave_message", "conversation_id": cid, "client_msg_id": cmid,
                                   "name": "Vera", "contact": "vera@example.com", "body": XSS})
        await visitor.socket.next("ack", client_msg_id=cmid)
    people.bg.run(leave())

    page = browser_context().new_page()
    problems = PageProblems(page)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    sign_in(page, center.url, "admin", ADMIN_PASSWORD)
    page.get_by_role("link", name="Left messages").click()
    row = page.locator(f'tr[data-left="{cid}"]')
    expect(row).to_contain_text(XSS)
    expect(row).to_contain_text("New")
    row.click()
    detail = page.get_by_role("region", name="Left message", exact=True)
    expect(detail).to_contain_text("vera@example.com")
    detail.get_by_label("Assign to").select_option(label=agent.display_name)
    expect(row).to_contain_text("In progress")
    expect(row).to_contain_text(agent.display_name)
    form = page.get_by_role("form", name="Reply")
    form.get_by_label("Reply", exact=True).fill("Your order ships tomorrow.")
    screenshot(page, "console-left-messages-en")
    form.get_by_role("button", name="Send reply").click()
    expect(row).to_contain_text("Replied")
    expect(detail).to_contain_text("Your order ships tomorrow.")

    pushed = people.bg.run(visitor.socket.next("left_message.reply", conversation_id=cid))
    assert pushed["message"]["body"] == "Your order ships tomorrow." and pushed["asked"] == XSS
    form.get_by_role("button", name="Close").click()
    expect(row).to_contain_text("Closed")
    state = people.bg.run(people.admin.call("GET", f"/api/v1/left-messages/{cid}"))["state"]
    assert state == "closed"
    assert not dialogs
    problems.assert_none()
