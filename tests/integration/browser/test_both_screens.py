"""Issue 9's story with both screens in browsers at once: a visitor browses two pages
of a customer's site (another origin), the agent sees them in the desk's browsing list
and invites them, the visitor accepts, the agent sees the typing before it is sent,
they exchange messages, the visitor's network drops and comes back with nothing lost
or doubled, the agent ends the chat and the visitor rates it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.integration.browser.conftest import screenshot
from tests.integration.browser.desk_support import PageProblems, go_online, people, sign_in  # noqa: F401
from tests.integration.browser.visitor_side import FRAME, customer_site, wait_until


def test_a_visitor_invited_from_the_desk_chats_rates_and_loses_nothing(center, people, browser_context):
    group = people.group()
    agent = people.agent({group: 1}, cap=2)
    desk = browser_context().new_page()
    problems = PageProblems(desk)
    sign_in(desk, center.url, agent)
    go_online(desk)

    site = customer_site(center.url, group)
    try:
        visitor_context = browser_context(locale="zh-CN")
        shop = visitor_context.new_page()
        shop.goto(site.url + "/")
        # The first page has its visitor (the loader's first-party cookie) before the next.
        wait_until(lambda: any(c["name"] == "kefu_visitor" for c in visitor_context.cookies()), shop)
        desk.get_by_role("tab", name="Browsing").click()
        expect(desk.locator(".browsing", has_text="Lotus Tea House")).to_be_visible()
        shop.get_by_role("link", name="Aged Pu-erh, 2015").click()
        expect(shop).to_have_url(site.url + "/products/pu-erh")

        desk.get_by_role("tab", name="Browsing").click()
        row = desk.locator(".browsing", has_text="Aged Pu-erh, 2015")
        expect(row).to_be_visible()
        row.get_by_role("button", name=re.compile("^Invite")).click()
        invitation = shop.get_by_role("dialog", name="对话邀请")
        expect(invitation).to_be_visible()
        invitation.get_by_role("button", name="回复").click()

        chat = shop.frame_locator(FRAME)
        desk.get_by_role("tab", name=re.compile(r"^Chats \(1\)")).click()
        panel = desk.get_by_role("complementary", name="Visitor")
        trail = panel.get_by_role("list").first.get_by_role("listitem")
        expect(trail).to_have_count(2)  # the trail, before a word was said
        expect(trail.first).to_contain_text("Aged Pu-erh, 2015")
        expect(trail.last).to_contain_text("Lotus Tea House")
        box = chat.get_by_role("textbox", name="消息")
        box.press_sequentially("有现货吗")
        expect(desk.get_by_text("有现货吗")).to_be_visible()  # the typing preview, not sent yet
        box.press("Enter")
        reply = desk.get_by_placeholder("Type a reply…")
        reply.fill("有的，今天下单明天发货。")
        reply.press("Enter")
        expect(chat.get_by_text("有的，今天下单明天发货。")).to_be_visible()

        visitor_context.set_offline(True)
        reply.fill("还需要别的吗？")
        reply.press("Enter")
        visitor_context.set_offline(False)
        expect(chat.get_by_text("还需要别的吗？")).to_have_count(1)
        expect(chat.get_by_text("有现货吗")).to_have_count(1)
        screenshot(shop, "story-visitor-zh-CN")
        screenshot(desk, "story-desk-en")

        desk.get_by_role("button", name="End", exact=True).click()
        chat.get_by_role("radio", name="5 分（满分 5 分）").check()
        chat.get_by_role("button", name="提交评价").click()
        expect(chat.get_by_text("感谢您的评价！")).to_be_visible()
        expect(panel).to_contain_text("★★★★★")  # the rating reaches the agent
        problems.assert_none()
    finally:
        site.stop()
