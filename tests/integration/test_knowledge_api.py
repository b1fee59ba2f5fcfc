"""The knowledge base's REST API on a running center (SQLite, and PostgreSQL with Redis):
roles checked on the server for every call, the review workflow and versions, bad input
refused in PROTOCOL.md's shape, staff search, the public help center that never shows a
draft or an internal article, and promoting a finished conversation to a draft."""

from __future__ import annotations

import pytest

from serve.auth import Principal, issue_token
from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, Socket, online_agent_in_new_group, unique


@pytest.fixture(params=["center", "pg_center"])
def any_center(request):
    return request.getfixturevalue(request.param)


async def login_as(center, admin: Api, role: str) -> tuple[str, Api]:
    username = unique(role[:2])
    agent_id = await admin.create_agent(username, {}, 2, role=role)
    return agent_id, await Api(center.url).login(username, "secret-pw")


async def category_named(api: Api, name: str) -> int:
    listed = (await api.call("GET", "/api/v1/knowledge/categories"))["categories"]
    return next(c["id"] for c in listed if c["name"] == name)


async def test_articles_go_through_review_and_the_public_sees_only_what_is_published(any_center):
    center = any_center
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    agent_id, agent = await login_as(center, admin, "agent")
    _, supervisor = await login_as(center, admin, "supervisor")
    public = Api(center.url)
    names = {c["name"]: c["name_zh"] for c in (await agent.call("GET", "/api/v1/knowledge/categories"))["categories"]}
    assert {"Solutions": "解决方案", "FAQ": "常见问题", "Manuals": "操作手册"}.items() <= names.items()
    faq = await category_named(agent, "FAQ")
    word = unique("zq")  # a word only this test's articles hold
    created = await agent.call("POST", "/api/v1/knowledge/articles", {
        "category_id": faq, "title": f"如何申请退款 {word}", "questions": ["退款多久到账？", "退款多久到账？"],
        "body_html": f'<p>在订单页点击<b>申请退款</b> {word}<span>。</span></p><a href="https://x.test/">帮助</a>',
        "keywords": ["退款"], "visibility": "public"}, expect=201)
    article = created["id"]
    assert article.startswith("kb_") and (created["status"], created["version"]) == ("draft", 1)
    assert created["questions"] == ["退款多久到账？"] and "<span>" not in created["body_html"]
    assert created["workflow"][0]["action"] == "created" and created["created_by"] == agent_id
    # Not published: no one outside sees it, and staff search does not find it.
    await public.call("GET", f"/api/v1/help/articles/{article}", expect=404)
    assert (await agent.call("GET", f"/api/v1/knowledge/search?q={word}"))["results"] == []
    assert (await agent.call("POST", f"/api/v1/knowledge/articles/{article}/approve", {}, expect=403)
            )["error"]["code"] == "forbidden"
    await agent.call("POST", f"/api/v1/knowledge/articles/{article}/submit")
    queue = (await supervisor.call("GET", "/api/v1/knowledge/review?limit=200"))["articles"]
    assert article in [a["id"] for a in queue]
    rejected = await supervisor.call("POST", f"/api/v1/knowledge/articles/{article}/reject", {"comment": "写清楚时限"})
    assert rejected["status"] == "draft" and rejected["workflow"][-1]["comment"] == "写清楚时限"
    assert (await supervisor.call("POST", f"/api/v1/knowledge/articles/{article}/approve", expect=409)
            )["error"]["code"] == "bad_transition"
    await agent.call("POST", f"/api/v1/knowledge/articles/{article}/submit")
    approved = await supervisor.call("POST", f"/api/v1/knowledge/articles/{article}/approve")
    assert (approved["status"], approved["published_version"]) == ("published", 1)
    seen = await public.call("GET", f"/api/v1/help/articles/{article}")
    assert seen["title"] == f"如何申请退款 {word}" and "<b>申请退款</b>" in seen["body_html"]
    found = (await public.call("GET", f"/api/v1/help/articles?q=退款多久到账 {word}"))["articles"]
    assert found[0]["id"] == article and f"<mark>{word}</mark>" in found[0]["snippet_html"]
    results = (await agent.call("GET", f"/api/v1/knowledge/search?q=申请退款 {word}"))["results"]
    assert results[0]["article_id"] == article and 0.6 <= results[0]["confidence"] <= 1
    # The agent's edit waits for review; the public keeps seeing version 1.
    edited = await agent.call("PATCH", f"/api/v1/knowledge/articles/{article}", {"version": 1, "title": f"退款说明 {word}"})
    assert (edited["status"], edited["version"], edited["published_version"]) == ("in_review", 2, 1)
    stale = await supervisor.call("PATCH", f"/api/v1/knowledge/articles/{article}", {"version": 1, "title": "x"},
                                  expect=409)
    assert stale["error"]["code"] == "version_conflict"
    assert (await public.call("GET", f"/api/v1/help/articles/{article}"))["title"] == f"如何申请退款 {word}"
    versions = (await agent.call("GET", f"/api/v1/knowledge/articles/{article}/versions"))["versions"]
    assert [v["version"] for v in versions] == [2, 1]
    old = await agent.call("GET", f"/api/v1/knowledge/articles/{article}/versions/1")
    assert old["title"] == f"如何申请退款 {word}" and old["questions"] == ["退款多久到账？"]
    await agent.call("GET", f"/api/v1/knowledge/articles/{article}/versions/9", expect=404)
    # An internal article is staff's only.
    internal = await admin.call("POST", "/api/v1/knowledge/articles", {
        "category_id": faq, "title": f"内部 {word}", "body_html": f"<p>仅员工 {word}</p>"}, expect=201)
    assert internal["visibility"] == "internal"
    await admin.call("POST", f"/api/v1/knowledge/articles/{internal['id']}/submit")
    await admin.call("POST", f"/api/v1/knowledge/articles/{internal['id']}/approve")
    staff_found = {r["article_id"] for r in (await agent.call("GET", f"/api/v1/knowledge/search?q={word}"))["results"]}
    assert staff_found == {article, internal["id"]}
    public_found = (await agent.call("GET", f"/api/v1/knowledge/search?q={word}&visibility=public"))["results"]
    assert [r["article_id"] for r in public_found] == [article]
    assert [a["id"] for a in (await public.call("GET", f"/api/v1/help/articles?q={word}"))["articles"]] == [article]
    await public.call("GET", f"/api/v1/help/articles/{internal['id']}", expect=404)
    listed = (await public.call("GET", f"/api/v1/help/articles?category_id={faq}&limit=500"))["articles"]
    assert article in [a["id"] for a in listed] and internal["id"] not in [a["id"] for a in listed]
    # Archived: gone from the help center; cannot be edited; restored as a draft.
    await agent.call("POST", f"/api/v1/knowledge/articles/{article}/archive", expect=403)
    await supervisor.call("POST", f"/api/v1/knowledge/articles/{article}/archive")
    await public.call("GET", f"/api/v1/help/articles/{article}", expect=404)
    assert (await agent.call("PATCH", f"/api/v1/knowledge/articles/{article}", {"version": 2, "title": "y"},
                             expect=409))["error"]["code"] == "archived"
    restored = await supervisor.call("POST", f"/api/v1/knowledge/articles/{article}/restore")
    assert restored["status"] == "draft"
    drafts = (await agent.call("GET", f"/api/v1/knowledge/articles?status=draft&category_id={faq}&limit=200"))
    assert article in [a["id"] for a in drafts["articles"]]


