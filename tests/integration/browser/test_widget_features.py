"""The rest of the visitor's widget: both languages, page views on a single-page
app's route changes, typing both ways, the sound for an unseen message (never for
the history), the rating, uploads and invitations."""

from __future__ import annotations

import asyncio

from playwright.sync_api import expect

from tests.integration.browser.conftest import screenshot
from tests.integration.browser.visitor_side import (FRAME, LAUNCHER, LAUNCHER_BUTTON, XSS, FrameErrors,  # noqa: F401
                                                    agent_side, customer_site, frames_received,
                                                    frames_sent, shot_on_failure,
                                                    wait_until, write)

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e5273a"
                    "d10000000049454e44ae426082")


def open_chat(page, site, launcher_name: str = LAUNCHER):
    page.goto(site.url + "/")
    page.get_by_role("button", name=launcher_name, exact=True).click()
    return page.frame_locator(FRAME)


def test_a_chinese_browser_gets_chinese_and_the_visitor_can_switch(center, browser_context, agent_side):  # noqa: F811
    group = agent_side.group()
    agent_side.agent_named(group, "客服小王")
    site = customer_site(center.url, group)
    try:
        page = browser_context(locale="zh-CN").new_page()
        errors = FrameErrors(page)
        chat = open_chat(page, site, "在线咨询")
        expect(page.locator(FRAME)).to_have_attribute("title", "在线咨询")
        expect(chat.get_by_role("heading", name="在线咨询")).to_be_visible()
        expect(chat.get_by_text("您好！请问有什么可以帮您？")).to_be_visible()
        box = chat.get_by_role("textbox", name="消息")
        write(box, "你好，普洱茶还有货吗？")
        box.press("Enter")
        with shot_on_failure(page, "failed-zh-CN-assignment"):
            expect(chat.get_by_text("客服小王 为您服务")).to_be_visible(timeout=15000)
        expect(page.locator(LAUNCHER_BUTTON)).to_have_accessible_name("关闭对话")
        screenshot(page, "widget-chat-zh-CN")

        chat.get_by_label("语言").select_option("en")
        expect(chat.get_by_role("heading", name="Chat with us")).to_be_visible()
        expect(chat.get_by_role("textbox", name="Message")).to_be_visible()
        expect(page.locator(LAUNCHER_BUTTON)).to_have_accessible_name("Close the chat")
        errors.assert_none()
    finally:
        site.stop()


def test_the_admins_title_greeting_colour_and_side_reach_the_widget(center, browser_context, agent_side):  # noqa: F811
    group = agent_side.group()
    admin = agent_side.admin
    site = customer_site(center.url, group)
    agent_side.run(admin.call("PUT", "/api/v1/admin/widget", {
        "title": "Lotus Tea Help", "greeting": f"Welcome to Lotus! {XSS}", "color": "#a83232", "position": "left"}))
    try:
        page = browser_context().new_page()
        errors = FrameErrors(page)
        chat = open_chat(page, site)
        expect(chat.get_by_role("heading", name="Lotus Tea Help")).to_be_visible()
        expect(chat.get_by_text(f"Welcome to Lotus! {XSS}")).to_be_visible()
        expect(chat.locator(".header")).to_have_css("background-color", "rgb(168, 50, 50)")
        launcher = page.locator(LAUNCHER_BUTTON)
        expect(launcher).to_have_css("background-color", "rgb(168, 50, 50)")
        assert launcher.bounding_box()["x"] < 100  # on the left
        screenshot(page, "widget-configured-en")
        errors.assert_none()
    finally:
        agent_side.run(admin.call("PUT", "/api/v1/admin/widget", {}))
        site.stop()


def test_route_changes_of_a_single_page_app_are_page_views_and_names_stay_text(center, browser_context,
                                                                               agent_side):  # noqa: F811
    group = agent_side.group()
    agent_side.agent_named(group, XSS)
    site = customer_site(center.url, group)
    try:
        page = browser_context().new_page()
        errors = FrameErrors(page)
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        sent = frames_sent(page)
        page.goto(site.url + "/")
        page.evaluate("""() => {
            history.pushState({}, '', '/products/pu-erh'); document.title = 'Pu-erh (SPA)';
        }""")
        page.evaluate("() => history.replaceState({}, '', '/about')")
        page.evaluate("() => { location.hash = 'reviews'; }")
        page.evaluate("() => history.back()")
        urls = [site.url + path for path in ("/", "/products/pu-erh", "/about", "/about#reviews", "/about")]

        def views():
            return [f for f in sent if f["type"] == "page.view"]

        wait_until(lambda: len(views()) >= len(urls), page)
        assert [v["url"] for v in views()] == urls
        assert views()[1]["title"] == "Pu-erh (SPA)"

        page.get_by_role("button", name=LAUNCHER, exact=True).click()
        chat = page.frame_locator(FRAME)
        chat.get_by_role("textbox", name="Message").fill("hello")
        chat.get_by_role("textbox", name="Message").press("Enter")
        expect(chat.get_by_text(f"{XSS} is here to help")).to_be_visible(timeout=15000)
        expect(chat.locator("img")).to_have_count(0)
        assert not dialogs
        errors.assert_none()
    finally:
        site.stop()


