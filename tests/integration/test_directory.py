"""Asks from outside the shards travel in batches; each still gets its own answer."""

from __future__ import annotations

import asyncio

from actors.conversation.protocol import ConversationInfo, GetInfo, conversation_ref
from actors.placement import EntityRef
from actors.runtime import directory as directory_module
from actors.runtime.directory import Directory
from actors.runtime.shard import shard_names


async def test_concurrent_asks_share_calls_and_keep_their_own_outcomes(center):
    settings = center.settings
    directory = Directory(shard_names(settings), settings.namespace)
    calls = 0
    original = directory._send_asks

    async def counted(index, batch):
        nonlocal calls
        calls += 1
        await original(index, batch)

    directory._send_asks = counted
    ids = [f"c_batch_{i}" for i in range(300)]
    outcomes = await asyncio.gather(
        *(directory.ask(conversation_ref(cid), GetInfo()) for cid in ids),
        # An entity kind no shard knows: this ask fails, its batch-mates do not.
        directory.ask(EntityRef("no-such-kind", "x"), GetInfo()),
        return_exceptions=True)
    *infos, failed = outcomes
    assert [info.conversation_id for info in infos] == ids
    assert all(isinstance(info, ConversationInfo) and info.visitor_id is None for info in infos)
    assert isinstance(failed, LookupError) and "no-such-kind" in str(failed)
    # 301 asks, at most ASK_IN_FLIGHT calls per shard at a time: most went together.
    assert calls < 301 / 4
    assert calls >= settings.shards  # every shard was asked


async def test_asks_given_up_by_their_caller_do_not_break_the_batch(center, monkeypatch):
    # One call in flight per shard: the asks after the first wait and leave together.
    monkeypatch.setattr(directory_module, "ASK_IN_FLIGHT", 1)
    settings = center.settings
    directory = Directory(shard_names(settings), settings.namespace)
    sent: list[str] = []
    original = directory._send_asks

    async def recorded(index, batch):
        sent.extend(key for _, key, _, _ in batch)
        await original(index, batch)

    directory._send_asks = recorded
    first = asyncio.ensure_future(directory.ask(conversation_ref("c_cancel_0"), GetInfo()))
    abandoned = [asyncio.ensure_future(directory.ask(conversation_ref(f"c_cancel_{i}"), GetInfo()))
                 for i in range(1, 20)]
    kept = asyncio.ensure_future(directory.ask(conversation_ref("c_cancel_kept"), GetInfo()))
    await asyncio.sleep(0)  # every ask is made, and waits for its answer
    assert not first.done()
    for task in abandoned:
        task.cancel()  # the callers give up while their asks are on their way
    assert (await asyncio.wait_for(first, 10)).conversation_id == "c_cancel_0"
    assert (await asyncio.wait_for(kept, 10)).conversation_id == "c_cancel_kept"
    # They were asked all the same (their answers went nowhere), and nothing broke.
    assert {f"c_cancel_{i}" for i in range(1, 20)} <= set(sent)
    assert all(task.cancelled() for task in abandoned)
