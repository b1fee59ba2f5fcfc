"""An agent's day at the desk in a real browser: sign in (a wrong password first), go
online, a visitor is assigned, messages both ways, the visitor's typing seen before it
is sent, an internal note the visitor never gets, hostile strings shown as text."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.integration.browser.conftest import screenshot
from tests.integration.browser.desk_support import PASSWORD, PageProblems, go_online, people, sign_in  # noqa: F401

XSS_NAME = '<img src=x onerror="window.__pwned=1">Eve'
XSS_BODY = '<script>window.__pwned=2</script><b>bold?</b> see https://example.com/a?b=1 and javascript:alert(1)'


def test_sign_in_go_online_and_chat_both_ways(center, people, browser_context):
    group = people.group()
    agent = people.agent({group: 1}, cap=2)
    page = browser_context().new_page()
    problems = PageProblems(page)

    sign_in(page, center.url, agent, password="not-the-password")
    expect(page.get_by_role("alert")).to_have_text("Wrong username or password.")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_label("My status")).to_have_value("offline")

    go_online(page)
    expect(page.get_by_label("My status")).to_have_value("online")
    assert people.agent_status(agent.agent_id) == "online"

    visitor = people.visitor(XSS_NAME)
    assigned = people.request_chat(visitor, group)
    assert assigned["agent"]["id"] == agent.agent_id
    chat = page.locator(f'[data-conversation="{visitor.conversation_id}"]')
    expect(chat).to_contain_text(XSS_NAME)
    expect(page.get_by_role("heading", name=XSS_NAME)).to_be_visible()

    people.type(visitor, "I would like to ask about")
    expect(page.locator(".typing-text")).to_have_text("I would like to ask about")
    people.say(visitor, XSS_BODY)
    log = page.get_by_role("log", name="Messages")
    expect(log).to_contain_text(XSS_BODY)
    expect(page.locator(".typing")).to_have_count(0)
    link = log.get_by_role("link", name="https://example.com/a?b=1")
    expect(link).to_have_attribute("rel", "noopener noreferrer nofollow")
    expect(link).to_have_attribute("target", "_blank")
    expect(log.get_by_role("link")).to_have_count(1)  # javascript: stays text
    assert page.evaluate("window.__pwned") is None

    box = page.get_by_label("Reply to the visitor")
    box.fill("Hello! How can I help?")
    box.press("Shift+Enter")
    box.type("Second line")
    box.press("Enter")
    message = people.next_frame(visitor, "message")["message"]
    assert message["body"] == "Hello! How can I help?\nSecond line"
    assert message["sender"] == {"kind": "agent", "id": agent.agent_id}

    page.get_by_role("tab", name="Internal note").click()
    page.get_by_label("Internal note (agents only)").fill("VIP, handle with care")
    page.get_by_label("Internal note (agents only)").press("Enter")
    expect(log.locator(".message.internal")).to_contain_text("VIP, handle with care")
    expect(log.locator(".message.internal.pending")).to_have_count(0)  # acknowledged
    page.get_by_role("tab", name="Reply").click()
    box.fill("Anything else?")
    box.press("Enter")
    # The visitor gets the reply after the note, and never the note.
    assert people.next_frame(visitor, "message")["message"]["body"] == "Anything else?"
    assert all(f["message"]["body"] != "VIP, handle with care" for f in people.frames(visitor, "message"))
    screenshot(page, "desk-conversation-en")
    problems.assert_none(allowed=((401, "/api/v1/auth/login"),))
    people.close(visitor)


def test_a_revoked_account_goes_back_to_the_sign_in_form(center, people, browser_context):
    group = people.group()
    agent = people.agent({group: 1}, cap=1)
    page = browser_context().new_page()
    problems = PageProblems(page)
    sign_in(page, center.url, agent)
    expect(page.get_by_label("My status")).to_be_enabled()
    people.bg.run(people.admin.call("POST", f"/api/v1/admin/agents/{agent.agent_id}/disable"))
    page.get_by_label("My status").select_option("away")  # the next frame meets the revoked token
    expect(page.get_by_role("status")).to_have_text("You were signed out. Please sign in again.")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert page.evaluate("() => localStorage.getItem('kefu.desk.token')") is None
    problems.assert_none(allowed=((401, "/api/v1/agents/me"), (401, "/api/v1/directory"),
                                  (401, "/api/v1/queue"), (401, "/api/v1/canned-replies"),
                                  (401, "/api/v1/staff-chats")))