def test_typing_shows_both_ways(center, browser_context, agent_side):  # noqa: F811
    group, _, agent = agent_side.online_agent()
    site = customer_site(center.url, group)
    try:
        page = browser_context().new_page()
        chat = open_chat(page, site)
        box = chat.get_by_role("textbox", name="Message")
        write(box, "first")
        box.press("Enter")
        assigned = agent_side.run(agent.next("assigned", timeout=15))
        cid, name = assigned["conversation_id"], assigned["agent"]["display_name"]
        agent_side.run(agent.next("message"))
        box.press_sequentially("do you ship")
        preview = agent_side.run(agent.next("typing.preview", conversation_id=cid))
        assert "do you ship".startswith(preview["text"]) and preview["text"]
        agent_side.run(agent.send({"type": "typing", "conversation_id": cid}))
        expect(chat.get_by_text(f"{name} is typing…")).to_be_visible()
        expect(chat.get_by_text(f"{name} is typing…")).to_be_hidden(timeout=8000)
    finally:
        site.stop()


def test_an_unseen_message_chimes_and_the_history_never_does(center, browser_context, agent_side):  # noqa: F811
    group, _, agent = agent_side.online_agent()
    site = customer_site(center.url, group)
    try:
        context = browser_context()
        page = context.new_page()
        chat = open_chat(page, site)
        write(chat.get_by_role("textbox", name="Message"), "hi")
        chat.get_by_role("textbox", name="Message").press("Enter")
        cid = agent_side.run(agent.next("assigned", timeout=15))["conversation_id"]
        agent_side.run(agent.message(cid, "an answer seen while visible"))
        expect(chat.get_by_text("an answer seen while visible")).to_be_visible()
        assert _chimes(page) == 0
        page.close()

        # The next page's frame believes its tab hidden from the start: the history it
        # loads is not new, the message after it is.
        context.add_init_script("""if (location.pathname === '/chat') {
            Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
            Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
        }""")
        page = context.new_page()
        received = frames_received(page)
        page.goto(site.url + "/about")
        wait_until(lambda: any(f["type"] == "resumed" and f["conversation_id"] == cid for f in received), page)
        assert _chimes(page) == 0
        agent_side.run(agent.message(cid, "a new one while hidden"))
        wait_until(lambda: _chimes(page) == 1, page)
        expect(page.get_by_role("button", name=f"{LAUNCHER}, 1 unread")).to_be_visible()
    finally:
        site.stop()


def _chimes(page) -> int:
    frame = page.query_selector(FRAME).content_frame()
    return frame.evaluate("() => window.__kefuChimes || 0")


def test_the_visitor_rates_the_conversation_at_its_end(center, browser_context, agent_side):  # noqa: F811
    group, _, agent = agent_side.online_agent()
    site = customer_site(center.url, group)
    try:
        page = browser_context().new_page()
        errors = FrameErrors(page)
        chat = open_chat(page, site)
        chat.get_by_role("textbox", name="Message").fill("thanks, that is all")
        chat.get_by_role("textbox", name="Message").press("Enter")
        cid = agent_side.run(agent.next("assigned", timeout=15))["conversation_id"]
        agent_side.run(agent.send({"type": "chat.end", "conversation_id": cid}))
        expect(chat.get_by_text("The conversation has ended.")).to_be_visible()
        chat.get_by_role("radio", name="4 of 5").check()
        chat.get_by_label("Comment (optional)").fill(f"quick {XSS}")
        screenshot(page, "widget-rating-en")
        chat.get_by_role("button", name="Send rating").click()
        rated = agent_side.run(agent.next("rated", conversation_id=cid))
        assert (rated["score"], rated["comment"]) == (4, f"quick {XSS}")
        expect(chat.get_by_text("Thank you for your feedback!")).to_be_visible()
        chat.get_by_role("button", name="Start a new chat").click()
        expect(chat.get_by_role("textbox", name="Message")).to_be_visible()
        errors.assert_none()
    finally:
        site.stop()


