"""The hub's stream protocol: how bus clients and the EventHub talk over TCP.

Events do not travel as Ray actor calls: polls and batches as actor calls
made the bus over a third of a relayed message's CPU (benchmarks/profile_relay.py:
8.6 -> 5.4 ms a message at 200 a second when it moved to a stream). Each client
holds one TCP connection to the hub, framed as actors/runtime/stream_frames.py
says (the address and a secret come from one actor call), and these are the
frames' kinds:

    HELLO   'O' secret                          client -> hub, first frame
    PUBLISH 'P' topic_length:u16 topic event    client -> hub
    EVENT   'E' topic_length:u16 topic event    hub -> client
    JOIN    'J' request:u32 topic '\\n' topic... client -> hub (subscribe)
    LEAVE   'L' request:u32 topic '\\n' topic... client -> hub (unsubscribe)
    DONE    'D' request:u32                     hub -> client, once applied
    PING    'H'                                 either way; answered with PING by the hub

Text is UTF-8; an event is its JSON text, opaque to the hub. TCP keeps each
connection's frames in order, so one publisher's events keep their order, and
a DONE read after a JOIN means every event published afterwards will arrive.

Everything here is pure (bytes in, frames out) so it can be unit-tested.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from actors.runtime.stream_frames import FrameSplitter, WireError, pack

HELLO, PUBLISH, EVENT, JOIN, LEAVE, DONE, PING = b"O", b"P", b"E", b"J", b"L", b"D", b"H"
_TOPIC_LENGTH = struct.Struct(">H")
_REQUEST = struct.Struct(">I")


@dataclass(frozen=True)
class Frame:
    kind: bytes
    topic: str = ""
    payload: str = ""
    request: int = 0
    topics: tuple[str, ...] = ()


def hello(secret: str) -> bytes:
    return pack(HELLO, secret.encode())


def event(kind: bytes, topic: str, payload: str) -> bytes:
    """A PUBLISH (client) or EVENT (hub) frame."""
    name = topic.encode()
    return pack(kind, _TOPIC_LENGTH.pack(len(name)) + name + payload.encode())


def topics_request(kind: bytes, request: int, topics: list[str] | tuple[str, ...]) -> bytes:
    """A JOIN or LEAVE frame."""
    return pack(kind, _REQUEST.pack(request) + "\n".join(topics).encode())


def done(request: int) -> bytes:
    return pack(DONE, _REQUEST.pack(request))


def ping() -> bytes:
    return pack(PING, b"")


def _parse(kind: bytes, body: memoryview) -> Frame:
    if kind in (PUBLISH, EVENT):
        if len(body) < 2:
            raise WireError("event frame without a topic")
        (size,) = _TOPIC_LENGTH.unpack_from(body)
        if len(body) < 2 + size:
            raise WireError("event frame shorter than its topic")
        return Frame(kind, topic=bytes(body[2:2 + size]).decode(), payload=bytes(body[2 + size:]).decode())
    if kind in (JOIN, LEAVE, DONE):
        if len(body) < 4:
            raise WireError("request frame without its number")
        (request,) = _REQUEST.unpack_from(body)
        text = bytes(body[4:]).decode()
        return Frame(kind, request=request, topics=tuple(text.split("\n")) if text else ())
    if kind == HELLO:
        return Frame(kind, payload=bytes(body).decode())
    if kind == PING:
        return Frame(kind)
    raise WireError(f"unknown frame kind {kind!r}")


class FrameReader:
    """Bytes as they come off the socket in, this protocol's frames out."""

    def __init__(self) -> None:
        self._frames = FrameSplitter()

    def feed(self, data: bytes) -> list[Frame]:
        try:
            return [_parse(kind, memoryview(body)) for kind, body in self._frames.feed(data)]
        except UnicodeDecodeError as problem:
            raise WireError("text that is not UTF-8") from problem
