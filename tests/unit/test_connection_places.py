"""A visitor socket's `queued` frames when its conversation overflows to another
group: the next group's place is news even though that queue counts its
revisions on its own, and a late position from the group it left is not.

The websocket is a stand-in that records frames (the socket's peer).
"""

from __future__ import annotations

import asyncio

from actors.bus.base import BusEvent
from actors.conversation.protocol import ConversationQueued, MessageLeft
from actors.skill_group.protocol import QueuePositionChanged
from serve.auth import Principal
from serve.connection import Connection
from tests.unit.test_connection_order import RecordingWebSocket

CID = "c_1"


def queued(group: str, position: int, rev: int) -> ConversationQueued:
    return ConversationQueued(CID, "c1", "v_1", group, position, rev)


def position(group: str, place: int, rev: int) -> BusEvent:
    return BusEvent(QueuePositionChanged(CID, "v_1", group, place, rev))


async def frames_after(items: list[BusEvent | ConversationQueued]) -> list[tuple]:
    """What the socket sends for these, in order: bus events, and chat-request answers
    (a bare ConversationQueued)."""
    socket = RecordingWebSocket()
    connection = Connection(socket, Principal("visitor", "v_1", "c1", "visitor"), db=None)
    writer = asyncio.get_running_loop().create_task(connection.run_writer())
    for item in items:
        if isinstance(item, BusEvent):
            connection.deliver(item)
        else:
            connection.answer_queued(item)
    while not connection.outbox.empty():
        await asyncio.sleep(0)
    await asyncio.sleep(0)
    writer.cancel()
    return [(f["type"], f.get("skill_group"), f.get("position", f.get("reason"))) for f in socket.frames]


async def test_an_overflow_to_a_queue_with_lower_revisions_still_reaches_the_visitor():
    sent = await frames_after([
        queued("first", 3, rev=900),  # the request's answer
        position("first", 2, rev=950),
        BusEvent(queued("second", 1, rev=7)),  # the next queue's own count, far lower
        position("first", 1, rev=960),  # published by the old queue before it let go
        position("second", 2, rev=8),
        BusEvent(MessageLeft(CID, "c1", "v_1", "second", "queue_timeout")),
        position("second", 1, rev=9),
    ])
    assert sent == [("queued", "first", 3), ("queued", "first", 2), ("queued", "second", 1),
                    ("queued", "second", 2), ("offline", None, "queue_timeout")]


async def test_a_requests_answer_older_than_what_the_bus_brought_is_not_sent():
    # The bus brought a newer place before the chat request's own answer came back.
    sent = await frames_after([position("first", 1, rev=20), queued("first", 2, rev=10)])
    assert sent == [("queued", "first", 1)]
