"""The knowledge base's pages in a real browser: an admin makes a category and a Chinese
article in the console (tags, a formatted body) and submits it; a supervisor approves it
from the review queue (in Chinese); the public help page lists it, finds it by a Chinese
search and shows its sanitized body — and never shows a draft."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.integration.browser.conftest import screenshot
from tests.integration.browser.desk_support import PageProblems, people  # noqa: F401
from tests.integration.browser.knowledge_support import article
from tests.integration.browser.test_console import sign_in, supervisor
from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import unique

TITLE = "如何申请增值税发票"
HOSTILE = '<img src=x onerror="window.__pwned=1">'


def write_article(page, category_name: str, tag: str) -> str:
    page.get_by_role("link", name="Knowledge base").click()
    page.get_by_role("button", name="New article").click()
    form = page.get_by_role("form", name="Article")
    form.locator('input[name="title"]').fill(TITLE)
    form.locator('select[name="category_id"]').select_option(label=category_name)
    form.locator('select[name="visibility"]').select_option("public")
    for name, words in (("keywords", ["发票", tag]), ("synonyms", ["开票"]), ("questions", ["发票怎么开？"])):
        box = form.locator(f'input[name="{name}"]')
        for word in words:
            box.fill(word)
            box.press("Enter")
        expect(form.locator(f'[data-tags="{name}"] .chip')).to_have_count(len(words))
    body = form.get_by_role("textbox", name="Text")
    body.click()
    body.press_sequentially("登录后进入「订单」页面，点击申请发票。")
    body.press("Enter")
    form.locator('[data-command="bold"]').click()
    body.press_sequentially("三个工作日内开具。")
    page.keyboard.insert_text(HOSTILE)  # typed text: the editor keeps it as text, the server escapes it
    expect(body.locator("b, strong")).to_have_count(1)
    screenshot(page, "console-knowledge-editor-en")
    form.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Draft created")
    expect(page.locator(".workflow .tag")).to_have_text("Draft")
    return page.evaluate("decodeURIComponent(location.hash.split('/')[2])")


def test_an_article_is_written_reviewed_published_and_found_on_the_help_page(center, people, browser_context):  # noqa: F811
    tag = unique("kw")
    name = unique("Invoices")
    page = browser_context().new_page()
    problems = PageProblems(page)
    sign_in(page, center.url, "admin", ADMIN_PASSWORD)
    page.get_by_role("link", name="Knowledge base").click()
    page.get_by_role("button", name="Add category").click()
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Chinese name").fill("发票问题" + tag[-4:])
    page.get_by_role("form", name="New category").get_by_role("button", name="Save").click()
    expect(page.locator(".kb-categories")).to_contain_text(name)

    article_id = write_article(page, name, tag)
    stored = people.bg.run(people.admin.call("GET", f"/api/v1/knowledge/articles/{article_id}"))
    assert stored["status"] == "draft" and stored["title"] == TITLE and stored["version"] == 1
    assert stored["keywords"] == ["发票", tag] and stored["questions"] == ["发票怎么开？"]
    assert "<b>" in stored["body_html"] or "<strong>" in stored["body_html"]
    assert "<img" not in stored["body_html"] and "<p>" in stored["body_html"]  # Enter made a paragraph
    page.locator('[data-action="submit"]').click()
    expect(page.locator(".workflow .tag")).to_have_text("In review")

    term = unique("云客服")
    page.get_by_role("link", name="Dictionary").click()
    entry_form = page.get_by_role("form", name="New dictionary entry")
    entry_form.locator('input[name="term"]').fill(term)
    entry_form.locator('input[name="entry-synonyms"]').fill("在线客服")
    entry_form.locator('input[name="entry-synonyms"]').press("Enter")
    entry_form.get_by_role("button", name="Add").click()
    entry = page.locator("tr[data-entry]", has_text=term)
    expect(entry).to_contain_text("在线客服")
    entries = people.bg.run(people.admin.call("GET", "/api/v1/knowledge/dictionary"))["entries"]
    assert [e["synonyms"] for e in entries if e["term"] == term] == [["在线客服"]]
    entry.get_by_role("button", name="Remove").click()
    expect(entry).to_have_count(0)
    problems.assert_none()

    # A public draft made beside it: never on the help page.
    draft = article(people, stored["category_id"], "草稿：内部价格表", "<p>发票 草稿</p>", publish=False)

    _, username = supervisor(people)
    reviewer = browser_context(locale="zh-CN").new_page()
    reviewer_problems = PageProblems(reviewer)
    sign_in(reviewer, center.url, username)
    reviewer.get_by_role("link", name="审核").click()
    row = reviewer.locator(f'tr[data-article="{article_id}"]')
    expect(row).to_contain_text(TITLE)
    expect(reviewer.locator(f'tr[data-article="{draft["id"]}"]')).to_have_count(0)
    screenshot(reviewer, "console-knowledge-review-zh-CN")
    row.locator('[data-action="approve"]').click()
    expect(row).to_have_count(0)
    # Another one goes back to its author with the reason.
    sent_back = article(people, stored["category_id"], "退货地址", "<p>请寄回仓库。</p>", publish=False)
    people.bg.run(people.admin.call("POST", f"/api/v1/knowledge/articles/{sent_back['id']}/submit", {}))
    reviewer.reload()
    reviewer.locator(f'tr[data-article="{sent_back["id"]}"] [data-action="reject"]').click()
    reviewer.locator('form input[name="comment"]').fill("缺少仓库地址")
    reviewer.locator('form button[type="submit"]').click()
    expect(reviewer.locator(f'tr[data-article="{sent_back["id"]}"]')).to_have_count(0)
    rejected = people.bg.run(people.admin.call("GET", f"/api/v1/knowledge/articles/{sent_back['id']}"))
    assert rejected["status"] == "draft" and rejected["workflow"][-1]["comment"] == "缺少仓库地址"
    reviewer.goto(f"{center.url}/console#/knowledge/{article_id}")
    expect(reviewer.locator(".workflow .tag")).to_have_text("已发布")
    expect(reviewer.locator('.workflow-trail [data-workflow="approved"]')).to_be_visible()
    reviewer.locator('.versions [data-version="1"] button').click()
    expect(reviewer.locator(".old-version")).to_contain_text("三个工作日内开具")
    screenshot(reviewer, "console-knowledge-article-zh-CN")
    # A colleague saves meanwhile: the reviewer's save of the older version is refused
    # and the page offers the newest one.
    reviewer.locator('input[name="title"]').fill(TITLE + "（旧）")
    people.bg.run(people.admin.call("PATCH", f"/api/v1/knowledge/articles/{article_id}",
                                    {"version": 1, "keywords": ["发票", tag, "增值税"]}))
    reviewer.locator('.article-form button[type="submit"]').click()
    conflict = reviewer.locator(".conflict")
    expect(conflict).to_contain_text("同事保存了更新的版本")
    conflict.get_by_role("button").click()
    expect(reviewer.locator('input[name="title"]')).to_have_value(TITLE)
    expect(reviewer.locator('[data-tags="keywords"] .chip')).to_have_count(3)
    expect(conflict).to_have_count(0)
    reviewer_problems.assert_none(allowed=((409, f"/api/v1/knowledge/articles/{article_id}"),))

    help_page = browser_context(locale="zh-CN").new_page()
    help_problems = PageProblems(help_page)
    help_page.goto(center.url + "/help")
    expect(help_page.get_by_role("heading", name="帮助中心", exact=True)).to_be_visible()
    help_page.locator(f'.help-categories [data-category="{stored["category_id"]}"]').click()
    listed = help_page.locator(f'.help-list [data-article="{article_id}"]')
    expect(listed).to_contain_text(TITLE)
    expect(help_page.locator(f'[data-article="{draft["id"]}"]')).to_have_count(0)
    help_page.get_by_role("searchbox").fill("发票怎么开")
    help_page.get_by_role("button", name="搜索").click()
    found = help_page.locator(f'.help-list [data-article="{article_id}"]')
    expect(found).to_contain_text(TITLE)
    expect(found.locator(".snippet mark").first).to_be_visible()
    expect(help_page.locator(f'[data-article="{draft["id"]}"]')).to_have_count(0)
    screenshot(help_page, "help-search-zh-CN")
    found.get_by_role("link", name=TITLE).click()
    body = help_page.locator(".article-body")
    expect(body).to_contain_text("三个工作日内开具")
    expect(body.locator("b, strong")).to_have_count(1)
    expect(body).to_contain_text(HOSTILE)  # the typed markup is text, not an element
    assert help_page.evaluate("window.__pwned") is None
    help_page.goto(f"{center.url}/help#/a/{draft['id']}")
    expect(help_page.get_by_role("alert")).to_have_text("该文章不存在或未公开。")
    help_problems.assert_none(allowed=((404, f"/api/v1/help/articles/{draft['id']}"),))

    english = browser_context().new_page()
    english.goto(center.url + "/help")
    expect(english.get_by_role("heading", name="Help center", exact=True)).to_be_visible()
    expect(english.locator(f'.help-list [data-article="{article_id}"]')).to_contain_text(TITLE)
    screenshot(english, "help-en")


def test_the_widget_header_links_to_the_help_center_in_its_language(center, browser_context):
    chat = browser_context(locale="zh-CN").new_page()
    chat.goto(center.url + "/chat")
    link = chat.get_by_role("link", name="帮助中心")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("href", "/help?lang=zh-CN")
    with chat.context.expect_page() as opened:
        link.click()
    help_page = opened.value
    expect(help_page.get_by_role("heading", name="帮助中心", exact=True)).to_be_visible()
    assert help_page.evaluate("window.opener") is None  # rel=noopener: the help page cannot reach the chat
