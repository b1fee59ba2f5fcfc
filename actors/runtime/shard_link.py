"""Asks and tells to a shard in another process, over a TCP stream.

The Directory batched asks and tells into Ray actor calls (`ask_many`,
`tell_many`) because each call cost about a third of a millisecond of CPU on
both sides; a relayed message still made two (the gateway's ask, the shard's
answer). Now each process keeps one connection to each shard it talks to,
framed as actors/runtime/stream_frames.py says, and Ray only tells it where the
shard listens (`EntityShard.stream_address`: host, port and a secret, which the
caller sends first). Frames:

    HELLO  'O' secret                            caller -> shard, first frame
    ASK    'A' request:u32 pickle([(kind, key, command), ...])
    ANSWER 'R' request:u32 pickle([(ok, reply or error), ...])   in the asks' order
    TELL   'T' pickle([(kind, key, command), ...])

The shard reads a connection's frames in order: a TELL's commands are handed
to their mailboxes before the next frame is read (one caller's tells keep their
order, as `tell_many` promises), an ASK runs beside the others and its ANSWER
is written when all its commands are done. Bodies are pickled like Ray's own
arguments: only a process that could ask the shard's actor knows the secret.

If the connection breaks (the shard died or restarted), the asks waiting on it
fail with ShardUnavailable (they may or may not have run, as with a Ray call
to a dying actor) and the next call connects again, asking Ray where the
shard listens now.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import pickle
import secrets
import struct
from typing import Any, Awaitable, Callable

import ray

from actors.runtime.stream_frames import (CoalescingWriter, FrameSplitter, WireError, frame_batches, keep_alive,
                                          pack)

log = logging.getLogger(__name__)

HELLO, ASK, ANSWER, TELL = b"O", b"A", b"R", b"T"
_REQUEST = struct.Struct(">I")
Commands = list[tuple[str, str, Any]]
Outcomes = list[tuple[bool, Any]]


class ShardUnavailable(ConnectionError):
    """The connection to the shard broke, or could not be made."""


class ShardLink:
    """This process's connection to one shard, made on first use and again after a break."""

    def __init__(self, handle: Callable[[], Any]) -> None:
        self._handle = handle
        self._out: CoalescingWriter | None = None
        self._connecting: asyncio.Lock | None = None
        self._waiting: dict[int, asyncio.Future] = {}
        self._numbers = itertools.count(1)
        self._reader: asyncio.Task | None = None  # held: the loop keeps only weak references to tasks

    async def ask(self, commands: Commands) -> Outcomes:
        out = await self._connected()
        number = next(self._numbers)
        answered = asyncio.get_running_loop().create_future()
        self._waiting[number] = answered
        try:
            out.send(pack(ASK, _REQUEST.pack(number) + pickle.dumps(commands, protocol=5)))
            return await answered
        finally:
            self._waiting.pop(number, None)

    async def tell(self, commands: Commands) -> None:
        """Returns once written (waiting only while the socket pushes back)."""
        out = await self._connected()
        out.send(pack(TELL, pickle.dumps(commands, protocol=5)))
        await out.drain()

    async def _connected(self) -> CoalescingWriter:
        if self._out is not None and not self._out.closed:
            return self._out
        self._connecting = self._connecting or asyncio.Lock()
        async with self._connecting:
            if self._out is None or self._out.closed:
                try:
                    handle = await asyncio.to_thread(self._handle)  # a first lookup asks Ray's GCS
                    host, port, secret = await handle.stream_address.remote()
                    reader, writer = await asyncio.open_connection(host, port)
                except Exception as error:  # Ray's errors (restarting, gone) and the socket's
                    raise ShardUnavailable(f"cannot reach the shard: {error}") from error
                keep_alive(writer)
                out = CoalescingWriter(writer)
                out.send(pack(HELLO, secret.encode()))
                self._out = out
                self._reader = asyncio.get_running_loop().create_task(self._read(reader, out))
            return self._out

    async def _read(self, reader: asyncio.StreamReader, out: CoalescingWriter) -> None:
        try:
            async for frames in frame_batches(reader, FrameSplitter().feed):
                for kind, body in frames:
                    if kind != ANSWER:
                        raise WireError(f"a shard may not send {kind!r}")
                    (number,) = _REQUEST.unpack_from(body)
                    answered = self._waiting.get(number)
                    if answered is not None and not answered.done():
                        answered.set_result(pickle.loads(body[_REQUEST.size:]))
        except (WireError, ConnectionError, OSError) as problem:
            log.warning("shard connection lost: %s", problem)
        finally:
            out.close()
            if self._out is out:
                self._out = None
            for answered in list(self._waiting.values()):
                if not answered.done():
                    answered.set_exception(ShardUnavailable("the shard's connection broke"))


