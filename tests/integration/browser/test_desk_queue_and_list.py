"""The left column: a waiting visitor in the queue panel with where they came from and
the time they waited, picked; unread counts in the list and the tab's title for a
background conversation; conversations that ended greyed and moved down; Alt+Up/Down;
the desk in Chinese."""

from __future__ import annotations

import re
from urllib.parse import quote

from playwright.sync_api import expect

from tests.integration.browser.conftest import screenshot
from tests.integration.browser.desk_support import PageProblems, go_online, people, sign_in  # noqa: F401


def test_pick_from_the_queue_then_unread_counts_and_ended_conversations(center, people, browser_context):
    group = people.group()
    agent = people.agent({group: 1}, cap=3)
    page = browser_context().new_page()
    problems = PageProblems(page)
    sign_in(page, center.url, agent)
    page.get_by_label("My status").select_option("away")
    expect(page.get_by_label("My status")).to_have_value("away")

    waiting = people.visitor("Wanda")
    # She searched Baidu (the keyword is hers: it must show as text, never as markup).
    keyword = "普洱茶 <img src=x onerror=alert(1)>"
    people.bg.run(waiting.socket.send({"type": "page.view", "url": "https://shop.example.cn/tea", "title": "Tea",
                                       "referrer": f"https://www.baidu.com/s?wd={quote(keyword)}"}))
    people.request_chat(waiting, group, answer="queued")
    page.get_by_role("tab", name="Queue (1)").click()
    entry = page.locator(f'.waiting[data-conversation="{waiting.conversation_id}"]')
    expect(entry).to_contain_text("Wanda")
    expect(entry.locator(".source")).to_have_text(f"Baidu search “{keyword}”")
    expect(entry.locator("img")).to_have_count(0)
    first_wait = entry.locator(".waited").inner_text()
    assert re.search(r"waiting \d+ s", first_wait), first_wait
    expect(entry.locator(".waited")).not_to_have_text(first_wait)  # the wait time ticks
    screenshot(page, "desk-queue-en")
    entry.get_by_role("button", name="Pick Wanda").click()
    assert people.next_frame(waiting, "assigned")["agent"]["id"] == agent.agent_id
    expect(page.get_by_role("tab", name="Queue (0)")).to_be_visible()
    page.get_by_role("tab", name=re.compile(r"Chats")).click()
    expect(page.get_by_role("heading", name="Wanda")).to_be_visible()

    go_online(page)
    expect(page.get_by_label("My status")).to_have_value("online")
    other = people.visitor("Oscar")
    people.request_chat(other, group)
    oscar = page.locator(f'.conversation[data-conversation="{other.conversation_id}"]')
    expect(oscar).to_be_visible()
    page.locator(f'.conversation[data-conversation="{waiting.conversation_id}"] button').click()
    people.say(other, "hello?")
    people.say(other, "anyone there?")
    expect(oscar.locator(".badge")).to_have_text("2")
    expect(oscar.get_by_role("button")).to_have_accessible_name(re.compile("2 unread"))
    expect(page).to_have_title("(2) Agent workspace")

    page.keyboard.press("Alt+ArrowUp")  # Oscar's is on top: newest activity
    expect(page.get_by_role("heading", name="Oscar")).to_be_visible()
    expect(oscar.locator(".badge")).to_have_count(0)
    expect(page).to_have_title("Agent workspace")

    people.leave(other)
    expect(oscar).to_have_class(re.compile(r"\bended\b"))
    items = page.locator(".conversation")
    expect(items.last).to_have_attribute("data-conversation", other.conversation_id)
    expect(items.first).to_have_attribute("data-conversation", waiting.conversation_id)
    expect(page.get_by_text("This conversation is closed.")).to_be_visible()
    screenshot(page, "desk-list-en")
    problems.assert_none()
    for visitor in (waiting, other):
        people.close(visitor)


def test_the_desk_in_chinese_for_a_chinese_browser(center, people, browser_context):
    group = people.group()
    agent = people.agent({group: 1}, cap=2)
    page = browser_context(locale="zh-CN").new_page()
    problems = PageProblems(page)
    page.goto(center.url + "/desk")
    expect(page.get_by_role("heading", name="客服工作台")).to_be_visible()
    page.get_by_label("用户名").fill(agent.username)
    page.get_by_label("密码").fill("wrong")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_have_text("用户名或密码错误。")
    screenshot(page, "desk-login-zh-CN")
    page.get_by_label("密码").fill("secret-pw")
    page.get_by_role("button", name="登录").click()
    page.get_by_label("我的状态").select_option("online")
    visitor = people.visitor("王小明")
    people.request_chat(visitor, group)
    people.say(visitor, "你好，请问普洱茶怎么卖？")
    expect(page.get_by_role("log", name="消息")).to_contain_text("普洱茶")
    expect(page.get_by_role("tab", name="会话（1）")).to_be_visible()
    expect(page.get_by_role("button", name="转接")).to_be_visible()
    expect(page.get_by_label("回复访客")).to_be_visible()
    screenshot(page, "desk-conversation-zh-CN")
    # The agent may switch to English, and the choice is kept.
    page.get_by_label("语言").select_option("en")
    expect(page.get_by_role("button", name="Transfer")).to_be_visible()
    problems.assert_none(allowed=((401, "/api/v1/auth/login"),))
    people.close(visitor)
