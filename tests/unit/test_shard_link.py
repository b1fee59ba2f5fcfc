"""Asks and tells over a shard's stream (actors/runtime/shard_link.py): real
sockets on this machine, a stand-in for the shard's entry points, no Ray."""

from __future__ import annotations

import asyncio

import pytest

from actors.runtime.shard_link import HELLO, TELL, ShardLink, ShardLinkServer, ShardUnavailable
from actors.runtime.stream_frames import pack


class FakeShard:
    """The shard's ask_many / tell_many, recording what arrived."""

    def __init__(self) -> None:
        self.told: list[tuple[str, str, object]] = []
        self.release = asyncio.Event()
        self.release.set()

    async def ask_many(self, commands):
        await self.release.wait()
        return [(False, ValueError(f"no {key}")) if command == "fail" else (True, (kind, key, command))
                for kind, key, command in commands]

    async def tell_many(self, commands) -> None:
        self.told.extend(commands)


class Remote:
    def __init__(self, call) -> None:
        self.remote = call


class Handle:
    """What the Directory's handle lookup gives: `stream_address.remote()`."""

    def __init__(self, server: ShardLinkServer) -> None:
        self.server = server
        self.stream_address = Remote(lambda: self.server.address())


async def test_asks_get_their_own_answers_and_errors_cross():
    server = ShardLinkServer(FakeShard().ask_many, FakeShard().tell_many, host="127.0.0.1")
    link = ShardLink(lambda: Handle(server))
    answers = await asyncio.gather(*(link.ask([("conversation", f"c{i}", "get"), ("agent", f"a{i}", "fail")])
                                     for i in range(50)))
    for i, [(ok, reply), (failed, error)] in enumerate(answers):
        assert ok and reply == ("conversation", f"c{i}", "get")
        assert not failed and isinstance(error, ValueError) and str(error) == f"no a{i}"
    await server.close()


async def test_tells_arrive_in_the_order_sent():
    shard = FakeShard()
    server = ShardLinkServer(shard.ask_many, shard.tell_many, host="127.0.0.1")
    link = ShardLink(lambda: Handle(server))
    for batch in range(100):
        await link.tell([("conversation", "c1", (batch, n)) for n in range(3)])
    await link.ask([("conversation", "c1", "sentinel")])  # read after every tell before it
    assert [command for _, _, command in shard.told] == [(b, n) for b in range(100) for n in range(3)]
    await server.close()


async def test_a_broken_connection_fails_its_asks_and_the_next_ask_connects_again():
    shard = FakeShard()
    first = ShardLinkServer(shard.ask_many, shard.tell_many, host="127.0.0.1")
    handle = Handle(first)
    link = ShardLink(lambda: handle)
    assert await link.ask([("agent", "a1", "get")]) == [(True, ("agent", "a1", "get"))]
    shard.release.clear()  # the next ask waits in the shard...
    waiting = asyncio.ensure_future(link.ask([("agent", "a1", "get")]))
    await asyncio.sleep(0.05)
    await first.close()  # ...which dies (a restart: another port, another secret)
    with pytest.raises(ShardUnavailable):
        await asyncio.wait_for(waiting, 5)
    shard.release.set()
    handle.server = ShardLinkServer(shard.ask_many, shard.tell_many, host="127.0.0.1")
    assert await link.ask([("agent", "a1", "again")]) == [(True, ("agent", "a1", "again"))]
    await handle.server.close()


async def test_a_caller_without_the_secret_is_refused_and_the_shard_serves_on():
    shard = FakeShard()
    server = ShardLinkServer(shard.ask_many, shard.tell_many, host="127.0.0.1")
    host, port, _secret = await server.address()
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(pack(HELLO, b"guessed") + pack(TELL, b"not even a pickle"))
    assert await asyncio.wait_for(reader.read(100), 5) == b""  # closed, nothing run
    writer.close()
    assert shard.told == []
    link = ShardLink(lambda: Handle(server))
    assert await link.ask([("center", "c", "get")]) == [(True, ("center", "c", "get"))]
    await server.close()


async def test_an_unreachable_shard_is_shard_unavailable():
    class Gone:
        class stream_address:
            @staticmethod
            def remote():
                raise RuntimeError("actor died")

    with pytest.raises(ShardUnavailable):
        await ShardLink(lambda: Gone()).ask([("agent", "a", "get")])
