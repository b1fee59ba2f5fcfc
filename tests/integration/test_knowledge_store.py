"""The knowledge base's store and search on both databases: versions and the review
workflow keep what is live apart from what is being edited, and the search finds
published articles by Chinese and English words, their synonyms and the dictionary's,
with snippets marked and a confidence a bot can threshold."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import text

from actors.knowledge.search import SqlKnowledgeSearch
from actors.knowledge.workflow import BadTransition
from actors.store import knowledge_articles as articles
from actors.store import knowledge_categories as categories
from actors.store import knowledge_dictionary as dictionary
from tests.integration.test_store import db  # noqa: F401  (the fixture: SQLite and PostgreSQL)


def content(title, body, **more):
    return {"title": title, "body_html": body, "keywords": more.get("keywords", []),
            "synonyms": more.get("synonyms", []), "questions": more.get("questions", []),
            "visibility": more.get("visibility", "public"), "attachments": [], "category_id": more["category_id"]}


async def published(db, title, body, **more):
    row = await articles.create_article(db, "c1", "a1", content(title, body, **more))
    await articles.transition(db, "c1", row.id, "submit", "a1")
    return await articles.transition(db, "c1", row.id, "approve", "s1")


async def faq(db) -> int:
    await categories.create_default_categories(db, "c1")
    return next(c.id for c in await categories.list_categories(db, "c1") if c.name == "FAQ")


async def test_a_published_article_stays_live_while_its_edit_is_reviewed(db):
    category = await faq(db)
    search = SqlKnowledgeSearch(db)
    row = await articles.create_article(db, "c1", "a1", content("如何开发票", "<p>在订单页点击开发票</p>",
                                                                category_id=category))
    assert (row.status, row.version, row.published_version) == ("draft", 1, None)
    assert await search.search("c1", "开发票", visibility="public") == []  # a draft is not searched
    with pytest.raises(BadTransition):
        await articles.transition(db, "c1", row.id, "approve", "s1")
    await articles.transition(db, "c1", row.id, "submit", "a1")
    row = await articles.transition(db, "c1", row.id, "approve", "s1")
    assert (row.status, row.published_version) == ("published", 1)
    assert [h.article_id for h in await search.search("c1", "开发票", visibility="public")] == [row.id]
    # An agent's edit goes to review; visitors still see version 1.
    edited = await articles.edit_article(db, "c1", row.id, "a2", "agent",
                                         {"title": "电子发票怎么申请", "body_html": "<p>新的说明</p>"}, 1)
    assert (edited.status, edited.version, edited.published_version) == ("in_review", 2, 1)
    with pytest.raises(articles.VersionConflict):
        await articles.edit_article(db, "c1", row.id, "a3", "agent", {"title": "x"}, 1)
    live = await articles.published(db, "c1", row.id)
    assert live.title == "如何开发票"
    assert [h.title for h in await search.search("c1", "开发票", visibility="public")] == ["如何开发票"]
    await articles.transition(db, "c1", row.id, "approve", "s1")
    assert (await articles.published(db, "c1", row.id)).title == "电子发票怎么申请"
    assert [h.title for h in await search.search("c1", "电子发票", visibility="public")] == ["电子发票怎么申请"]
    # A reviewer's edit of a published article is live at once.
    again = await articles.edit_article(db, "c1", row.id, "s1", "supervisor", {"title": "发票申请"}, 2)
    assert (again.status, again.published_version) == ("published", 3)
    assert [v.version for v in await articles.versions_of(db, row.id)] == [3, 2, 1]
    assert (await articles.version_of(db, row.id, 1)).title == "如何开发票"
    archived = await articles.transition(db, "c1", row.id, "archive", "s1")
    assert archived.published_version is None and await articles.published(db, "c1", row.id) is None
    assert await search.search("c1", "发票", visibility="internal") == []
    with pytest.raises(articles.ArchivedArticle):
        await articles.edit_article(db, "c1", row.id, "s1", "admin", {"title": "y"}, 3)
    restored = await articles.transition(db, "c1", row.id, "restore", "s1")
    assert restored.status == "draft" and await search.search("c1", "发票", visibility="internal") == []
    steps = [w.action for w in await articles.workflow_of(db, row.id)]
    assert steps == ["created", "submitted", "approved", "edited", "approved", "edited", "archived", "restored"]


async def test_search_ranks_by_title_and_questions_and_marks_the_words(db):
    category = await faq(db)
    search = SqlKnowledgeSearch(db)
    refund = await published(db, "退货退款流程", "<p>收到商品后七天内可以申请<b>退货</b>，退款三个工作日到账。</p>",
                             category_id=category, questions=["怎么退货？"], keywords=["退款"])
    mention = await published(db, "会员积分说明", "<p>积分不能用于退货订单。</p>", category_id=category)
    internal = await published(db, "退货审核内部规则", "<p>仓库收到退货后质检。</p>", category_id=category,
                               visibility="internal")
    english = await published(db, "Reset your password", "<p>Click <i>Forgot password</i> on the login page.</p>",
                              category_id=category, synonyms=["passcode"])
    hits = await search.search("c1", "我想退货怎么办", visibility="public")
    assert [h.article_id for h in hits] == [refund.id, mention.id]  # internal ones are not public
    assert hits[0].confidence > hits[1].confidence and 0 <= hits[1].confidence <= 1
    assert "<mark>退货</mark>" in hits[0].snippet_html and "<b>" not in hits[0].snippet_html
    staff = await search.search("c1", "退货", visibility="internal")
    assert {h.article_id for h in staff} == {refund.id, mention.id, internal.id}
    found = await search.search("c1", "how do I reset my passcode", visibility="public")
    assert found[0].article_id == english.id and found[0].confidence >= 0.6
    assert await search.search("c1", "？！", visibility="public") == []
    assert await search.search("c1", '" OR title_terms:x', visibility="public") is not None  # no syntax gets in
    other = await search.search("c1", "退货", visibility="public", category_id=category + 1)
    assert other == []


async def test_the_dictionary_keeps_product_names_whole_and_expands_synonyms(db):
    category = await faq(db)
    await dictionary.add_entry(db, "c1", "云客服Pro", ["旗舰版"])
    with pytest.raises(dictionary.DuplicateTerm):
        await dictionary.add_entry(db, "c1", "云客服Pro", [])
    search = SqlKnowledgeSearch(db)
    await search.search("c1", "warm up", visibility="public")  # the dictionary is read (and jieba told)
    pro = await published(db, "云客服Pro的价格", "<p>云客服Pro每席位每月99元。</p>", category_id=category)
    hits = await search.search("c1", "旗舰版多少钱", visibility="public")
    assert [h.article_id for h in hits] == [pro.id]
    assert "<mark>云客服pro</mark>" in hits[0].snippet_html.lower()


async def test_two_editors_of_one_version_one_wins_one_conflicts(db):
    import asyncio

    category = await faq(db)
    row = await articles.create_article(db, "c1", "a1", content("标题", "<p>正文</p>", category_id=category))
    tries = await asyncio.gather(*(articles.edit_article(db, "c1", row.id, f"a{n}", "agent", {"title": f"t{n}"}, 1)
                                   for n in range(4)), return_exceptions=True)
    assert sum(not isinstance(t, Exception) for t in tries) == 1
    assert all(isinstance(t, articles.VersionConflict) for t in tries if isinstance(t, Exception)), tries
    assert (await articles.get_article(db, "c1", row.id)).version == 2


async def test_a_new_dictionary_term_becomes_one_word_in_articles_already_published(db):
    # A name no run has taught jieba yet (its dictionary is the process's), six characters
    # jieba would not keep together by itself.
    name = "".join(chr(0x4E00 + random.randrange(0x5000)) for _ in range(6))
    category = await faq(db)
    row = await published(db, f"{name}充电说明", f"<p>{name}充满电需要两小时。</p>", category_id=category)
    other = await published(db, "发票说明", "<p>在订单页申请发票。</p>", category_id=category)

    async def indexed_words(article_id: str) -> list[str]:
        column = "title_terms" if db.kw["bind"].dialect.name == "sqlite" else "words"
        async with db() as session:
            value = await session.scalar(text(f"SELECT {column} FROM knowledge_search WHERE article_id = :id"),
                                         {"id": article_id})
        return value.split()

    assert name not in await indexed_words(row.id)
    await dictionary.add_entry(db, "c1", name, ["智能手环"])
    assert await articles.reindex_mentioning(db, "c1", [name, "智能手环"]) == 1
    assert name in await indexed_words(row.id)
    assert await indexed_words(other.id)  # not mentioned: left as it was
    hits = await SqlKnowledgeSearch(db).search("c1", "智能手环怎么充电", visibility="public")
    assert hits and hits[0].article_id == row.id