async def test_bad_input_is_refused_in_the_error_shape(center):
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    faq = await category_named(admin, "FAQ")
    base = {"category_id": faq, "title": "t", "body_html": "<p>x</p>"}
    cases = [({**base, "title": "长" * 201}, 422, "invalid_request"), ({**base, "title": "  "}, 422, "invalid_request"),
             ({**base, "category_id": 999999}, 422, "unknown_category"),
             ({**base, "body_html": "<p>x</p><script>alert(1)</script>"}, 422, "unsafe_html"),
             ({**base, "body_html": '<a href="javascript:alert(1)">x</a>'}, 422, "unsafe_html"),
             ({**base, "body_html": '<img src="https://x.test/a.png" onerror="alert(1)">'}, 422, "unsafe_html"),
             ({**base, "attachments": ["att_nope"]}, 422, "unknown_attachment"),
             ({**base, "visibility": "secret"}, 422, "invalid_request"), ({**base, "surprise": 1}, 422, "invalid_request"),
             ({**base, "keywords": ["k"] * 51}, 422, "invalid_request")]
    for body, status, code in cases:
        refused = await admin.call("POST", "/api/v1/knowledge/articles", body, expect=status)
        assert refused["error"]["code"] == code, body
    row = await admin.call("POST", "/api/v1/knowledge/articles", base, expect=201)
    await admin.call("POST", f"/api/v1/knowledge/articles/{row['id']}/submit")
    no_reason = await admin.call("POST", f"/api/v1/knowledge/articles/{row['id']}/reject", {}, expect=422)
    assert no_reason["error"]["code"] == "comment_required"
    await admin.call("GET", "/api/v1/knowledge/articles/kb_nope", expect=404)
    await admin.call("GET", f"/api/v1/knowledge/search?q={'长' * 501}", expect=422)
    await admin.call("GET", "/api/v1/knowledge/articles?cursor=abc", expect=422)


