"""The widget when the network drops: a notice that clears itself, nothing lost or
shown twice (the DOM's messages counted against the seqs), and a leave-message form
that keeps what was typed across the reconnect."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.integration.browser.conftest import screenshot
from tests.integration.browser.visitor_side import (FRAME, LAUNCHER, FrameErrors, agent_side,  # noqa: F401
                                                    customer_site, frames_sent,
                                                    seqs_shown, wait_until, write)
from tests.integration.protocol_client import unique


def test_a_dropped_network_loses_nothing_and_shows_nothing_twice(center, browser_context, agent_side):  # noqa: F811
    group, _, agent = agent_side.online_agent()
    site = customer_site(center.url, group)
    try:
        context = browser_context()
        page = context.new_page()
        errors = FrameErrors(page)
        page.goto(site.url + "/")
        page.get_by_role("button", name=LAUNCHER, exact=True).click()
        chat = page.frame_locator(FRAME)
        box = chat.get_by_role("textbox", name="Message")
        write(box, "before the drop")
        box.press("Enter")
        cid = agent_side.run(agent.next("assigned", timeout=15))["conversation_id"]
        agent_side.run(agent.next("message"))
        expect(chat.locator("li.message.mine", has_text="before the drop")).not_to_have_class("pending")

        context.set_offline(True)
        expect(chat.get_by_text("Connection lost. Reconnecting…")).to_be_visible()
        box.fill("written while offline")
        box.press("Enter")
        expect(chat.get_by_text("Sending…")).to_be_visible()
        for body in ("sent while you were away", "and another one"):
            agent_side.run(agent.message(cid, body))
        screenshot(page, "widget-connection-lost-en")

        context.set_offline(False)
        expect(chat.get_by_text("and another one")).to_be_visible()
        expect(chat.get_by_text("Connected again")).to_be_visible()
        expect(chat.get_by_text("Connected again")).to_be_hidden(timeout=8000)  # it clears itself
        expect(chat.get_by_text("Sending…")).to_have_count(0)
        late = agent_side.run(agent.next("message"))["message"]
        assert late["body"] == "written while offline"

        # One more round trip, then count: every seq once, in order, none missing.
        agent_side.run(agent.message(cid, "all good?"))
        expect(chat.get_by_text("all good?")).to_be_visible()
        assert seqs_shown(chat) == [1, 2, 3, 4, 5]
        assert [m["message"]["body"] for m in agent.all("message")].count("written while offline") == 1
        errors.assert_none()
    finally:
        site.stop()


def test_the_leave_message_form_keeps_what_was_typed_across_a_reconnect(center, browser_context, agent_side):  # noqa: F811
    # Nobody serves this group and its line overflows to a left message at once.
    group = agent_side.run(agent_side.admin.create_group(unique("lm"), queue_timeout_s=1,
                                                         overflow_to="leave_message"))["name"]
    site = customer_site(center.url, group)
    try:
        context = browser_context()
        page = context.new_page()
        errors = FrameErrors(page)
        sent = frames_sent(page)
        page.goto(site.url + "/")
        page.get_by_role("button", name=LAUNCHER, exact=True).click()
        chat = page.frame_locator(FRAME)
        box = chat.get_by_role("textbox", name="Message")
        write(box, "Two cakes of the 2015 Pu-erh, please")
        box.press("Enter")

        expect(chat.get_by_role("heading", name="Leave us a message")).to_be_visible(timeout=15000)
        body = chat.get_by_label("Message *")
        expect(body).to_have_value("Two cakes of the 2015 Pu-erh, please")  # what was written first
        chat.get_by_label("Name", exact=True).fill("Wang Fang")
        chat.get_by_label("Phone or email *").fill("wang@example.com")
        body.fill("Two cakes of the 2015 Pu-erh, please. Call after 6 pm.")

        context.set_offline(True)
        expect(chat.get_by_text("Connection lost. Reconnecting…")).to_be_visible()
        context.set_offline(False)
        expect(chat.get_by_text("Connected again")).to_be_visible()
        expect(chat.get_by_label("Name", exact=True)).to_have_value("Wang Fang")
        expect(chat.get_by_label("Phone or email *")).to_have_value("wang@example.com")
        expect(body).to_have_value("Two cakes of the 2015 Pu-erh, please. Call after 6 pm.")
        screenshot(page, "widget-leave-message-en")

        chat.get_by_role("button", name="Send message").click()
        expect(chat.get_by_text("Thank you! We have your message")).to_be_visible()
        cid = next(f["conversation_id"] for f in sent if f.get("type") in ("leave_message", "message"))
        wait_until(lambda: _left_message(agent_side, cid), page)
        errors.assert_none()
    finally:
        site.stop()


def _left_message(side, cid: str) -> bool:
    """The center kept the left message (through `leave_message`, or as a message of the
    offline conversation where the center does not take that frame yet)."""
    history = side.run(side.admin.call("GET", f"/api/v1/conversations/{cid}/messages"))["messages"]
    return any("Call after 6 pm." in m["body"] for m in history)
