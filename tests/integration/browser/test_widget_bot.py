"""The FAQ bot in the widget (issue 12 items 3 and 6), the done-when story: an admin
publishes three articles (one Chinese) and turns the bot on for a skill group; an agent
is online at the desk; a visitor on a customer's site asks a paraphrased question and
gets the right article from the bot, asks a vague one and gets choices, picks one and
gets that article, then asks for a person: the desk's agent gets the conversation with
the bot's turns in its history. A Chinese visitor reloads the page mid-bot (the bot
state comes back) and types 人工.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.integration.browser.conftest import screenshot
from tests.integration.browser.desk_support import Center, PageProblems, go_online, people, sign_in  # noqa: F401
from tests.integration.browser.knowledge_support import article, category
from tests.integration.browser.visitor_side import (FRAME, LAUNCHER, FrameErrors, customer_site, frames_sent,
                                                    shot_on_failure, wait_until, write)
from tests.integration.protocol_client import staff_member, unique

RETURNS = "Returning a teapot"
CARE = "Caring for a clay teapot"
PUER = "普洱茶怎么保存"
RETURNS_TEXT = "Teapots can be returned within 30 days"
CARE_TEXT = "Rinse the clay teapot with hot water only"
PUER_TEXT = "普洱茶请放在阴凉、通风、无异味的地方"


_FAQ: dict[str, dict[str, dict]] = {}  # by center: the articles are the whole center's


@pytest.fixture(scope="module")
def faq(people: Center) -> dict[str, dict]:  # noqa: F811
    """Three published public articles, one of them Chinese (the center's knowledge base),
    made once per center: the same articles twice would make every question a tie."""
    if people.url not in _FAQ:
        _FAQ[people.url] = _publish_faq(people)
    return _FAQ[people.url]


def _publish_faq(people: Center) -> dict[str, dict]:  # noqa: F811
    kind = category(people, unique("Teapots"), "茶具")
    return {
        "returns": article(people, kind["id"], RETURNS,
                           f"<p>{RETURNS_TEXT}: pack the teapot in its box and send it to our warehouse.</p>",
                           keywords=("return", "send back", "teapot"), questions=("How can I send a teapot back?",)),
        "care": article(people, kind["id"], CARE, f"<p>{CARE_TEXT}, <b>never</b> with soap.</p>",
                        keywords=("teapot", "clean", "care"), questions=("How do I clean a clay teapot?",)),
        "puer": article(people, kind["id"], PUER, f"<p>{PUER_TEXT}，避免阳光直射。</p>",
                        keywords=("普洱", "保存", "储存"), questions=("普洱茶叶放在哪里储存比较好",)),
    }


def bot_group(people: Center, **bot) -> str:  # noqa: F811
    group = people.group()
    people.bg.run(people.admin.call("PATCH", f"/api/v1/admin/skill-groups/{group}",
                                    {"bot": {"enabled": True, **bot}}))
    return group


def open_widget(page, site, launcher: str = LAUNCHER):
    page.goto(site.url + "/")
    page.get_by_role("button", name=launcher, exact=True).click()
    return page.frame_locator(FRAME)


def test_the_bot_answers_offers_choices_and_hands_off_to_the_desk(center, people, faq, browser_context):  # noqa: F811
    group = bot_group(people)
    agent = people.agent({group: 1})
    desk = browser_context().new_page()
    problems = PageProblems(desk)
    sign_in(desk, center.url, agent)
    go_online(desk)
    expect(desk.get_by_label("My status")).to_have_value("online")
    site = customer_site(center.url, group)
    try:
        page = browser_context().new_page()
        errors = FrameErrors(page)
        sent = frames_sent(page)
        chat = open_widget(page, site)
        box = chat.get_by_role("textbox", name="Message")
        write(box, "Can I send my teapot back?")
        box.press("Enter")
        with shot_on_failure(page, "failed-widget-bot-answer"):
            expect(chat.get_by_text("Assistant is here to help")).to_be_visible()
            answer = chat.locator("li.message.bot", has_text=RETURNS_TEXT)
            expect(answer).to_be_visible()
        expect(answer.locator(".from")).to_have_text("Assistant:")
        expect(answer.locator(".bot-avatar")).to_be_visible()
        handoff = chat.get_by_role("button", name="Talk to a person")
        expect(handoff).to_be_visible()
        expect(chat.get_by_text("Waiting for an agent…")).to_have_count(0)  # served, not queued
        expect(desk.locator("[data-conversation]")).to_have_count(0)  # no agent's slot is taken

        write(box, "I have a question about my teapot")
        box.press("Enter")
        choices = chat.get_by_role("list", name="Did you mean")
        with shot_on_failure(page, "failed-widget-bot-choices"):
            expect(choices.get_by_role("button", name=CARE)).to_be_visible()
        expect(choices.get_by_role("button", name=RETURNS)).to_be_visible()
        choices.get_by_role("button", name=CARE).click()
        expect(chat.locator("li.message.mine", has_text=CARE)).to_be_visible()
        expect(chat.locator("li.message.bot", has_text=CARE_TEXT)).to_be_visible()
        chosen = [f for f in sent if f["type"] == "bot.choose"]
        assert [f["article_id"] for f in chosen] == [faq["care"]["id"]], chosen
        assert chosen[0]["client_msg_id"] and chosen[0]["conversation_id"]
        expect(choices.get_by_role("button")).to_have_count(0)  # answered: the offer is spent
        expect(chat.locator("li.message.mine.pending")).to_have_count(0)  # acknowledged
        screenshot(page, "widget-bot-en")

        handoff.click()
        expect(chat.locator("li.message.bot", has_text="Connecting you to a person.")).to_be_visible()
        wait_until(lambda: any(f["type"] == "bot.handoff" for f in sent), page)
        with shot_on_failure(desk, "failed-desk-bot-handoff"):
            expect(chat.get_by_text(f"{agent.display_name} is here to help")).to_be_visible()
        expect(handoff).to_have_count(0)
        screenshot(page, "widget-bot-handed-off-en")

        log = desk.get_by_role("log", name="Messages")
        expect(log.locator("li.message.bot", has_text=RETURNS_TEXT)).to_be_visible()
        expect(log.locator("li.message.bot", has_text=CARE_TEXT)).to_be_visible()
        expect(log.locator("li.message.bot .who").first).to_have_text("Bot")
        expect(log.locator(".offered")).to_contain_text("Offered: ")
        expect(log.locator(".offered")).to_contain_text(CARE)
        expect(log.locator("li.message.visitor", has_text="Can I send my teapot back?")).to_be_visible()
        seqs = [int(s) for s in log.locator("li.message[data-seq]").evaluate_all(
            "items => items.map(item => item.dataset.seq)") if s]
        assert seqs == sorted(seqs) and len(seqs) >= 5, seqs  # the visitor's and the bot's turns, in order
        screenshot(desk, "desk-bot-handoff-en")

        reply = desk.get_by_label("Reply to the visitor")
        reply.fill("Hello, I can help with the teapot.")
        reply.press("Enter")
        expect(chat.locator("li.message.theirs", has_text="Hello, I can help with the teapot.")).to_be_visible()
        errors.assert_none()
        problems.assert_none()
    finally:
        site.stop()


def test_a_chinese_visitor_reloads_mid_bot_and_types_for_a_person(center, people, faq, browser_context):  # noqa: F811
    group = bot_group(people)
    agent_id, agent = people.bg.run(staff_member(people.admin, {group: 5}, 2, display_name="客服小李"))
    site = customer_site(center.url, group)
    try:
        page = browser_context(locale="zh-CN").new_page()
        errors = FrameErrors(page)
        chat = open_widget(page, site, "在线咨询")
        box = chat.get_by_role("textbox", name="消息")
        write(box, "普洱茶要怎么储存？")
        box.press("Enter")
        with shot_on_failure(page, "failed-widget-bot-zh-CN"):
            expect(chat.get_by_text("智能助手 为您服务")).to_be_visible()
            expect(chat.locator("li.message.bot", has_text=PUER_TEXT)).to_be_visible()
        expect(chat.get_by_role("button", name="转人工")).to_be_visible()
        screenshot(page, "widget-bot-zh-CN")

        # A reload mid-bot: the same conversation, served by the bot, its history once.
        page.reload()
        page.get_by_role("button", name="在线咨询", exact=True).click()
        expect(chat.locator("li.message.bot", has_text=PUER_TEXT)).to_have_count(1)
        expect(chat.get_by_text("智能助手 为您服务")).to_be_visible()
        expect(chat.get_by_role("button", name="转人工")).to_be_visible()

        write(box, "人工")
        box.press("Enter")
        expect(chat.locator("li.message.bot", has_text="正在为您转接人工客服")).to_be_visible()
        assigned = people.bg.run(agent.next("assigned", timeout=15), 20)
        expect(chat.get_by_text("客服小李 为您服务")).to_be_visible()
        expect(chat.get_by_role("button", name="转人工")).to_have_count(0)

        async def history() -> list[dict]:
            await agent.send({"type": "resume", "conversation_id": assigned["conversation_id"], "after_seq": 0})
            await agent.next("resumed", conversation_id=assigned["conversation_id"])
            return agent.all("message")
        messages = [f["message"] for f in people.bg.run(history())
                    if f["message"]["conversation_id"] == assigned["conversation_id"]]
        kinds = [m["sender"]["kind"] for m in messages]
        assert "bot" in kinds and kinds.count("visitor") >= 2, kinds
        assert any(PUER_TEXT in m["body"] for m in messages if m["sender"]["kind"] == "bot")
        errors.assert_none()
        assert agent_id
    finally:
        site.stop()
        people.bg.run(agent.close())


CLOSED = {"timezone": "UTC", "weekly": {}}  # no day has a window: always closed


def test_out_of_hours_the_bot_answers_and_the_hand_off_leaves_a_message(center, people, faq, browser_context):  # noqa: F811
    group = bot_group(people)
    people.bg.run(people.admin.call("PUT", f"/api/v1/admin/skill-groups/{group}/work-hours", CLOSED))
    site = customer_site(center.url, group)
    try:
        page = browser_context().new_page()
        errors = FrameErrors(page)
        chat = open_widget(page, site)
        box = chat.get_by_role("textbox", name="Message")
        write(box, "Can I send my teapot back?")
        box.press("Enter")
        expect(chat.locator("li.message.bot", has_text=RETURNS_TEXT)).to_be_visible()
        expect(chat.get_by_role("button", name="Talk to a person")).to_have_count(0)
        chat.get_by_role("button", name="Leave a message").click()
        form = chat.get_by_role("form", name="Leave us a message")
        expect(form).to_be_visible()
        # The bot's last word stays in view above the form that took the list's room.
        expect(chat.locator("li.message.bot", has_text="No one can take your chat right now")).to_be_in_viewport()
        expect(chat.get_by_text("Connecting you to a person.")).to_have_count(0)  # nobody is coming now
        expect(form.get_by_label("Message")).to_have_value("Can I send my teapot back?")
        form.get_by_label("Phone or email").fill("mei@example.com")
        form.get_by_role("button", name="Send message").click()
        expect(chat.get_by_text("Thank you! We have your message")).to_be_visible()
        left = people.bg.run(people.admin.call("GET", "/api/v1/left-messages?limit=100"))["items"]
        mine = [item for item in left if item["contact"] == "mei@example.com" and item["skill_group"] == group]
        assert len(mine) == 1 and mine[0]["reason"] == "outside_work_hours", mine
        errors.assert_none()
    finally:
        site.stop()


def test_a_named_bot_greets_first_in_place_of_the_widgets_greeting(center, people, faq, browser_context):  # noqa: F811
    group = bot_group(people, name="Lotus <i>Helper</i>", greeting="Hi! Ask me about teapots <b>or</b> tea.")
    site = customer_site(center.url, group)
    try:
        page = browser_context().new_page()
        errors = FrameErrors(page)
        chat = open_widget(page, site)
        expect(chat.get_by_text("Hello! How can we help you today?")).to_be_visible()  # nothing asked yet
        box = chat.get_by_role("textbox", name="Message")
        write(box, "How do I clean a clay teapot?")
        box.press("Enter")
        expect(chat.get_by_text("Lotus <i>Helper</i> is here to help")).to_be_visible()
        greeting = chat.locator("li.message").first
        expect(greeting).to_contain_text("Hi! Ask me about teapots <b>or</b> tea.")  # the admin's text, as text
        expect(greeting.locator(".from")).to_have_text("Lotus <i>Helper</i>:")
        expect(chat.get_by_text("Hello! How can we help you today?")).to_have_count(0)
        expect(chat.locator("li.message.bot", has_text=CARE_TEXT)).to_be_visible()
        expect(chat.locator(".messages b, .messages i")).to_have_count(0)
        errors.assert_none()
    finally:
        site.stop()
