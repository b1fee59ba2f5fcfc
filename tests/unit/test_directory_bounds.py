"""Work waiting for a shard that does not answer is bounded (DESIGN.md decision 13).

The shard here is a stand-in whose calls never return: a shard that stopped answering.
"""

from __future__ import annotations

import asyncio

import pytest

from actors.placement import EntityRef
from actors.runtime import directory as directory_module
from actors.runtime.directory import Directory, ShardBusy


class _Stuck:
    """A call on the shard's stream that never completes."""

    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self, _commands):
        self.calls += 1
        await asyncio.get_running_loop().create_future()


class StuckShard:
    """Stands in for the ShardLink to a shard that stopped answering."""

    def __init__(self) -> None:
        self.ask = _Stuck()
        self.tell = _Stuck()


def directory_with(shard: StuckShard) -> tuple[Directory, list[EntityRef]]:
    directory = Directory(["s0"], "test")
    directory._links[0] = shard
    return directory, [EntityRef("conversation", f"c{i}") for i in range(50)]


async def test_asks_beyond_the_bound_fail_at_once(monkeypatch):
    monkeypatch.setattr(directory_module, "MAX_ASKS_WAITING", 5)
    shard = StuckShard()
    directory, refs = directory_with(shard)
    waiting = [asyncio.ensure_future(directory.ask(ref, "GetInfo")) for ref in refs[:9]]
    for _ in range(10):  # let the asks and their senders start (no time passes)
        await asyncio.sleep(0)
    # Four calls in flight (ASK_IN_FLIGHT), five asks waiting for the next one.
    assert shard.ask.calls == directory_module.ASK_IN_FLIGHT
    with pytest.raises(ShardBusy):
        await directory.ask(refs[9], "GetInfo")
    assert not any(task.done() for task in waiting)
    await stop(directory, waiting)


async def stop(directory: Directory, callers: list[asyncio.Future]) -> None:
    """End the calls stuck in the stand-in shard (nothing may outlive the test's loop)."""
    directory._asks.clear()
    pending = [*callers, *directory._background, *directory._senders.values()]
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)


async def test_tells_beyond_the_bound_are_dropped_and_counted(monkeypatch):
    monkeypatch.setattr(directory_module, "MAX_TELLS_WAITING", 10)
    shard = StuckShard()
    directory, refs = directory_with(shard)
    for ref in refs[:5]:
        directory.tell(ref, "Typing")
    await asyncio.sleep(0)  # the sender ships those five and waits for the stuck call
    for ref in refs[5:]:
        directory.tell(ref, "Typing")
    assert len(directory._outboxes[0]) == 10
    assert directory.dropped_tells == 35
    await stop(directory, [])
