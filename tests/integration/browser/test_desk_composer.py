"""The composer: canned replies (personal and public, by category) opened with `/`,
chosen with the arrow keys and Enter; emoji; files pasted or dropped, uploaded with
progress and sent as thumbnails or safe download links."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.integration.browser.conftest import screenshot
from tests.integration.browser.desk_support import (PASSWORD, PageProblems, go_online, people,  # noqa: F401
                                                    sign_in)
from tests.integration.protocol_client import Api, unique

# A 1x1 PNG, pasted as a screenshot would be.
PIXEL = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def test_canned_replies_with_slash_and_arrow_keys(center, people, browser_context):
    group = people.group()
    agent = people.agent({group: 1}, cap=2)
    mine = people.bg.run(Api(center.url).login(agent.username, PASSWORD))
    category = unique("Shipping ")
    people.bg.run(mine.call("POST", "/api/v1/canned-replies", {
        "category": category, "title": "Ship times mine", "body": "We ship within 24 hours."}, expect=201))
    people.bg.run(people.admin.call("POST", "/api/v1/canned-replies", {
        "scope": "public", "category": category, "title": "Ship policy center",
        "body": "Free shipping over 99 yuan."}, expect=201))
    page = browser_context().new_page()
    problems = PageProblems(page)
    sign_in(page, center.url, agent)
    go_online(page)
    visitor = people.visitor("Carl")
    people.request_chat(visitor, group)
    expect(page.get_by_role("heading", name="Carl")).to_be_visible()

    box = page.get_by_label("Reply to the visitor")
    box.press_sequentially(f"/{category}")
    listbox = page.get_by_role("listbox", name="Canned replies")
    options = listbox.get_by_role("option")
    expect(options).to_have_count(2)
    expect(options.first).to_contain_text("Ship times mine")  # personal before public
    expect(options.nth(1)).to_contain_text("Public")
    screenshot(page, "desk-canned-en")
    box.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    expect(box).to_have_value("Free shipping over 99 yuan.")
    expect(listbox).to_have_count(0)
    page.get_by_role("button", name="Emoji").click()
    page.get_by_role("group", name="Emoji").get_by_role("button", name="👍").click()
    expect(box).to_have_value("Free shipping over 99 yuan.👍")
    box.press("Enter")
    assert people.next_frame(visitor, "message")["message"]["body"] == "Free shipping over 99 yuan.👍"

    # A reply worth keeping becomes a personal canned reply at once.
    box.fill(f"Thanks for waiting, {category}!")
    page.get_by_role("button", name="Save as canned reply").click()
    expect(page.get_by_role("status")).to_have_text("Saved as a personal canned reply.")
    box.fill("/waiting")
    expect(listbox.get_by_role("option", name=f"Thanks for waiting, {category}!")).to_have_count(1)
    saved = people.bg.run(mine.call("GET", "/api/v1/canned-replies"))["replies"]
    assert any(r["scope"] == "personal" and r["body"] == f"Thanks for waiting, {category}!" for r in saved)
    problems.assert_none()
    people.close(visitor)


def test_a_pasted_picture_is_uploaded_and_sent(center, people, browser_context):
    group = people.group()
    agent = people.agent({group: 1}, cap=2)
    page = browser_context().new_page()
    problems = PageProblems(page)
    sign_in(page, center.url, agent)
    go_online(page)
    visitor = people.visitor("Pia")
    people.request_chat(visitor, group)
    box = page.get_by_label("Reply to the visitor")
    box.click()
    page.evaluate("""(pixel) => {
        const bytes = Uint8Array.from(atob(pixel), (c) => c.charCodeAt(0));
        const data = new DataTransfer();
        data.items.add(new File([bytes], '<img src=x onerror=alert(1)>shot.png', { type: 'image/png' }));
        document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
    }""", PIXEL)
    uploads = page.get_by_role("list", name="Files to send")
    expect(uploads).to_contain_text("<img src=x onerror=alert(1)>shot.png")
    box.fill("the picture")
    page.get_by_role("button", name="Send").click()
    message = people.next_frame(visitor, "message")["message"]
    assert message["body"] == "the picture"
    assert message["attachments"][0]["name"] == "<img src=x onerror=alert(1)>shot.png"
    log = page.get_by_role("log", name="Messages")
    expect(log.get_by_role("img", name="<img src=x onerror=alert(1)>shot.png")).to_be_visible()
    problems.assert_none()
    people.close(visitor)