async def test_categories_and_the_dictionary_are_written_by_admins(center):
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    _, supervisor = await login_as(center, admin, "supervisor")
    _, agent = await login_as(center, admin, "agent")
    await supervisor.call("POST", "/api/v1/knowledge/categories", {"name": "x"}, expect=403)
    parent = await admin.call("POST", "/api/v1/knowledge/categories", {"name": unique("Billing"), "name_zh": "账单"},
                              expect=201)
    child = await admin.call("POST", "/api/v1/knowledge/categories", {"name": "Invoices", "parent_id": parent["id"],
                                                                     "position": 2}, expect=201)
    assert child["parent_id"] == parent["id"] and child["article_count"] == 0
    assert (await admin.call("PATCH", f"/api/v1/knowledge/categories/{parent['id']}",
                             {"parent_id": child["id"]}, expect=422))["error"]["code"] == "category_cycle"
    await admin.call("POST", "/api/v1/knowledge/categories", {"name": "y", "parent_id": 999999}, expect=422)
    assert (await admin.call("DELETE", f"/api/v1/knowledge/categories/{parent['id']}", expect=409)
            )["error"]["code"] == "category_not_empty"
    await agent.call("POST", "/api/v1/knowledge/articles", {"category_id": child["id"], "title": "t",
                                                            "body_html": "<p>b</p>"}, expect=201)
    counted = {c["id"]: c["article_count"] for c in (await agent.call("GET", "/api/v1/knowledge/categories"))["categories"]}
    assert counted[child["id"]] == 1
    await admin.call("DELETE", f"/api/v1/knowledge/categories/{child['id']}", expect=409)
    renamed = await admin.call("PATCH", f"/api/v1/knowledge/categories/{parent['id']}", {"name_zh": "发票与账单"})
    assert renamed["name_zh"] == "发票与账单"
    term = unique("云客服")
    await agent.call("POST", "/api/v1/knowledge/dictionary", {"term": term}, expect=403)
    entry = await admin.call("POST", "/api/v1/knowledge/dictionary", {"term": term, "synonyms": ["旗舰版", "旗舰版"]},
                             expect=201)
    assert entry["synonyms"] == ["旗舰版"]
    assert (await admin.call("POST", "/api/v1/knowledge/dictionary", {"term": term}, expect=409)
            )["error"]["code"] == "duplicate_term"
    assert entry in (await agent.call("GET", "/api/v1/knowledge/dictionary"))["entries"]
    await admin.call("DELETE", f"/api/v1/knowledge/dictionary/{entry['id']}", expect=204)
    await admin.call("DELETE", f"/api/v1/knowledge/dictionary/{entry['id']}", expect=404)


