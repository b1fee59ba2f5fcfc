"""Chat records search (会话记录) through real websockets and REST, on the embedded
default (SQLite) and the production shape (PostgreSQL, Redis): messages written in
Chinese and English are found by their words once the center's indexer actor has
passed, an internal note never matches a public-only search, the filters combine,
and the indexer catches up on what was written while it was down."""

from __future__ import annotations

import asyncio
import time

import pytest
import ray

from actors.indexer.actor import indexer_name, start_indexer

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


async def searchable(admin: Api, group: str, q: str, expected: list[str], timeout: float = 10.0) -> float:
    """Waits until searching `q` in `group` returns `expected`; the seconds it took."""
    began = time.monotonic()
    while True:
        page = await admin.call("GET", f"/api/v1/conversations?skill_group={group}&q={q}")
        got = [c["conversation_id"] for c in page["conversations"]]
        if got == expected:
            return time.monotonic() - began
        assert time.monotonic() - began < timeout, f"{q!r}: {got}, not {expected} within {timeout}s"
        await asyncio.sleep(0.02)  # the next look, not a hope: the loop ends on the result


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

    # The last message acknowledged is indexed: so are those before it (the cursor).
    await searchable(admin, group, "退货", [noted, refund])  # newest first
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


async def test_the_indexer_catches_up_after_being_down_and_resumes_from_its_cursor(any_center):
    center = any_center
    settings = center.settings
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    group, _, agent = await online_agent_in_new_group(admin, level=1, max_concurrent=4)
    cid, visitor = await served(center, group, agent)
    await visitor.message(cid, "我想申请退款")
    await searchable(admin, group, "退款", [cid])
    indexer = ray.get_actor(indexer_name(settings), namespace=settings.namespace)
    before = await indexer.stats.remote()
    ray.kill(indexer, no_restart=True)
    try:
        # Written while no indexer runs; the chat itself goes on.
        await visitor.message(cid, "Where is my parcel")
        await note(agent, cid, "客户的包裹丢了")
    finally:
        restarted = await asyncio.to_thread(start_indexer, settings)
    resumed_from = await restarted.ready.remote()
    assert resumed_from >= before.cursor > 0  # its stored cursor, not the first message
    await searchable(admin, group, "parcel", [cid])
    await searchable(admin, group, "包裹", [cid])
    page = await admin.call("GET", f"/api/v1/conversations?skill_group={group}&q=包裹&public_only=true")
    assert page["conversations"] == []
    # Killed again, Ray builds it again by itself: it starts from the cursor it stored.
    killed = await restarted.stats.remote()
    ray.kill(restarted, no_restart=False)
    assert await ready_again(settings, killed) >= killed.cursor
    await visitor.message(cid, "退款到账了吗")
    await searchable(admin, group, "到账", [cid])
    for socket in (agent, visitor):
        await socket.close()


async def ready_again(settings, killed, timeout: float = 30.0) -> int:
    """The stored cursor the indexer Ray built again started from. ray.kill returns before
    the process dies, so the killed run may still answer for a moment: its start time
    tells it apart."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            actor = ray.get_actor(indexer_name(settings), namespace=settings.namespace)
            stats = await actor.stats.remote()
            if stats.started_at > killed.started_at:
                return stats.started_from
        except (ray.exceptions.ActorUnavailableError, ray.exceptions.RayActorError):
            pass  # Ray is restarting it
        assert time.monotonic() < deadline, "the indexer did not come back"
        await asyncio.sleep(0.1)


async def test_how_soon_a_message_is_searchable(any_center):
    """The bound README.md gives: each message of a steady stream is searched for
    until found. Measured at 150-190 ms p50 and 320-350 ms at worst under a load of
    10-20 on 2 cores; held here under 2 s so another session's load fails no run."""
    center = any_center
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    group, _, agent = await online_agent_in_new_group(admin, level=1, max_concurrent=4)
    cid, visitor = await served(center, group, agent)
    waits = []
    for n in range(10):
        word = f"probe{n}x{int(time.time() * 1000)}"
        await visitor.message(cid, f"我的快递 {word}")
        waits.append(await searchable(admin, group, word, [cid]))
    print(f"searchable after ack: p50 {sorted(waits)[5] * 1000:.0f} ms, max {max(waits) * 1000:.0f} ms")
    assert max(waits) < 2.0
    for socket in (agent, visitor):
        await socket.close()
