"""The FAQ bot's turns where staff read them: a visitor (the protocol client) is served by
the bot, picks one of its choices and asks for a person; the desk's agent gets the
conversation with the bot's answers labelled as the bot's (its name when it has one)
and what it offered; a supervisor finds the conversation among the records served by the
bot, and its record shows the bot's turns likewise.
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.integration.browser.conftest import screenshot
from tests.integration.browser.desk_support import Center, PageProblems, Visitor, go_online, people, sign_in  # noqa: F401
from tests.integration.browser.test_console import sign_in as console_sign_in, supervisor
from tests.integration.browser.test_widget_bot import CARE, CARE_TEXT, RETURNS, RETURNS_TEXT, bot_group, faq  # noqa: F401
from tests.integration.protocol_client import unique

BOT_NAME = "Lotus <b>Helper</b>"  # the admin's text: shown as text


def served_by_the_bot(people: Center, visitor: Visitor, group: str) -> dict:  # noqa: F811
    frame = people.request_chat(visitor, group, answer="bot.serving")
    assert frame["bot"] == {"name": BOT_NAME}, frame
    return frame


def ask(people: Center, visitor: Visitor, frame: dict, answer_has: str) -> dict:  # noqa: F811
    """Sends a visitor frame (message or bot.choose) and returns the bot's answer to it."""
    async def send() -> dict:
        await visitor.socket.send(frame)
        await visitor.socket.next("ack", client_msg_id=frame["client_msg_id"])
        while True:
            message = (await visitor.socket.next("message"))["message"]
            if message["sender"]["kind"] == "bot" and answer_has in message["body"]:
                return message
    return people.bg.run(send())


def test_the_desk_and_the_record_show_the_bots_turns(center, people, faq, browser_context):  # noqa: F811
    group = bot_group(people, name=BOT_NAME)
    agent = people.agent({group: 1})
    desk = browser_context().new_page()
    problems = PageProblems(desk)
    sign_in(desk, center.url, agent)
    go_online(desk)
    expect(desk.get_by_label("My status")).to_have_value("online")

    visitor = people.visitor("Mei")
    served_by_the_bot(people, visitor, group)
    cid = visitor.conversation_id
    answer = ask(people, visitor, {"type": "message", "conversation_id": cid, "client_msg_id": unique("m"),
                                   "body": "Can I send my teapot back?"}, RETURNS_TEXT)
    assert answer["sender"] == {"kind": "bot", "id": "bot", "display_name": BOT_NAME}
    assert answer["bot"]["article_id"] == faq["returns"]["id"]

    async def vague() -> dict:
        await visitor.socket.send({"type": "message", "conversation_id": cid, "client_msg_id": unique("m"),
                                   "body": "I have a question about my teapot"})
        while True:
            message = (await visitor.socket.next("message"))["message"]
            if message["sender"]["kind"] == "bot" and (message.get("bot") or {}).get("choices"):
                return message
    offered = people.bg.run(vague())
    titles = [c["title"] for c in offered["bot"]["choices"]]
    assert CARE in titles and RETURNS in titles, titles
    ask(people, visitor, {"type": "bot.choose", "conversation_id": cid, "client_msg_id": unique("m"),
                          "article_id": faq["care"]["id"]}, CARE_TEXT)
    expect(desk.locator(f'[data-conversation="{cid}"]')).to_have_count(0)  # the bot's, not the agent's yet

    # Meanwhile a supervisor finds it among the records served by the bot.
    _, username = supervisor(people)
    console = browser_context().new_page()
    console_problems = PageProblems(console)
    console_sign_in(console, center.url, username)
    console.get_by_role("link", name="Chat records").click()
    filters = console.get_by_role("form", name="Search chat records")
    filters.get_by_label("Status").select_option(label="With the bot")
    filters.get_by_label("Skill group").select_option(group)
    filters.get_by_role("button", name="Search").click()
    row = console.locator(f'tr[data-conversation="{cid}"]')
    expect(row.locator(".tag.status-bot")).to_have_text("With the bot")
    expect(console.locator("tr[data-conversation]")).to_have_count(1)

    people.bg.run(visitor.socket.send({"type": "bot.handoff", "conversation_id": cid}))
    handed = people.next_frame(visitor, "bot.handed_off")
    assert handed["reason"] == "asked" and handed["to"] == "queue", handed
    assert people.next_frame(visitor, "assigned", timeout=15)["conversation_id"] == cid

    log = desk.get_by_role("log", name="Messages")
    expect(desk.locator(f'[data-conversation="{cid}"]')).to_be_visible()
    bot_turns = log.locator("li.message.bot")
    expect(bot_turns.filter(has_text=RETURNS_TEXT)).to_be_visible()
    expect(bot_turns.filter(has_text=CARE_TEXT)).to_be_visible()
    expect(bot_turns.first.locator(".who")).to_have_text(BOT_NAME)  # text, not markup
    expect(bot_turns.first.locator(".bot-tag")).to_have_text("Bot")
    expect(log.locator(".offered")).to_have_count(1)
    expect(log.locator(".offered")).to_contain_text(f"Offered: {titles[0]}")
    expect(log.locator("li.message.visitor", has_text=CARE)).to_be_visible()  # the choice, as the visitor's
    expect(log.locator("li.message.mine")).to_have_count(0)  # the bot's turns are not the agent's own
    screenshot(desk, "desk-bot-history-en")

    desk.get_by_label("Language").select_option("zh-CN")
    log_zh = desk.get_by_role("log", name="消息")
    expect(log_zh.locator("li.message.bot").first.locator(".bot-tag")).to_have_text("机器人")
    expect(log_zh.locator(".offered")).to_contain_text("推荐：")
    desk.get_by_label("语言").select_option("en")

    row.get_by_role("button", name="Open").click()  # found while the bot served it
    transcript = console.get_by_role("log", name="Messages")
    record_turns = transcript.locator("li.message.bot")
    expect(record_turns.filter(has_text=RETURNS_TEXT)).to_be_visible()
    expect(record_turns.first.locator(".who")).to_have_text(BOT_NAME)
    expect(transcript.locator(".offered")).to_contain_text(CARE)
    screenshot(console, "console-record-bot-en")
    problems.assert_none()
    console_problems.assert_none()
