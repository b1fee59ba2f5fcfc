"""Issue 9's story with both screens in browsers at once: a visitor browses two pages
of a customer's site (another origin), the agent sees them in the desk's browsing list
and invites them, the visitor accepts, the agent sees the typing before it is sent,
they exchange messages and pictures both ways (thumbnails on both screens), the agent
transfers the chat to a colleague in another browser, who sees the whole history and
who handed it on; the visitor's network drops and comes back with nothing lost or
doubled, the colleague ends the chat and the visitor rates it."""

from __future__ import annotations

import base64
import io
import re

from PIL import Image
from playwright.sync_api import expect

from tests.integration.browser.conftest import screenshot
from tests.integration.browser.desk_support import PageProblems, go_online, people, sign_in  # noqa: F401
from tests.integration.browser.visitor_side import FRAME, customer_site, wait_until

PASTE = """([name, data]) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const files = new DataTransfer();
    files.items.add(new File([bytes], name, { type: 'image/png' }));
    document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: files, bubbles: true }));
}"""


def picture(color: str) -> bytes:
    """A small photo-sized PNG (big enough that its thumbnail shows in the screenshots)."""
    out = io.BytesIO()
    Image.new("RGB", (240, 160), color).save(out, format="PNG")
    return out.getvalue()


def test_a_visitor_invited_from_the_desk_chats_rates_and_loses_nothing(center, people, browser_context):
    group = people.group()
    agent = people.agent({group: 1}, cap=2)
    colleague = people.agent({group: 1}, cap=2)
    desk = browser_context().new_page()
    problems = PageProblems(desk)
    sign_in(desk, center.url, agent)
    go_online(desk)
    # The colleague's desk in a browser of its own, offline until the hand-over.
    second = browser_context().new_page()
    second_problems = PageProblems(second)
    sign_in(second, center.url, colleague)
    expect(second.get_by_label("My status")).to_have_value("offline")

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
        box.click()  # as a visitor does: keys then go to the frame (see visitor_side.write)
        box.press_sequentially("有现货吗")
        expect(desk.get_by_text("有现货吗")).to_be_visible()  # the typing preview, not sent yet
        box.press("Enter")
        reply = desk.get_by_placeholder("Type a reply…")
        reply.fill("有的，今天下单明天发货。")
        reply.press("Enter")
        expect(chat.get_by_text("有的，今天下单明天发货。")).to_be_visible()

        # Pictures both ways: the visitor's upload is a thumbnail on the desk, the
        # agent's pasted screenshot one in the chat.
        chat.locator("input[type=file]").set_input_files(
            [{"name": "cake-photo.png", "mimeType": "image/png", "buffer": picture("#d9a066")}])
        log = desk.get_by_role("log", name="Messages")
        expect(log.get_by_role("img", name="cake-photo.png")).to_be_visible()
        reply.click()
        desk.evaluate(PASTE, ["shipping-label.png", base64.b64encode(picture("#5b8fd9")).decode()])
        expect(desk.get_by_role("list", name="Files to send")).to_contain_text("shipping-label.png")
        reply.fill("这是快递单。")
        desk.get_by_role("button", name="Send").click()
        expect(chat.get_by_role("img", name="shipping-label.png")).to_be_visible()
        expect(chat.get_by_text("这是快递单。")).to_be_visible()
        screenshot(desk, "story-desk-en")

        # The hand-over: the colleague comes online and gets the chat with its history.
        conversation_id = desk.locator(".conversation").first.get_attribute("data-conversation")
        go_online(second)
        expect(second.get_by_label("My status")).to_have_value("online")
        desk.get_by_role("button", name="Transfer").click()
        dialog = desk.get_by_role("dialog", name="Transfer the conversation")
        dialog.get_by_label("Find a colleague or group").fill(colleague.display_name)
        dialog.get_by_role("button", name=f"{colleague.display_name}, Online, 0/2").click()
        handed = second.locator(f'.conversation[data-conversation="{conversation_id}"]')
        expect(handed).to_be_visible()
        handed.get_by_role("button").click()
        history = second.get_by_role("log", name="Messages")
        for said in ("有现货吗", "有的，今天下单明天发货。", "这是快递单。"):
            expect(history).to_contain_text(said)
        expect(history.get_by_role("img", name="cake-photo.png")).to_be_visible()
        expect(history.get_by_role("img", name="shipping-label.png")).to_be_visible()
        expect(second.get_by_text(f"Transferred from {agent.display_name}")).to_be_visible()
        expect(desk.locator(f'.conversation[data-conversation="{conversation_id}"]')).to_have_class(
            re.compile(r"\baway\b"))
        screenshot(second, "story-desk-transferred-en")
        # The visitor is told who serves them now, not left "being transferred".
        expect(chat.get_by_text(f"{colleague.display_name} 为您服务")).to_be_visible()
        expect(chat.get_by_text("正在为您转接其他客服…")).to_have_count(0)

        # The rest of the story with the colleague: a network drop loses and doubles nothing.
        reply = second.get_by_label("Reply to the visitor")
        visitor_context.set_offline(True)
        reply.fill("还需要别的吗？")
        reply.press("Enter")
        visitor_context.set_offline(False)
        expect(chat.get_by_text("还需要别的吗？")).to_have_count(1)
        expect(chat.get_by_text("有现货吗")).to_have_count(1)
        expect(chat.get_by_role("img", name="cake-photo.png")).to_have_count(1)
        expect(chat.get_by_role("img", name="shipping-label.png")).to_have_count(1)
        screenshot(shop, "story-visitor-zh-CN")

        second.get_by_role("button", name="End", exact=True).click()
        chat.get_by_role("radio", name="5 分（满分 5 分）").check()
        chat.get_by_role("button", name="提交评价").click()
        expect(chat.get_by_text("感谢您的评价！")).to_be_visible()
        # The rating reaches the agent who served last.
        expect(second.get_by_role("complementary", name="Visitor")).to_contain_text("★★★★★")
        problems.assert_none()
        second_problems.assert_none()
    finally:
        site.stop()
