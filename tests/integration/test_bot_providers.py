"""The bot's answer providers over the real knowledge search, on SQLite and PostgreSQL:
the built-in one answers with a published public article's text, offers choices when
unsure and never shows an internal or unpublished article; the OpenAI-compatible one
(against a local fake endpoint) is grounded in those articles and falls back to the
built-in answer when the endpoint refuses, fails, is too slow or says NO_ANSWER."""

from __future__ import annotations

import time

import pytest

from actors.bot.provider_settings import AnswerProviderSettings
from actors.bot.providers import provider_for
from actors.knowledge.search import SqlKnowledgeSearch
from actors.store import knowledge_articles as articles
from tests.integration.fake_chat_completions import API_KEY, MODEL, REPLY_PREFIX, FakeChatCompletions
from tests.integration.test_knowledge_store import faq, published
from tests.integration.test_store import db  # noqa: F401  (the fixture: SQLite and PostgreSQL)

REFUND_BODY = "<p>在订单页点击<b>申请退款</b>，填写原因后提交。</p><p>退款三个工作日内原路退回。</p>"


async def knowledge(db):
    category = await faq(db)
    refund = await published(db, "如何申请退款", REFUND_BODY, category_id=category, questions=["怎么退款？"])
    invoice = await published(db, "发票怎么开", "<p>在订单详情页申请电子发票。</p>", category_id=category,
                              keywords=["发票"])
    invoice_paper = await published(db, "纸质发票邮寄", "<p>纸质发票在开票后五天内寄出。</p>", category_id=category,
                                    keywords=["发票"])
    internal = await published(db, "内部退款审批", "<p>主管在后台审批大额退款。</p>", category_id=category,
                               visibility="internal", keywords=["审批"])
    return refund.id, invoice.id, invoice_paper.id, internal.id


@pytest.fixture
def endpoint():
    fake = FakeChatCompletions().start()
    yield fake
    fake.stop()


def openai_settings(fake: FakeChatCompletions, **more) -> AnswerProviderSettings:
    return AnswerProviderSettings(kind="openai_compatible", base_url=fake.base_url, model=MODEL, api_key=API_KEY,
                                  **more)


async def test_the_builtin_answers_with_the_published_public_text_or_offers_choices(db):
    refund, invoice, invoice_paper, internal = await knowledge(db)
    bot = provider_for(AnswerProviderSettings(), SqlKnowledgeSearch(db), db)
    answer = await bot.answer("c1", "如何申请退款", 0.5)
    assert answer.article_id == refund and answer.confidence >= 0.5 and answer.provider == "builtin"
    assert answer.text == "在订单页点击申请退款，填写原因后提交。\n退款三个工作日内原路退回。"
    # Two invoice articles tie: unsure, it offers both (and nothing internal).
    unsure = await bot.answer("c1", "发票", 0.9)
    assert unsure.text is None and unsure.confidence < 0.9
    assert {c.article_id for c in unsure.choices} == {invoice, invoice_paper}
    assert {c.title for c in unsure.choices} == {"发票怎么开", "纸质发票邮寄"}
    internal_words = await bot.answer("c1", "审批", 0.1)
    assert (internal_words.text, internal_words.choices) == (None, ())
    assert (await bot.answer("c1", "   ", 0.1)).choices == ()
    # A picked choice: the published public article, whole; nothing else.
    picked = await bot.article("c1", invoice)
    assert (picked.text, picked.article_id, picked.confidence) == ("在订单详情页申请电子发票。", invoice, 1.0)
    assert await bot.article("c1", internal) is None
    assert await bot.article("c2", invoice) is None  # another center's
    assert await bot.article("c1", "kb_missing") is None
    await articles.transition(db, "c1", invoice, "archive", "s1")
    assert await bot.article("c1", invoice) is None


async def test_the_openai_provider_answers_from_the_articles_it_was_given(db, endpoint):
    refund, *_ = await knowledge(db)
    bot = provider_for(openai_settings(endpoint), SqlKnowledgeSearch(db), db)
    answer = await bot.answer("c1", "如何申请退款", 0.5)
    assert (answer.text, answer.article_id, answer.provider) == (REPLY_PREFIX + "如何申请退款", refund,
                                                                 "openai_compatible")
    [sent] = endpoint.requests
    assert sent["path"] == "/v1/chat/completions" and sent["authorization"] == f"Bearer {API_KEY}"
    body = sent["body"]
    assert (body["model"], body["temperature"]) == (MODEL, 0.2)
    system, user = body["messages"]
    assert (system["role"], user) == ("system", {"role": "user", "content": "如何申请退款"})
    assert "退款三个工作日内原路退回。" in system["content"] and "NO_ANSWER" in system["content"]
    assert "主管在后台审批大额退款" not in system["content"]  # an internal article is never sent out
    # A picked article is posted as published, without a call.
    assert (await bot.article("c1", refund)).text.startswith("在订单页点击申请退款")
    # Nothing relevant found: no call, the built-in's (empty) answer.
    nothing = await bot.answer("c1", "天气预报", 0.5)
    assert (nothing.text, nothing.provider, len(endpoint.requests)) == (None, "builtin", 1)


@pytest.mark.parametrize("mode", ["no_answer", "error", "bad_json", "slow", "wrong_key"])
async def test_the_openai_provider_falls_back_to_the_builtin_answer(db, endpoint, mode):
    refund, *_ = await knowledge(db)
    settings = openai_settings(endpoint, timeout_s=0.5)
    if mode == "wrong_key":
        settings = AnswerProviderSettings(kind="openai_compatible", base_url=endpoint.base_url, model=MODEL,
                                          api_key="sk-wrong-key", timeout_s=0.5)
    else:
        endpoint.mode = mode
    bot = provider_for(settings, SqlKnowledgeSearch(db), db)
    started = time.monotonic()
    answer = await bot.answer("c1", "如何申请退款", 0.5)
    assert time.monotonic() - started < endpoint.slow_s  # the timeout, not the endpoint, ended the wait
    assert (answer.provider, answer.article_id) == ("builtin", refund)
    assert answer.text.startswith("在订单页点击申请退款")
    assert len(endpoint.requests) == 1  # the endpoint was asked


async def test_an_unreachable_endpoint_is_the_builtin_answer_too(db, endpoint):
    refund, *_ = await knowledge(db)
    url = endpoint.base_url
    endpoint.stop()  # nothing listens there any more
    bot = provider_for(AnswerProviderSettings(kind="openai_compatible", base_url=url, model=MODEL, timeout_s=1),
                       SqlKnowledgeSearch(db), db)
    answer, failure = await bot.answer_and_failure("c1", "如何申请退款", 0.5)
    assert (answer.provider, answer.article_id) == ("builtin", refund) and failure.startswith("Connect")
