"""Length-prefixed frames over a TCP stream: the center's own data plane.

Ray stays the center's control plane (placement, naming, restarts), but a Ray
actor call cost about a third of a millisecond of CPU on each side here, per
call, which made the calls between the edge, the shards and the bus most of a
relayed message's CPU (benchmarks/profile_relay.py). The hot paths (the bus,
asks and tells between processes) instead keep one TCP connection per pair of
processes and write frames on it:

    frame = length:u32 kind:u8 body        (length counts kind + body)

A peer learns where to connect, and the secret to send first, through one Ray
actor call, so only a process of the center's Ray cluster can join. TCP keeps
a connection's frames in order; what each kind's body holds is the business
of the protocol using it (actors/bus/hub_wire.py, actors/runtime/shard_link.py).
"""

from __future__ import annotations

import asyncio
import socket
import struct
from typing import AsyncIterator, Callable, TypeVar

_HEADER = struct.Struct(">IB")
_LENGTH = struct.Struct(">I")
# A frame past this is a broken or hostile peer: the connection is closed.
MAX_FRAME_BYTES = 64 * 2**20
READ_BYTES = 256 * 2**10


# A peer whose node went away without closing (power, network) answers nothing:
# the kernel's keepalive probes find it out after about KEEPALIVE_IDLE_S +
# KEEPALIVE_COUNT * KEEPALIVE_INTERVAL_S (11 s), and the connection then fails
# like any other broken one (Ray's own health checks take about as long).
KEEPALIVE_IDLE_S = 5
KEEPALIVE_INTERVAL_S = 2
KEEPALIVE_COUNT = 3


def keep_alive(writer: asyncio.StreamWriter) -> None:
    """Turns on quick TCP keepalive probes for this connection."""
    sock = writer.get_extra_info("socket")
    if sock is None:
        return
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    for option, value in (("TCP_KEEPIDLE", KEEPALIVE_IDLE_S), ("TCP_KEEPINTVL", KEEPALIVE_INTERVAL_S),
                          ("TCP_KEEPCNT", KEEPALIVE_COUNT)):
        if hasattr(socket, option):  # Linux names; other systems keep their defaults
            sock.setsockopt(socket.IPPROTO_TCP, getattr(socket, option), value)


class WireError(ValueError):
    """The peer sent something that is not the protocol."""


def pack(kind: bytes, body: bytes) -> bytes:
    return _HEADER.pack(len(body) + 1, kind[0]) + body


class FrameSplitter:
    """Bytes as they come off the socket in, whole (kind, body) frames out."""

    def __init__(self, max_frame_bytes: int = MAX_FRAME_BYTES) -> None:
        self._buffer = bytearray()
        self.max_frame_bytes = max_frame_bytes

    def feed(self, data: bytes) -> list[tuple[bytes, bytes]]:
        buffer = self._buffer
        buffer += data
        frames: list[tuple[bytes, bytes]] = []
        start = 0
        while len(buffer) - start >= _LENGTH.size:
            (length,) = _LENGTH.unpack_from(buffer, start)
            if length < 1 or length > self.max_frame_bytes:
                raise WireError(f"frame of {length} bytes")
            end = start + 4 + length
            if end > len(buffer):
                break
            frames.append((bytes(buffer[start + 4:start + 5]), bytes(buffer[start + 5:end])))
            start = end
        del buffer[:start]
        return frames


F = TypeVar("F")


async def frame_batches(reader: asyncio.StreamReader,
                        feed: Callable[[bytes], list[F]]) -> AsyncIterator[list[F]]:
    """The frames `feed` (a FrameSplitter's, or a protocol's reader built on one)
    makes of each chunk read off `reader`, until the peer closes: every reader of
    the center's streams loops this way."""
    while data := await reader.read(READ_BYTES):
        yield feed(data)


class CoalescingWriter:
    """Frames sent in one turn of the event loop leave in one write (one system
    call however many answers or events a burst made)."""

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self.writer = writer
        self._unsent: list[bytes] = []
        self.closed = False

    def send(self, frame: bytes) -> None:
        if self.closed:
            raise ConnectionError("the connection is closed")
        if not self._unsent:
            asyncio.get_running_loop().call_soon(self._write)
        self._unsent.append(frame)

    def _write(self) -> None:
        if self.closed or not self._unsent:
            return
        data, self._unsent = b"".join(self._unsent), []
        self.writer.write(data)

    @property
    def buffered_bytes(self) -> int:
        """What the socket has not taken yet (a slow reader on the other side)."""
        return self.writer.transport.get_write_buffer_size()

    async def drain(self) -> None:
        self._write()
        await self.writer.drain()

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._unsent.clear()
            self.writer.close()
