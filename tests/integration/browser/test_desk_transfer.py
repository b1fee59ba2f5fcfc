"""Handing a conversation on and asking for help, between two agents' browsers: the
transfer picker lists colleagues with status and load, the receiving agent sees the
whole history and who transferred it, the last target becomes a shortcut; a colleague
invited in writes to the visitor and leaves again."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.integration.browser.conftest import screenshot
from tests.integration.browser.desk_support import PageProblems, go_online, people, sign_in  # noqa: F401


def test_transfer_to_a_colleague_then_invite_one_and_leave(center, people, browser_context):
    group = people.group()
    alice, bob = people.agent({group: 1}, cap=3), people.agent({group: 1}, cap=3)
    first = browser_context().new_page()
    second = browser_context().new_page()
    problems = PageProblems(first), PageProblems(second)
    sign_in(first, center.url, alice)
    go_online(first)
    expect(first.get_by_label("My status")).to_have_value("online")
    sign_in(second, center.url, bob)
    expect(second.get_by_label("My status")).to_have_value("offline")

    visitor = people.visitor("Tina")
    people.request_chat(visitor, group)
    people.say(visitor, "Where is my order 42?")
    first.get_by_label("Reply to the visitor").fill("Let me ask the warehouse team.")
    first.get_by_label("Reply to the visitor").press("Enter")
    people.next_frame(visitor, "message")
    go_online(second)
    expect(second.get_by_label("My status")).to_have_value("online")

    first.get_by_role("button", name="Transfer").click()
    dialog = first.get_by_role("dialog", name="Transfer the conversation")
    dialog.get_by_label("Find a colleague or group").fill(bob.display_name)
    target = dialog.get_by_role("button", name=f"{bob.display_name}, Online, 0/3")
    expect(target).to_be_enabled()
    screenshot(first, "desk-transfer-en")
    dialog.get_by_label("Note for the next agent (optional)").fill("asks about order 42")
    target.click()
    transferred = people.next_frame(visitor, "transferred")
    assert transferred["to"]["agent_id"] == bob.agent_id

    chat = second.locator(f'.conversation[data-conversation="{visitor.conversation_id}"]')
    expect(chat).to_be_visible()
    chat.get_by_role("button").click()
    log = second.get_by_role("log", name="Messages")
    expect(log).to_contain_text("Where is my order 42?")
    expect(log).to_contain_text("Let me ask the warehouse team.")
    expect(second.get_by_text(f"Transferred from {alice.display_name}")).to_be_visible()
    expect(first.locator(f'.conversation[data-conversation="{visitor.conversation_id}"]')).to_have_class(
        re.compile(r"\baway\b"))
    second.get_by_label("Reply to the visitor").fill("Bob here: it ships today.")
    second.get_by_label("Reply to the visitor").press("Enter")
    assert people.next_frame(visitor, "message")["message"]["sender"]["id"] == bob.agent_id
    screenshot(second, "desk-transferred-en")

    # Alice's next visitor: Bob is now a shortcut; Alice invites him in instead.
    other = people.visitor("Uma")
    people.request_chat(other, group)
    expect(first.get_by_role("heading", name="Uma")).to_be_visible()
    people.say(other, "Can someone check my invoice?")
    first.get_by_role("button", name="Transfer").click()
    dialog = first.get_by_role("dialog", name="Transfer the conversation")
    expect(dialog.get_by_role("group", name="Recent").get_by_role("button", name=bob.display_name)).to_be_visible()
    dialog.get_by_role("button", name="Cancel").click()
    first.get_by_role("button", name="Invite colleague").click()
    dialog = first.get_by_role("dialog", name="Invite a colleague")
    dialog.get_by_label("Find a colleague or group").fill(bob.display_name)
    dialog.get_by_role("button", name=f"{bob.display_name}, Online").click()

    helping = second.locator(f'.conversation[data-conversation="{other.conversation_id}"]')
    expect(helping).to_contain_text("Helping")
    helping.get_by_role("button").click()
    # The collaborator gets the history (the visitor's name once profiles are merged).
    expect(second.get_by_role("log", name="Messages")).to_contain_text("Can someone check my invoice?")
    second.get_by_label("Reply to the visitor").fill("Invoice team here, checking.")
    second.get_by_label("Reply to the visitor").press("Enter")
    assert people.next_frame(other, "message")["message"]["sender"]["id"] == bob.agent_id
    expect(first.get_by_text(f"{bob.display_name} joined the conversation")).to_be_visible()
    second.get_by_role("button", name="Leave").click()
    expect(helping).to_have_class(re.compile(r"\baway\b"))
    expect(first.get_by_text(f"{bob.display_name} left the conversation")).to_be_visible()
    for page_problems in problems:
        page_problems.assert_none()
    for v in (visitor, other):
        people.close(v)
