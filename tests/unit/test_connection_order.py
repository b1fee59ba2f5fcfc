"""One socket's frames when the same message reaches it twice (from the gateway's
fast path and from the bus) and a typing preview is overtaken by the message.

The websocket here is a stand-in that records frames: the socket's peer, not a
part of the center. Seqs are contiguous, so no gap is filled from the database.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

from actors.bus.base import BusEvent
from actors.conversation.protocol import MessagePosted, TypingPreviewed
from actors.participants import PartyKind
from actors.store.messages import StoredMessage
from serve.auth import Principal
from serve.connection import Connection

CID = "c_1"


class RecordingWebSocket:
    def __init__(self) -> None:
        self.frames: list[dict] = []

    async def send_json(self, frame: dict) -> None:
        self.frames.append(frame)


def message(seq: int, sender: str = "visitor") -> BusEvent:
    return BusEvent(MessagePosted(StoredMessage(CID, seq, PartyKind(sender), "x", f"m{seq}", f"k{seq}",
                                                datetime(2026, 11, 25, tzinfo=timezone.utc))))


def preview(text: str, seq: int) -> BusEvent:
    return BusEvent(TypingPreviewed(CID, text, seq))


async def frames_after(events: list[BusEvent]) -> list[tuple]:
    socket = RecordingWebSocket()
    connection = Connection(socket, Principal("staff", "ag_1", "c1", "agent"), db=None)
    connection.follow(CID, seen=0)
    writer = asyncio.get_running_loop().create_task(connection.run_writer())
    for event in events:
        connection.deliver(event)
    while not connection.outbox.empty():
        await asyncio.sleep(0)
    await asyncio.sleep(0)
    writer.cancel()
    return [(f["type"], f["message"]["seq"] if f["type"] == "message" else f["text"])
            for f in socket.frames]


async def test_a_message_that_arrives_twice_is_sent_once():
    assert await frames_after([message(1), message(1), message(2), message(1), message(2)]) == [
        ("message", 1), ("message", 2)]


async def test_a_preview_typed_before_a_visitor_message_the_socket_has_is_dropped():
    sent = await frames_after([preview("he", 0), message(1), preview("hello", 0), preview("and", 1)])
    assert sent == [("typing.preview", "he"), ("message", 1), ("typing.preview", "and")]


async def test_an_agents_own_message_does_not_make_the_visitors_preview_stale():
    # The visitor was typing while the agent replied: still worth showing.
    assert await frames_after([message(1, "agent"), preview("still typing", 0)]) == [
        ("message", 1), ("typing.preview", "still typing")]
