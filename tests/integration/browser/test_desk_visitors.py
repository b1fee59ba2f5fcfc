"""Visitors seen from the desk: who is browsing now (page, time on site, source) with
an invitation and its outcome (a refused one too, tied to its row by its request id),
and the visitor panel's trail of pages."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.integration.browser.conftest import screenshot
from tests.integration.browser.desk_support import PageProblems, go_online, people, sign_in  # noqa: F401
from tests.integration.browser.visitor_side import frames_received, frames_sent, wait_until

HOSTILE_TITLE = '<img src=x onerror="window.__pwned=3">Tea & <b>cups</b>'


def test_browsing_visitors_invited_and_their_trail(center, people, browser_context):
    group = people.group()
    agent = people.agent({group: 1}, cap=2)
    page = browser_context().new_page()
    problems = PageProblems(page)
    sent, received = frames_sent(page), frames_received(page)
    sign_in(page, center.url, agent)
    go_online(page)

    visitor = people.visitor("Bea")
    for url, title in (("https://shop.example/", "Home"), ("https://shop.example/tea", HOSTILE_TITLE)):
        people.bg.run(visitor.socket.send({"type": "page.view", "url": url, "title": title,
                                           "referrer": "https://www.baidu.com/s?wd=tea"}))
    page.get_by_role("tab", name="Browsing").click()
    row = page.locator(f'.browsing[data-visitor="{visitor.visitor_id}"]')
    expect(row).to_contain_text(HOSTILE_TITLE)
    screenshot(page, "desk-browsing-en")
    row.get_by_role("button", name="Invite Bea to chat").click()
    invitation = people.next_frame(visitor, "invitation")
    expect(row.get_by_role("status")).to_have_text("Invitation sent")
    people.bg.run(visitor.socket.send({"type": "invitation.decline",
                                       "invitation_id": invitation["invitation_id"]}))
    expect(row.get_by_role("status")).to_have_text("Invitation declined")

    # She asks for a chat herself while the list on screen still offers to invite her
    # (its refreshes held back): the center refuses, and the desk says so on her row.
    held = []

    def hold(route) -> None:
        held.append(route)

    page.route("**/api/v1/visitors/online*", hold)
    people.request_chat(visitor, group)
    row.get_by_role("button", name="Invite Bea to chat").click()
    expect(row.get_by_role("status")).to_have_text("Invitation not sent")
    expect(page.get_by_role("alert")).to_contain_text("already in a conversation")
    invite = [f for f in sent if f["type"] == "invite"][-1]
    wait_until(lambda: any(f["type"] == "error" and f.get("request_id") == invite["request_id"]
                           for f in received), page)
    page.unroute("**/api/v1/visitors/online*")
    for route in held:
        route.continue_()
    page.get_by_role("tab", name="Chats (1)").click()
    panel = page.get_by_role("complementary", name="Visitor")
    expect(panel.get_by_role("heading", name="Pages seen")).to_be_visible()
    expect(panel).to_contain_text(HOSTILE_TITLE)
    assert page.evaluate("window.__pwned") is None
    screenshot(page, "desk-visitor-panel-en")
    problems.assert_none()
    people.close(visitor)
