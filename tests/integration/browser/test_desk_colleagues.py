"""Agents writing to each other from the desk (内部对话): the colleague list with status,
unread counts in the tab and the title, messages as text, read marks that hold across
a reload, and a message written offline that arrives once when the network is back."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.integration.browser.conftest import screenshot
from tests.integration.browser.desk_support import PageProblems, go_online, people, sign_in  # noqa: F401

XSS = "<img src=x onerror=alert(1)>"


def open_colleague(page, name: str):
    page.get_by_role("tab", name=re.compile(r"^(Colleagues|内部对话)")).click()
    page.locator(".colleagues").get_by_role("button", name=re.compile(f"^{re.escape(name)},")).click()
    return page.get_by_role("log", name=re.compile(re.escape(name)))


def test_two_agents_chat_with_unread_counts_reads_and_an_offline_message(center, people, browser_context):
    anna, ben = people.agent({}, cap=2), people.agent({}, cap=2)
    first_context = browser_context()
    first = first_context.new_page()
    second = browser_context(locale="zh-CN").new_page()
    problems = PageProblems(first), PageProblems(second)
    dialogs: list[str] = []
    for page in (first, second):
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(first, center.url, anna)
    go_online(first)
    expect(first.get_by_label("My status")).to_have_value("online")
    second.goto(center.url + "/desk")
    second.get_by_label("用户名").fill(ben.username)
    second.get_by_label("密码").fill("secret-pw")
    second.get_by_role("button", name="登录").click()
    expect(second.get_by_role("tab", name="内部对话")).to_be_visible()

    # Anna sees Ben (offline: he has not gone online) and writes; Ben's desk counts it.
    first.get_by_role("tab", name="Colleagues").click()
    expect(first.locator(".colleagues").get_by_role("button", name=f"{ben.display_name}, Offline")).to_be_visible()
    log = open_colleague(first, ben.display_name)
    expect(first.get_by_role("heading", name=f"Chat with {ben.display_name}")).to_be_visible()
    first.get_by_label(f"Message to {ben.display_name}").fill(f"can you take the refund? {XSS}")
    first.get_by_label(f"Message to {ben.display_name}").press("Enter")
    expect(log.locator("li.message.mine[data-seq='1']")).to_contain_text(f"can you take the refund? {XSS}")
    expect(second.get_by_role("tab", name="内部对话（1）")).to_be_visible()
    expect(second).to_have_title(re.compile(r"\(1\)"))

    # Ben opens it: the text as text, the count gone, and it stays gone after a reload.
    ben_log = open_colleague(second, anna.display_name)
    expect(ben_log.locator("li.message.colleague")).to_have_text(re.compile(re.escape(f"can you take the refund? {XSS}")))
    expect(second.get_by_role("tab", name="内部对话", exact=True)).to_be_visible()
    second.get_by_label(f"发给 {anna.display_name} 的消息").fill("好的，我来处理")
    second.get_by_label(f"发给 {anna.display_name} 的消息").press("Enter")
    expect(log.locator("li.message.colleague[data-seq='2']")).to_contain_text("好的，我来处理")
    screenshot(second, "desk-colleagues-zh-CN")
    second.reload()
    expect(second.get_by_role("tab", name="内部对话", exact=True)).to_be_visible()
    ben_log = open_colleague(second, anna.display_name)
    expect(ben_log.locator("li.message")).to_have_count(2)

    # Anna's network drops while she writes: the message waits and arrives once.
    first_context.set_offline(True)
    first.get_by_label(f"Message to {ben.display_name}").fill("written while offline")
    first.get_by_label(f"Message to {ben.display_name}").press("Enter")
    expect(log.locator("li.message.pending")).to_contain_text("written while offline")
    first_context.set_offline(False)
    expect(log.locator("li.message.mine[data-seq='3']")).to_contain_text("written while offline")
    expect(ben_log.locator("li.message[data-seq='3']")).to_contain_text("written while offline")
    expect(ben_log.locator("li.message")).to_have_count(3)
    screenshot(first, "desk-colleagues-en")
    assert not dialogs
    for problem in problems:
        problem.assert_none()