async def test_staff_of_another_center_and_visitors_are_refused(center):
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    faq = await category_named(admin, "FAQ")
    row = await admin.call("POST", "/api/v1/knowledge/articles", {"category_id": faq, "title": "t",
                                                                  "body_html": "<p>b</p>"}, expect=201)
    stranger = Api(center.url, issue_token(Principal("staff", "ag_x", "another-center", "admin"),
                                           center.settings.token_secret, 600))
    _, visitor_token = await Api(center.url).new_visitor("Vera")
    visitor = Api(center.url, visitor_token)
    for caller, status in ((stranger, 403), (visitor, 403), (Api(center.url), 401)):
        for method, path in (("GET", "/api/v1/knowledge/categories"), ("GET", f"/api/v1/knowledge/articles/{row['id']}"),
                             ("GET", "/api/v1/knowledge/search?q=t"), ("GET", "/api/v1/knowledge/review"),
                             ("POST", f"/api/v1/knowledge/articles/{row['id']}/submit")):
            await caller.call(method, path, expect=status)


async def test_a_finished_conversation_is_promoted_to_a_draft(center):
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    group, _, agent = await online_agent_in_new_group(admin, level=1, max_concurrent=2)
    _, token = await Api(center.url).new_visitor("Vera")
    visitor = await Socket.open(center.url, "visitor", token)
    await visitor.next("welcome")
    await visitor.send({"type": "chat.request", "skill_group": group})
    cid = (await visitor.next("assigned"))["conversation_id"]
    await agent.next("assigned", conversation_id=cid)
    await visitor.message(cid, "发票怎么开？<b>急</b>")
    await agent.message(cid, "在订单页点击“开发票”<br>")
    await agent.message(cid, "电子发票会发到邮箱")
    agent_api = Api(center.url, agent.token)
    early = await agent_api.call("POST", "/api/v1/knowledge/articles/promote", {"conversation_id": cid}, expect=409)
    assert early["error"]["code"] == "conversation_not_finished"
    await agent.send({"type": "chat.end", "conversation_id": cid})
    await visitor.next("ended")
    _, outsider = await login_as(center, admin, "agent")
    await outsider.call("POST", "/api/v1/knowledge/articles/promote", {"conversation_id": cid}, expect=404)
    draft = await agent_api.call("POST", "/api/v1/knowledge/articles/promote", {"conversation_id": cid}, expect=201)
    assert (draft["status"], draft["title"], draft["questions"]) == ("draft", "发票怎么开？<b>急</b>",
                                                                   ["发票怎么开？<b>急</b>"])
    assert draft["body_html"] == "<p>在订单页点击“开发票”&lt;br&gt;</p><p>电子发票会发到邮箱</p>"
    assert draft["source"] == {"kind": "conversation", "conversation_id": cid}
    await agent_api.call("POST", "/api/v1/knowledge/articles/promote", {"conversation_id": "c_nope"}, expect=404)
    await visitor.close()


async def test_a_left_message_is_promoted_by_an_agent_who_may_see_it(center):
    from tests.integration.test_left_message_pool import agent_api, left_message
    from tests.integration.test_visitor_feedback import CLOSED

    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    group = (await admin.create_group(unique("g")))["name"]
    other = (await admin.create_group(unique("g")))["name"]
    await admin.call("PUT", f"/api/v1/admin/skill-groups/{group}/work-hours", CLOSED)
    cid, _, visitor = await left_message(center, admin, group, "vera@example.com", "保修期是多久？")
    li_id, li = await agent_api(center, admin, {group: 1})
    _, stranger = await agent_api(center, admin, {other: 1})
    await li.call("POST", f"/api/v1/left-messages/{cid}/assign", {"agent_id": li_id})
    await li.call("POST", f"/api/v1/left-messages/{cid}/reply", {"body": "整机保修一年。", "client_msg_id": unique("m")})
    await stranger.call("POST", "/api/v1/knowledge/articles/promote", {"conversation_id": cid}, expect=404)
    draft = await li.call("POST", "/api/v1/knowledge/articles/promote", {"conversation_id": cid}, expect=201)
    assert (draft["title"], draft["body_html"]) == ("保修期是多久？", "<p>整机保修一年。</p>")
    assert draft["source"] == {"kind": "left_message", "conversation_id": cid}
    await visitor.close()
