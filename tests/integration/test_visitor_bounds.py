"""Bounds on what one visitor can cost the center, through the edge: one open
conversation per visitor (the center's default), and a frame rate per socket."""

from __future__ import annotations

import asyncio

from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, Socket, unique


async def test_thirty_chat_requests_from_one_token_open_one_conversation(center):
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    group = (await admin.create_group(unique("g")))["name"]
    _, token = await Api(center.url).new_visitor()
    guest = await Socket.open(center.url, "visitor", token)
    await guest.next("welcome")
    for _ in range(30):
        await guest.send({"type": "chat.request", "skill_group": group})
    answers = [await guest.next("queued") for _ in range(30)]
    assert len({a["conversation_id"] for a in answers}) == 1
    assert [a.get("already_open", False) for a in answers] == [False] + [True] * 29
    assert all(a["position"] == 1 and a["skill_group"] == group for a in answers)

    # A second socket of the same visitor is answered with the same conversation too.
    other = await Socket.open(center.url, "visitor", token)
    welcome = await other.next("welcome")
    assert [c["conversation_id"] for c in welcome["conversations"]] == [answers[0]["conversation_id"]]
    await other.send({"type": "chat.request", "skill_group": group})
    again = await other.next("queued")
    assert again["conversation_id"] == answers[0]["conversation_id"] and again["already_open"]

    # Once it has ended, the visitor may ask again.
    cid = answers[0]["conversation_id"]
    await guest.send({"type": "chat.end", "conversation_id": cid})
    await guest.next("ended", conversation_id=cid)
    await guest.send({"type": "chat.request", "skill_group": group})
    fresh = await guest.next("queued")
    assert fresh["conversation_id"] != cid and "already_open" not in fresh
    await guest.close()
    await other.close()


async def answered(socket: Socket, frame: dict, answer: str, **match) -> dict:
    """Send `frame` until it is not refused for the rate, waiting as the center says."""
    while True:
        await socket.send(frame)
        reply = await socket.next(None, timeout=15)
        while reply["type"] not in (answer, "error"):
            reply = await socket.next(None, timeout=15)
        if reply["type"] == "error" and reply["code"] == "rate_limited":
            await asyncio.sleep(reply["retry_after_s"])  # what a client is told to do
            continue
        assert reply["type"] == answer and all(reply.get(k) == v for k, v in match.items()), reply
        return reply


async def test_a_socket_over_its_frame_rate_is_told_and_keeps_what_was_accepted(center):
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    group = (await admin.create_group(unique("g")))["name"]
    _, token = await Api(center.url).new_visitor()
    guest = await Socket.open(center.url, "visitor", token)
    await guest.next("welcome")
    await guest.send({"type": "chat.request", "skill_group": group})
    cid = (await guest.next("queued"))["conversation_id"]
    assert (await guest.message(cid, "before the flood"))["seq"] == 1

    # Typing frames count: a burst of them uses the budget up, and the pings after it
    # are refused, each with an answer (none is dropped silently).
    burst = center.settings.visitor_frame_rate.burst
    await asyncio.gather(*(guest.send({"type": "typing", "conversation_id": cid, "text": f"k{i}"})
                           for i in range(burst)))
    for _ in range(20):
        await guest.send({"type": "ping"})
    answers = []
    while len(answers) < 20:
        frame = await guest.next(None)
        if frame["type"] in ("pong", "error"):
            answers.append(frame)
    refused = [a for a in answers if a["type"] == "error"]
    assert all(a["code"] == "rate_limited" and 0 < a["retry_after_s"] <= 1 for a in refused)
    assert len(refused) >= 10, answers  # a few tokens may have come back meanwhile

    # The socket is still open, and what was accepted before stays accepted.
    await answered(guest, {"type": "ping"}, "pong")
    ack = await answered(guest, {"type": "message", "conversation_id": cid, "client_msg_id": "after",
                                 "body": "after the flood"}, "ack")
    assert ack["seq"] == 2
    history = await Api(center.url, token).call("GET", f"/api/v1/conversations/{cid}/messages")
    assert [m["body"] for m in history["messages"]] == ["before the flood", "after the flood"]
    await guest.close()
