"""Queue timeout (超时转接) through the edge: nobody serves the first group, the wait
runs out, the conversation overflows to the next group and, when that one's wait
runs out too, becomes a left message (留言) the visitor can still write into."""

from __future__ import annotations

from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, Socket, unique


async def test_a_short_queue_timeout_overflows_to_the_next_group_then_to_leave_message(center):
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    last = (await admin.create_group(unique("later"), queue_timeout_s=2, overflow_to="leave_message"))["name"]
    first = (await admin.create_group(unique("first"), queue_timeout_s=2, overflow_to=last))["name"]
    visitor_id, token = await Api(center.url).new_visitor("Wen")
    guest = await Socket.open(center.url, "visitor", token)
    await guest.next("welcome")

    await guest.send({"type": "chat.request", "skill_group": first})
    queued = await guest.next("queued")
    cid = queued["conversation_id"]
    assert (queued["skill_group"], queued["position"]) == (first, 1)
    await guest.message(cid, "is anyone there?")  # a waiting visitor may already write

    moved = await guest.next("queued", timeout=15, skill_group=last)
    assert moved["conversation_id"] == cid and moved["position"] == 1
    offline = await guest.next("offline", timeout=15)
    assert offline == {"type": "offline", "conversation_id": cid, "reason": "queue_timeout",
                       "leave_message": True}
    # Between the two: nothing from the first group once the conversation had left it.
    frames = [f for f in guest.frames if f.get("conversation_id") == cid and f["type"] == "queued"]
    assert [f["skill_group"] for f in frames] == [first, last]

    row = await admin.call("GET", f"/api/v1/conversations/{cid}")
    assert (row["status"], row["skill_group"], row["end_reason"]) == ("left_message", last, "queue_timeout")
    # The left message takes what the visitor writes, after what they wrote while waiting.
    assert (await guest.message(cid, "please call me back"))["seq"] == 2
    history = await admin.call("GET", f"/api/v1/conversations/{cid}/messages")
    assert [m["body"] for m in history["messages"]] == ["is anyone there?", "please call me back"]
    assert all(m["sender"] == {"kind": "visitor", "id": visitor_id} for m in history["messages"])
    await guest.close()
