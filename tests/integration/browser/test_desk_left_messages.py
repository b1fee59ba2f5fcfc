"""Left messages (留言记录) on the desk, in two real browsers: a visitor leaves a message
from the widget on a customer's site out of hours; a supervisor (the admin, through the
API) hands it to an agent, whose open desk shows it at once (pushed: the tab's badge and
the list); the agent opens it, replies into the widget, and the visitor's next visit
shows the reply card until "Got it", after which it does not come back. The visitor's
words stay text."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.integration.browser.conftest import screenshot
from tests.integration.browser.desk_support import PageProblems, people, sign_in  # noqa: F401
from tests.integration.browser.visitor_side import (FRAME, LAUNCHER, LAUNCHER_BUTTON, FrameErrors, customer_site,
                                                    frames_received, frames_sent, wait_until, write)

CLOSED = {"timezone": "UTC", "weekly": {}}  # no day has a window: always closed
ASKED = "<b>Two cakes</b> of the 2015 Pu-erh — do you ship to Hangzhou?"
REPLY = "Yes, we ship to Hangzhou: two days by SF Express."


def open_widget(page):
    launcher = page.locator(LAUNCHER_BUTTON)
    expect(launcher).to_be_visible()
    if launcher.get_attribute("aria-expanded") != "true":
        page.get_by_role("button", name=LAUNCHER, exact=True).click()
    return page.frame_locator(FRAME)


def test_an_assigned_left_message_reaches_the_desk_and_its_reply_the_next_visit(center, people,
                                                                                browser_context):  # noqa: F811
    group, other = people.group(), people.group()
    people.bg.run(people.admin.call("PUT", f"/api/v1/admin/skill-groups/{group}/work-hours", CLOSED))
    # Not in the closed group: the message reaches this agent only by being assigned.
    agent = people.agent({other: 1})
    site = customer_site(center.url, group)
    try:
        visitor_page = browser_context().new_page()
        widget_errors = FrameErrors(visitor_page)
        sent, received = frames_sent(visitor_page), frames_received(visitor_page)
        visitor_page.goto(site.url + "/")
        chat = open_widget(visitor_page)
        box = chat.get_by_role("textbox", name="Message")
        write(box, ASKED)
        box.press("Enter")
        expect(chat.get_by_role("heading", name="Leave us a message")).to_be_visible()
        chat.get_by_label("Name", exact=True).fill("Wang Fang")
        chat.get_by_label("Phone or email *").fill("+86 138 0000 0000")
        chat.get_by_role("button", name="Send message").click()
        expect(chat.get_by_text("Thank you! We have your message")).to_be_visible()
        cid = next(f["conversation_id"] for f in sent if f.get("type") == "leave_message")

        desk = browser_context().new_page()
        problems = PageProblems(desk)
        dialogs: list[str] = []
        desk.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        sign_in(desk, center.url, agent)
        tab = desk.get_by_role("tab", name=re.compile(r"^Left messages"))
        tab.click()
        expect(desk.get_by_text("No left message waits for you.")).to_be_visible()
        expect(tab.locator(".badge")).to_have_count(0)

        # The supervisor hands it over; the desk hears of it over its socket, not by reloading.
        people.bg.run(people.admin.call("POST", f"/api/v1/left-messages/{cid}/assign",
                                        {"agent_id": agent.agent_id}))
        expect(tab).to_have_accessible_name("Left messages (1)")
        expect(tab.locator(".badge")).to_have_text("1")
        expect(desk.get_by_role("status").filter(has_text="A left message was assigned to you.")).to_be_visible()
        item = desk.locator(f'li[data-left="{cid}"]')
        expect(item).to_contain_text("Wang Fang")
        expect(item).to_contain_text(ASKED)  # the visitor's markup as text
        expect(item).to_contain_text("In progress")

        item.get_by_role("button").click()
        view = desk.get_by_role("region", name="Left message from Wang Fang")
        expect(view.get_by_role("list", name="The left message and its replies")).to_contain_text(ASKED)
        facts = view.get_by_role("definition")
        expect(facts.filter(has_text="+86 138 0000 0000")).to_have_count(1)
        expect(facts.filter(has_text="Outside work hours")).to_have_count(1)
        expect(view.locator("b")).to_have_count(0)
        # No address to write to (and no mail server): the reply goes into the widget.
        expect(view.get_by_label("By email")).to_be_disabled()
        expect(view.get_by_label("In the chat window")).to_be_checked()
        view.get_by_label("Your reply").fill(REPLY)
        screenshot(desk, "desk-left-messages-en")
        view.get_by_role("button", name="Send reply").click()
        expect(desk.get_by_role("status").filter(has_text="waiting in the visitor's chat window")).to_be_visible()
        expect(item).to_have_count(0)  # done: no longer in the list to do
        expect(tab.locator(".badge")).to_have_count(0)
        desk.get_by_label("Show").select_option(label="Replied")
        expect(item).to_contain_text("Replied")
        expect(view.get_by_role("list", name="The left message and its replies")).to_contain_text(REPLY)

        # The next visit: the reply is waiting in a card above the chat.
        visitor_page.reload()
        chat = open_widget(visitor_page)
        card = chat.get_by_role("region", name="Reply to your message")
        expect(card).to_contain_text(REPLY)
        expect(card).to_contain_text(ASKED)
        expect(card.locator("b")).to_have_count(0)
        card.get_by_role("button", name="Got it").click()
        expect(card).to_have_count(0)
        wait_until(lambda: people.bg.run(people.admin.call("GET", f"/api/v1/left-messages/{cid}"))["reply_seen_at"],
                   visitor_page)

        # And the one after: gone for good. A chat request is answered after any reply the
        # socket would have sent on connecting, so its answer proves none came.
        visitor_page.reload()
        before = len(received)
        chat = open_widget(visitor_page)
        box = chat.get_by_role("textbox", name="Message")
        write(box, "One more question")
        box.press("Enter")
        expect(chat.get_by_role("heading", name="Leave us a message")).to_be_visible()
        wait_until(lambda: any(f.get("type") == "offline" for f in received[before:]), visitor_page)
        assert not [f for f in received[before:] if f.get("type") == "left_message.reply"]
        expect(chat.get_by_role("region", name="Reply to your message")).to_have_count(0)

        detail = people.bg.run(people.admin.call("GET", f"/api/v1/left-messages/{cid}"))
        assert (detail["state"], detail["assignee_id"], detail["reply_via"]) == ("replied", agent.agent_id, "widget")
        assert not dialogs
        problems.assert_none()
        widget_errors.assert_none()
    finally:
        site.stop()