def test_files_go_with_progress_and_show_as_thumbnails_with_names_as_text(center, browser_context, agent_side):  # noqa: F811
    group, _, agent = agent_side.online_agent()
    site = customer_site(center.url, group)
    try:
        page = browser_context().new_page()
        errors = FrameErrors(page)
        chat = open_chat(page, site)
        write(chat.get_by_role("textbox", name="Message"), "a photo of the cake")
        chat.get_by_role("textbox", name="Message").press("Enter")
        agent_side.run(agent.next("assigned", timeout=15))
        agent_side.run(agent.next("message"))
        chat.locator("input[type=file]").set_input_files(
            [{"name": f"{XSS}.png", "mimeType": "image/png", "buffer": PNG},
             {"name": "order.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n"}])
        photo = agent_side.run(agent.next("message"))["message"]
        assert photo["attachments"] and photo["attachments"][0]["name"] in (f"{XSS}.png", "order.pdf")
        expect(chat.locator(".messages a.thumb img")).to_have_count(1)
        expect(chat.get_by_role("img", name=f"{XSS}.png")).to_be_visible()
        expect(chat.get_by_role("link", name="order.pdf")).to_be_visible()
        screenshot(page, "widget-files-en")
        errors.assert_none()
    finally:
        site.stop()


def test_an_invitation_shows_on_the_closed_widget_and_accepting_opens_the_chat(
        center, browser_context, agent_side):  # noqa: F811
    group, _, agent = agent_side.online_agent()
    site = customer_site(center.url, group)
    try:
        context = browser_context()
        page = context.new_page()
        sent = frames_sent(page)
        page.goto(site.url + "/")
        wait_until(lambda: any(f["type"] == "page.view" for f in sent), page)

        def visitor_cookie() -> str:
            return next((c["value"] for c in context.cookies(site.url) if c["name"] == "kefu_visitor"), "")

        wait_until(lambda: bool(visitor_cookie()), page)  # `visitor_id.key`, first party
        visitor_id = visitor_cookie().split(".", 1)[0]
        agent_side.run(_invite(agent, visitor_id, f"Need help? {XSS}"))
        invitation = page.get_by_role("dialog", name="Invitation to chat")
        expect(invitation).to_be_visible()
        expect(invitation.get_by_text(f"Need help? {XSS}")).to_be_visible()
        screenshot(page, "widget-invitation-en")
        invitation.get_by_role("button", name="Reply").click()
        chat = page.frame_locator(FRAME)
        assigned = agent_side.run(agent.next("assigned", timeout=15))
        expect(chat.get_by_text(f"{assigned['agent']['display_name']} is here to help")).to_be_visible()
    finally:
        site.stop()


def test_an_invitation_without_text_is_worded_in_the_visitors_language(center, browser_context,
                                                                      agent_side):  # noqa: F811
    group, _, agent = agent_side.online_agent()
    site = customer_site(center.url, group)
    try:
        context = browser_context(locale="zh-CN")
        page = context.new_page()
        sent = frames_sent(page)
        page.goto(site.url + "/")
        wait_until(lambda: any(f["type"] == "page.view" for f in sent), page)
        cookie = lambda: next((c["value"] for c in context.cookies(site.url) if c["name"] == "kefu_visitor"), "")  # noqa: E731
        wait_until(lambda: bool(cookie()), page)
        agent_side.run(_invite(agent, cookie().split(".", 1)[0], None))
        invitation = page.get_by_role("dialog", name="对话邀请")
        expect(invitation.get_by_text("您好！有什么可以帮您的吗？")).to_be_visible()
    finally:
        site.stop()


async def _invite(agent, visitor_id: str, text: str | None) -> dict:
    """The invitation, once the center has the visitor's page view (it reached the
    socket just now; the tracker may take a moment to list the visitor as browsing).
    No text: the center's (by default none, and the widget words it)."""

    for _ in range(50):
        await agent.send({"type": "invite", "visitor_id": visitor_id, **({"text": text} if text else {})})
        while True:
            answer = await agent.next()
            if answer["type"] == "done" and answer.get("request") == "invite":
                return answer
            if answer["type"] == "error":
                break
        if answer.get("code") != "visitor_not_browsing":
            raise AssertionError(answer)
        await asyncio.sleep(0.1)
    raise AssertionError("the visitor never showed as browsing")


def test_the_standalone_chat_page_keeps_its_visitor_across_a_reload(center, browser_context, agent_side):  # noqa: F811
    group, _, agent = agent_side.online_agent()
    page = browser_context().new_page()
    errors = FrameErrors(page)
    page.goto(f"{center.url}/chat?skill_group={group}")
    expect(page.get_by_role("heading", name="Chat with us")).to_be_visible()
    expect(page.get_by_role("button", name="Close the chat")).to_have_count(0)  # not in a widget
    box = page.get_by_role("textbox", name="Message")
    box.fill("from the link in your newsletter")
    box.press("Enter")
    cid = agent_side.run(agent.next("assigned", timeout=15))["conversation_id"]
    agent_side.run(agent.message(cid, "Welcome!"))
    expect(page.get_by_text("Welcome!")).to_be_visible()
    page.reload()
    expect(page.get_by_text("Welcome!")).to_be_visible()
    expect(page.get_by_text("from the link in your newsletter")).to_be_visible()
    assert [int(s) for s in page.locator("li.message[data-seq]:not([data-seq=''])")
            .evaluate_all("items => items.map(item => item.dataset.seq)")] == [1, 2]
    errors.assert_none()
