"""The desk's Knowledge tab in a real browser: suggested answers for the visitor's
question (searched again when the visitor asks something new), a search, Insert into
the reply; a finished conversation promoted to a draft article."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.integration.browser.conftest import screenshot
from tests.integration.browser.desk_support import PASSWORD, PageProblems, go_online, people, sign_in  # noqa: F401
from tests.integration.browser.knowledge_support import article, category
from tests.integration.protocol_client import Api, unique

INVOICE = "如何开具电子发票"
REFUND = "退款多久到账"


def test_suggested_answers_insert_and_promote(center, people, browser_context):  # noqa: F811
    kind = category(people, unique("Billing"), "账单")
    invoice = article(people, kind["id"], INVOICE, "<p>在<b>订单详情</b>页点击「申请发票」。</p><ul><li>电子发票当天发送</li></ul>",
                      keywords=("发票", "电子发票"), questions=("发票怎么开",), visibility="internal")
    refund = article(people, kind["id"], REFUND, "<p>退款原路返回，一般三到五个工作日到账。</p>",
                     keywords=("退款",), questions=("退款什么时候到账",))
    group = people.group()
    agent = people.agent({group: 1})
    page = browser_context().new_page()
    problems = PageProblems(page)
    sign_in(page, center.url, agent)
    go_online(page)
    visitor = people.visitor("Kim")
    people.request_chat(visitor, group)
    people.say(visitor, "你好，发票怎么开？")
    expect(page.get_by_role("log", name="Messages")).to_contain_text("发票怎么开")

    page.get_by_role("tab", name="Knowledge").click()
    suggested = page.locator(".kb-suggested")
    expect(suggested.locator(f'[data-article="{invoice["id"]}"]')).to_contain_text(INVOICE)
    expect(suggested.locator(f'[data-article="{invoice["id"]}"] .snippet mark').first).to_be_visible()
    people.say(visitor, "另外退款什么时候到账？")
    expect(suggested.locator(f'[data-article="{refund["id"]}"]')).to_contain_text(REFUND)
    # The agent's own edit waits for review: Insert still gives what visitors are told.
    author = people.bg.run(Api(center.url).login(agent.username, PASSWORD))
    edited = people.bg.run(author.call("PATCH", f"/api/v1/knowledge/articles/{refund['id']}",
                                       {"version": refund["version"], "body_html": "<p>改写中，未审核。</p>"}))
    assert edited["status"] == "in_review" and edited["published_version"] == refund["version"]
    suggested.locator(f'[data-article="{refund["id"]}"]').get_by_role("button", name="Insert").click()
    box = page.get_by_label("Reply to the visitor")
    expect(box).to_have_value("退款原路返回，一般三到五个工作日到账。")
    box.fill("")

    page.get_by_label("Search the knowledge base").fill("电子发票")
    page.get_by_role("button", name="Search", exact=True).click()
    hit = page.get_by_role("list", name="Results").locator(f'[data-article="{invoice["id"]}"]')
    expect(hit).to_contain_text(INVOICE)
    screenshot(page, "desk-knowledge-en")
    hit.get_by_role("button", name="Insert").click()
    inserted = re.compile(r"^在订单详情页点击「申请发票」。\n(• )?电子发票当天发送$")  # one line a block
    expect(box).to_have_value(inserted)
    box.press("Enter")
    sent = people.next_frame(visitor, "message")["message"]
    assert inserted.match(sent["body"]), sent["body"]

    page.get_by_label("Language").select_option("zh-CN")
    expect(page.get_by_role("tab", name="知识库")).to_be_visible()
    screenshot(page, "desk-knowledge-zh-CN")
    page.get_by_label("语言").select_option("en")

    people.leave(visitor)
    expect(page.get_by_role("button", name="Promote to knowledge")).to_be_visible()
    page.get_by_role("button", name="Promote to knowledge").click()
    expect(page.get_by_role("status").filter(has_text="A draft article was made")).to_be_visible()
    drafts = people.bg.run(people.admin.call("GET", "/api/v1/knowledge/articles?status=draft&limit=100"))["articles"]
    promoted = [people.bg.run(people.admin.call("GET", f"/api/v1/knowledge/articles/{a['id']}")) for a in drafts]
    mine = [a for a in promoted if (a.get("source") or {}).get("conversation_id") == visitor.conversation_id]
    assert len(mine) == 1 and "发票怎么开" in mine[0]["title"] + " ".join(mine[0]["questions"])
    assert "电子发票当天发送" in mine[0]["body_html"]
    problems.assert_none()


CLOSED = {"timezone": "UTC", "weekly": {}}  # no day has a window: always closed


def test_a_left_message_is_promoted_to_a_draft(center, people, browser_context):  # noqa: F811
    group = people.group()
    people.bg.run(people.admin.call("PUT", f"/api/v1/admin/skill-groups/{group}/work-hours", CLOSED))
    agent = people.agent({group: 1})
    visitor = people.visitor("Lin")
    cid = people.request_chat(visitor, group, answer="offline")["conversation_id"]

    async def leave() -> None:
        await visitor.socket.send({"type": "leave_message", "conversation_id": cid, "client_msg_id": unique("m"),
                                   "name": "Lin", "contact": "lin@example.com", "body": "会员积分可以换什么？"})
        await visitor.socket.next("ack")
    people.bg.run(leave())

    page = browser_context().new_page()
    problems = PageProblems(page)
    sign_in(page, center.url, agent)
    page.get_by_role("tab", name=re.compile(r"^Left messages")).click()
    expect(page.get_by_role("heading", name="Left messages")).to_be_visible()
    # Handed over while the desk is open: pushed to it, no reload.
    people.bg.run(people.admin.call("POST", f"/api/v1/left-messages/{cid}/assign", {"agent_id": agent.agent_id}))
    page.locator(f'li[data-left="{cid}"]').get_by_role("button").click()
    view = page.get_by_role("region", name="Left message from Lin")
    view.get_by_label("Your reply").fill("积分可以兑换优惠券和包邮。")
    view.get_by_role("button", name="Send reply").click()
    expect(view.get_by_role("list", name="The left message and its replies")).to_contain_text("积分可以兑换优惠券和包邮")
    view.get_by_role("button", name="Promote to knowledge").click()
    expect(page.get_by_role("status").filter(has_text="会员积分可以换什么")).to_be_visible()
    drafts = people.bg.run(people.admin.call("GET", "/api/v1/knowledge/articles?status=draft&limit=100"))["articles"]
    made = [a for a in drafts if a["title"] == "会员积分可以换什么？"]
    assert len(made) == 1
    draft = people.bg.run(people.admin.call("GET", f"/api/v1/knowledge/articles/{made[0]['id']}"))
    assert draft["source"] == {"kind": "left_message", "conversation_id": cid}
    assert "积分可以兑换优惠券和包邮" in draft["body_html"]
    problems.assert_none()
