"""Chat records search (会话记录) through real websockets and REST, on the embedded
default (SQLite) and the production shape (PostgreSQL, Redis): messages written in
Chinese and English are found by their words as soon as they are acknowledged, an
internal note never matches a public-only search, and the filters combine."""

from __future__ import annotations

import pytest

from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, Socket, online_agent_in_new_group, unique


@pytest.fixture(params=["center", "pg_center"])
def any_center(request):
    return request.getfixturevalue(request.param)


async def served(center, group: str, agent: Socket, channel: str = "web") -> tuple[str, Socket]:
    """A new visitor of `channel` assigned to `agent`: (conversation id, their socket)."""
    _, token = await Api(center.url).new_visitor("Vera", channel=channel)
    visitor = await Socket.open(center.url, "visitor", token)
    await visitor.next("welcome")
    await visitor.send({"type": "chat.request", "skill_group": group})
    cid = (await visitor.next("assigned"))["conversation_id"]
    await agent.next("assigned", conversation_id=cid)
    return cid, visitor


async def note(agent: Socket, cid: str, body: str) -> None:
    cmid = unique("m")
    await agent.send({"type": "message", "conversation_id": cid, "client_msg_id": cmid, "body": body,
                      "visibility": "internal"})
    await agent.next("ack", client_msg_id=cmid)


async def rate(visitor: Socket, cid: str, score: int) -> None:
    await visitor.send({"type": "rating", "conversation_id": cid, "score": score})
    await visitor.next("rated")


async def test_chinese_words_find_exactly_their_conversations(any_center):
    center = any_center
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    group, _, agent = await online_agent_in_new_group(admin, level=1, max_concurrent=4)
    refund, refund_visitor = await served(center, group, agent)
    invoice, invoice_visitor = await served(center, group, agent, channel="wechat")
    english, english_visitor = await served(center, group, agent)
    noted, noted_visitor = await served(center, group, agent)
    await refund_visitor.message(refund, "你好，我想退货怎么办？")
    await agent.message(refund, "好的，请提供订单号")
    await invoice_visitor.message(invoice, "请开发票给我，谢谢")
    await english_visitor.message(english, "Where is my refund? Order ABC123 has not arrived")
    await noted_visitor.message(noted, "我的快递到了")
    await note(agent, noted, "这位客户上次要求退货")
    await rate(refund_visitor, refund, 5)
    await rate(invoice_visitor, invoice, 2)

    async def found(**params: str) -> list[str]:
        query = "&".join(f"{k}={v}" for k, v in {"skill_group": group, **params}.items())
        page = await admin.call("GET", f"/api/v1/conversations?{query}")
        return [c["conversation_id"] for c in page["conversations"]]

    # Acknowledged means searchable: no wait between the acks above and these calls.
    assert await found(q="退货") == [noted, refund]  # newest first
    assert await found(q="退货", public_only="true") == [refund]
    assert await found(q="发票") == [invoice]
    assert await found(q="REFUND abc123") == [english]
    assert await found(q="退货 发票") == []  # all words, in one message
    assert await found(q="订单号") == [refund]  # the agent's reply is searched too
    assert await found(q="发票", channel="wechat") == [invoice]
    assert await found(q="发票", channel="web") == []
    assert await found(rating="4") == [refund]
    assert await found(q="退货", rating="4", channel="web") == [refund]
    assert await found(q="退货", rating="5", channel="wechat") == []

    page = await admin.call("GET", f"/api/v1/conversations?skill_group={group}&q=退货&public_only=true")
    assert [c["snippet"] for c in page["conversations"]] == ["你好，我想退货怎么办？"]
    staff_view = await admin.call("GET", f"/api/v1/conversations?skill_group={group}&q=退货")
    assert staff_view["conversations"][0]["snippet"] == "这位客户上次要求退货"
    unfiltered = await admin.call("GET", f"/api/v1/conversations?skill_group={group}")
    assert {c["snippet"] for c in unfiltered["conversations"]} == {None}
    paged = await admin.call("GET", f"/api/v1/conversations?skill_group={group}&q=退货&limit=1")
    assert [c["conversation_id"] for c in paged["conversations"]] == [noted]
    assert paged["next_offset"] == 1
    for socket in (agent, refund_visitor, invoice_visitor, english_visitor, noted_visitor):
        await socket.close()