class ShardLinkServer:
    """The shard's end: accepts callers and runs what they send through
    `ask_many` and `tell_many` (the shard's own batched entry points)."""

    def __init__(self, ask_many: Callable[[Commands], Awaitable[Outcomes]],
                 tell_many: Callable[[Commands], Awaitable[None]], host: str | None = None) -> None:
        self.ask_many = ask_many
        self.tell_many = tell_many
        self.host = host  # None: this node's address as Ray knows it (reachable from other nodes)
        self.secret = secrets.token_urlsafe(24)
        self._server: asyncio.AbstractServer | None = None
        self._starting: asyncio.Lock | None = None
        self._callers: set[CoalescingWriter] = set()
        self._tasks: set[asyncio.Task] = set()

    async def address(self) -> tuple[str, int, str]:
        self._starting = self._starting or asyncio.Lock()
        async with self._starting:
            if self._server is None:
                host = self.host or ray.util.get_node_ip_address()
                self._server = await asyncio.start_server(self._accept, host, 0)
        host, port = self._server.sockets[0].getsockname()[:2]
        return host, port, self.secret

    async def close(self) -> None:
        """Stops listening and drops every caller (in-process use and tests; a Ray
        shard just dies with its process)."""
        if self._server is not None:
            self._server.close()
        for out in list(self._callers):
            out.close()
        for task in list(self._tasks):
            task.cancel()
        if self._server is not None:
            await self._server.wait_closed()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        keep_alive(writer)
        out = CoalescingWriter(writer)
        self._callers.add(out)
        hello = False
        try:
            async for frames in frame_batches(reader, FrameSplitter().feed):
                for kind, body in frames:
                    if not hello:
                        if kind != HELLO or not secrets.compare_digest(body, self.secret.encode()):
                            log.warning("shard: refused a connection without the secret")
                            return
                        hello = True
                    elif kind == TELL:
                        await self.tell_many(pickle.loads(body))
                    elif kind == ASK:
                        (number,) = _REQUEST.unpack_from(body)
                        task = asyncio.get_running_loop().create_task(
                            self._answer(out, number, pickle.loads(body[_REQUEST.size:])))
                        self._tasks.add(task)
                        task.add_done_callback(self._tasks.discard)
                    else:
                        raise WireError(f"a caller may not send {kind!r}")
        except Exception as problem:  # noqa: BLE001 - a broken caller loses its connection, nothing more
            log.warning("shard: dropping a caller's connection: %r", problem)
        finally:
            self._callers.discard(out)
            out.close()

    async def _answer(self, out: CoalescingWriter, number: int, commands: Commands) -> None:
        outcomes = await self.ask_many(commands)
        try:
            body = pickle.dumps(outcomes, protocol=5)
        except Exception as error:  # noqa: BLE001 - a reply that cannot travel fails its batch, not the shard
            body = pickle.dumps([(False, RuntimeError(f"reply not sendable: {error}"))] * len(commands))
        if not out.closed:
            out.send(pack(ANSWER, _REQUEST.pack(number) + body))
