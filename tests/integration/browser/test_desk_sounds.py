"""Sounds: two tabs of one agent, one plays (the leader holding the Web Lock); a reload
plays nothing for what was seen before; closing the leader hands the sounds to the
other tab. window.__kefuSounds counts what each tab played."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.integration.browser.desk_support import PageProblems, go_online, people, sign_in  # noqa: F401

PLAYED = "() => window.__kefuSounds ? window.__kefuSounds.kinds.slice() : null"


def kinds(page) -> list[str]:
    return page.evaluate(PLAYED)


def test_sounds_play_in_one_tab_once(center, people, browser_context):
    group = people.group()
    agent = people.agent({group: 1}, cap=3)
    context = browser_context()
    first = context.new_page()
    problems = PageProblems(first)
    sign_in(first, center.url, agent)
    go_online(first)
    expect(first.get_by_label("My status")).to_have_value("online")
    second = context.new_page()
    second.goto(center.url + "/desk")  # the token is shared: signed in already
    expect(second.get_by_label("My status")).to_have_value("online")
    sounds = "Sounds on"
    expect(first.get_by_role("button", name=sounds)).to_have_attribute("title", "This tab plays the sounds")
    expect(second.get_by_role("button", name=sounds)).to_have_attribute("title", "Another tab of yours plays the sounds")

    visitor = people.visitor("Sonia")
    people.request_chat(visitor, group)
    for tab in (first, second):
        expect(tab.get_by_role("heading", name="Sonia")).to_be_visible()
    # The first tab took the lock before the second one existed.
    leader, follower = first, second
    leader.wait_for_function("() => window.__kefuSounds.played === 1")
    assert kinds(leader) == ["conversation"] and kinds(follower) == []

    people.say(visitor, "ding?")
    leader.wait_for_function("() => window.__kefuSounds.played === 2")
    assert kinds(leader) == ["conversation", "message"] and kinds(follower) == []

    # The leader reloads: the lock passes to the other tab; the reloaded tab replays
    # the history and sounds nothing.
    leader_title = "This tab plays the sounds"
    first.reload()
    expect(second.get_by_role("button", name=sounds)).to_have_attribute("title", leader_title)
    expect(first.get_by_role("log", name="Messages")).to_contain_text("ding?")
    people.say(visitor, "second ding")
    second.wait_for_function("() => window.__kefuSounds.played === 1")
    expect(first.get_by_role("log", name="Messages")).to_contain_text("second ding")
    assert kinds(second) == ["message"] and kinds(first) == []

    # Alone again, the first tab leads; reloaded, it replays nothing it sounded before.
    second.close()
    expect(first.get_by_role("button", name=sounds)).to_have_attribute("title", leader_title)
    first.reload()
    expect(first.get_by_role("button", name=sounds)).to_have_attribute("title", leader_title)
    expect(first.get_by_role("log", name="Messages")).to_contain_text("second ding")
    people.say(visitor, "third ding")
    expect(first.get_by_role("log", name="Messages")).to_contain_text("third ding")
    first.wait_for_function("() => window.__kefuSounds.played === 1")
    assert kinds(first) == ["message"]
    problems.assert_none()
    people.close(visitor)
