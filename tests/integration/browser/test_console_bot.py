"""The console's Bot page in a real browser: an admin enables a skill group's bot with
its name, threshold, turns and Chinese hand-off keywords, and a reload shows what was
stored; the answer provider form points the center at an OpenAI-compatible endpoint (a
local fake), and the key, once saved, is only ever shown masked; "Try a question"
shows the endpoint's grounded answer. In Chinese the page names itself 机器人."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.integration.browser.conftest import screenshot
from tests.integration.browser.desk_support import PageProblems, people  # noqa: F401
from tests.integration.browser.test_console import sign_in
from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.fake_chat_completions import API_KEY, MODEL, REPLY_PREFIX, FakeChatCompletions
from tests.integration.protocol_client import unique

PROVIDER = "/api/v1/admin/answer-provider"


def publish(people, title: str, body: str) -> str:
    admin = people.admin
    categories = people.bg.run(admin.call("GET", "/api/v1/knowledge/categories"))["categories"]
    faq = next(c["id"] for c in categories if c["name"] == "FAQ")
    created = people.bg.run(admin.call("POST", "/api/v1/knowledge/articles", {
        "category_id": faq, "title": title, "body_html": body, "visibility": "public"}, expect=201))
    for step in ("submit", "approve"):
        people.bg.run(admin.call("POST", f"/api/v1/knowledge/articles/{created['id']}/{step}"))
    return created["id"]


def test_an_admin_enables_a_groups_bot_and_sets_the_answer_provider(center, people, browser_context):  # noqa: F811
    group = people.group()
    word = unique("bw")
    publish(people, f"Track a parcel {word}", f"<p>Open Orders {word} and press <b>Track</b>.</p>")
    endpoint = FakeChatCompletions().start()
    page = browser_context().new_page()
    problems = PageProblems(page)
    try:
        sign_in(page, center.url, "admin", ADMIN_PASSWORD)
        page.get_by_role("link", name="Bot", exact=True).click()
        page.locator('select[name="group"]').select_option(group)
        form = page.get_by_role("form", name=f"Bot of {group}")
        form.locator('input[name="enabled"]').check()
        form.locator('input[name="name"]').fill("小助手")
        form.locator('textarea[name="greeting"]').fill("您好，我是小助手。")
        form.locator('input[name="threshold"]').fill("0.3")
        form.locator('input[name="max_unanswered"]').fill("3")
        form.locator('input[name="handoff_keywords"]').fill("人工，真人, agent")
        form.locator('input[name="out_of_hours"]').uncheck()
        form.get_by_role("button", name="Save").click()
        expect(page.get_by_role("status").filter(has_text="Saved")).to_be_visible()
        stored = people.bg.run(people.admin.call("GET", f"/api/v1/admin/skill-groups/{group}"))["bot"]
        assert stored == {"enabled": True, "name": "小助手", "greeting": "您好，我是小助手。", "threshold": 0.3,
                          "max_unanswered": 3, "handoff_keywords": ["人工", "真人", "agent"], "out_of_hours": False}

        provider = page.get_by_role("form", name="Answer provider (whole center)")
        provider.locator('select[name="kind"]').select_option("openai_compatible")
        provider.locator('input[name="base_url"]').fill(endpoint.base_url)
        provider.locator('input[name="model"]').fill(MODEL)
        provider.locator('input[name="api_key"]').fill(API_KEY)
        provider.locator('input[name="timeout_s"]').fill("3")
        provider.get_by_role("button", name="Save").click()
        expect(provider.locator(".key-state")).to_contain_text("Key set (…abcd)")
        expect(provider.locator('input[name="api_key"]')).to_have_value("")

        page.reload()
        page.locator('select[name="group"]').select_option(group)
        form = page.get_by_role("form", name=f"Bot of {group}")
        expect(form.locator('input[name="enabled"]')).to_be_checked()
        expect(form.locator('input[name="name"]')).to_have_value("小助手")
        expect(form.locator('input[name="threshold"]')).to_have_value("0.3")
        expect(form.locator('input[name="handoff_keywords"]')).to_have_value("人工, 真人, agent")
        expect(form.locator('input[name="out_of_hours"]')).not_to_be_checked()
        provider = page.get_by_role("form", name="Answer provider (whole center)")
        expect(provider.locator('input[name="base_url"]')).to_have_value(endpoint.base_url)
        expect(provider.locator('input[name="api_key"]')).to_have_value("")
        expect(provider.locator(".key-state")).to_contain_text("Key set (…abcd)")
        assert API_KEY not in page.content()
        # Saving again without typing a key keeps it: the endpoint still accepts the bot.
        provider.locator('input[name="model"]').fill(MODEL)
        provider.get_by_role("button", name="Save").click()
        expect(page.get_by_role("status").filter(has_text="Saved")).to_be_visible()

        trial = page.get_by_role("form", name="Try a question")
        expect(trial).to_contain_text("threshold 0.30")
        trial.locator('input[name="question"]').fill(f"track parcel {word}")
        trial.get_by_role("button", name="Ask").click()
        answer = trial.get_by_role("status", name="The bot's answer")
        expect(answer).to_contain_text(REPLY_PREFIX + f"Track a parcel {word}")
        expect(answer).to_contain_text("OpenAI-compatible endpoint")
        assert endpoint.requests[-1]["authorization"] == f"Bearer {API_KEY}"
        page.set_viewport_size({"width": 1280, "height": 1000})
        expect(answer).to_be_in_viewport()
        screenshot(page, "console-bot-en")  # the README's copy: serve/ui/screenshots/console-bot-en.png
        problems.assert_none()

        # In Chinese: the page and its forms speak it.
        zh = browser_context(locale="zh-CN").new_page()
        sign_in(zh, center.url, "admin", ADMIN_PASSWORD)
        zh.get_by_role("link", name="机器人").click()
        expect(zh.get_by_role("heading", name="机器人", exact=True)).to_be_visible()
        expect(zh.get_by_role("form", name="答案来源（全中心）").locator(".key-state")).to_contain_text("已设置密钥")
    finally:
        people.bg.run(people.admin.call("PUT", PROVIDER, {"kind": "builtin", "api_key": ""}))
        people.bg.run(people.admin.call("PATCH", f"/api/v1/admin/skill-groups/{group}", {"bot": None}))
        endpoint.stop()
