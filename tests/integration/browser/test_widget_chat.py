"""A visitor on a customer's site (another origin than the center's) opens the widget,
waits in line, chats with the agent, closes it, gets an unread badge, goes to another
page of the site and finds the same conversation there. The agent side is the Python
protocol client; everything the visitor sees is checked in chromium.
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.integration.browser.conftest import screenshot
from tests.integration.browser.visitor_side import (FRAME, LAUNCHER, LAUNCHER_BUTTON, XSS, FrameErrors, agent_side,  # noqa: F401
                                                    customer_site, frames_sent,
                                                    seqs_shown, wait_until, write)


def test_a_visitor_waits_in_line_chats_and_finds_the_conversation_on_the_next_page(
        center, browser_context, agent_side):  # noqa: F811
    group, _, agent = agent_side.online_agent(max_concurrent=1)
    # Someone else holds the agent's only slot: our visitor waits.
    other = agent_side.visitor()
    agent_side.run(other.send({"type": "chat.request", "skill_group": group}))
    first = agent_side.run(agent.next("assigned"))
    site = customer_site(center.url, group)
    try:
        context = browser_context()
        page = context.new_page()
        errors = FrameErrors(page)
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        sent = frames_sent(page)
        page.goto(site.url + "/")

        expect(page.get_by_role("button", name=LAUNCHER, exact=True)).to_be_visible()
        launcher = page.locator(LAUNCHER_BUTTON)  # the same button whatever its name says
        expect(launcher).to_have_attribute("aria-expanded", "false")
        # The frame keeps the visitor's socket (page views, invitations) but shows nothing
        # until the visitor asks for it.
        expect(page.locator(FRAME)).to_be_hidden()
        expect(page.locator(FRAME)).to_have_count(1)
        wait_until(lambda: any(f["type"] == "page.view" for f in sent), page)
        view = next(f for f in sent if f["type"] == "page.view")
        assert view["url"] == site.url + "/" and view["title"] == "Lotus Tea House"
        assert "vt=" not in view["url"]

        launcher.click()
        expect(launcher).to_have_attribute("aria-expanded", "true")
        expect(launcher).to_have_accessible_name("Close the chat")
        chat = page.frame_locator(FRAME)
        box = chat.get_by_role("textbox", name="Message")
        expect(box).to_be_focused()
        write(box, f"Hello {XSS}")
        box.press("Enter")
        expect(chat.get_by_text("You are number 1 in line")).to_be_visible()
        screenshot(page, "widget-queued-en")

        agent_side.run(agent.send({"type": "chat.end", "conversation_id": first["conversation_id"]}))
        assigned = agent_side.run(agent.next("assigned", timeout=15))
        cid = assigned["conversation_id"]
        name = assigned["agent"]["display_name"]
        expect(chat.get_by_text(f"{name} is here to help")).to_be_visible()
        written = agent_side.run(agent.next("message"))["message"]
        assert written["body"] == f"Hello {XSS}" and written["conversation_id"] == cid

        agent_side.run(agent.message(cid, f"See https://example.com/tea?id=7. Not javascript:alert(1) {XSS}"))
        reply = chat.locator("li.message.theirs", has_text="See https://example.com/tea?id=7")
        expect(reply).to_be_visible()
        link = reply.get_by_role("link")
        expect(link).to_have_count(1)
        expect(link).to_have_attribute("href", "https://example.com/tea?id=7")
        expect(link).to_have_attribute("rel", "noopener noreferrer nofollow")
        expect(link).to_have_attribute("target", "_blank")
        expect(chat.locator(".messages img")).to_have_count(0)  # markup stayed text
        expect(chat.locator("li.message.mine", has_text=f"Hello {XSS}")).to_be_visible()

        box.type("line one")
        box.press("Shift+Enter")
        box.type("line two")
        box.press("Enter")
        assert agent_side.run(agent.next("message"))["message"]["body"] == "line one\nline two"
        screenshot(page, "widget-chat-en")

        page.keyboard.press("Escape")
        expect(page.locator(FRAME)).to_be_hidden()
        expect(launcher).to_be_focused()
        agent_side.run(agent.message(cid, "Are you still there?"))
        expect(page.get_by_role("button", name=f"{LAUNCHER}, 1 unread")).to_be_visible()
        expect(page).to_have_title("(1) Lotus Tea House")
        screenshot(page, "widget-unread-en")

        cookies = {c["name"] for c in context.cookies(site.url)}
        assert "kefu_visitor_token" in cookies
        assert "kefu_visitor" in cookies

        page.get_by_role("link", name="Aged Pu-erh, 2015").click()
        expect(page).to_have_title("Aged Pu-erh, 2015 - Lotus Tea House")
        page.get_by_role("button", name=LAUNCHER, exact=True).click()
        expect(chat.get_by_text("Are you still there?")).to_be_visible()
        expect(chat.get_by_text(f"{name} is here to help")).to_be_visible()
        shown = seqs_shown(chat)
        assert shown == list(range(1, 5)), shown  # the whole history, each message once
        assert not dialogs
        errors.assert_none()
    finally:
        site.stop()
