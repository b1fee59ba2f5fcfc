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


# The test browser lets pages play audio at once; this page script restores what a
# browser does by default: audio stays suspended until the user first clicks the page.
AUDIO_AFTER_A_CLICK = """
(() => {
  let clicked = false;
  window.addEventListener('pointerdown', () => { clicked = true; }, true);
  const Real = window.AudioContext;
  window.AudioContext = class extends Real {
    get state() { return clicked ? super.state : 'suspended'; }
    resume() { return clicked ? super.resume() : Promise.resolve(); }
  };
})();
"""


def test_blocked_sounds_are_reported_and_allowed_by_a_click(center, people, browser_context):
    group = people.group()
    agent = people.agent({group: 1}, cap=2)
    context = browser_context()
    context.add_init_script(AUDIO_AFTER_A_CLICK)
    page = context.new_page()
    problems = PageProblems(page)
    sign_in(page, center.url, agent)
    go_online(page)
    expect(page.get_by_label("My status")).to_have_value("online")
    page.reload()  # a fresh page nobody clicked yet
    expect(page.get_by_label("My status")).to_have_value("online")

    visitor = people.visitor("Quiet")
    people.request_chat(visitor, group)
    allow = page.get_by_role("button", name="Sounds are blocked by the browser: click to allow")
    expect(allow).to_be_visible()
    assert page.evaluate("() => window.__kefuSounds.played") == 0
    allow.click()
    expect(allow).to_have_count(0)
    people.say(visitor, "can you hear me?")
    page.wait_for_function("() => window.__kefuSounds.played === 1")
    assert page.evaluate("() => window.__kefuSounds.kinds") == ["message"]
    problems.assert_none()
    people.close(visitor)
