"""Agents writing to each other (内部对话) through real sockets and REST: numbered once,
delivered to every workspace of both, unread counts that follow reading anywhere,
and nobody reads a pair they are not part of."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, Socket, unique


@pytest.fixture(params=["center", "pg_center"])
def any_center(request):
    """The embedded default (SQLite, in-cluster bus) and the production shape
    (PostgreSQL, Redis): the pair's queries and the read marks run on both."""
    return request.getfixturevalue(request.param)


@pytest.fixture
async def admin(center) -> Api:
    return await Api(center.url).login("admin", ADMIN_PASSWORD)


async def colleague(admin: Api, display_name: str | None = None) -> tuple[str, Socket, Api]:
    """A staff member with their workspace open and their own REST client."""
    username = unique("ag")
    body = {"username": username, "password": "secret-pw", "display_name": display_name or username,
            "max_concurrent": 2, "skill_groups": []}
    agent_id = (await admin.call("POST", "/api/v1/admin/agents", body))["agent_id"]
    api = await Api(admin.base_url).login(username, "secret-pw")
    socket = await Socket.open(admin.base_url, "agent", api.token)
    await socket.next("welcome")
    return agent_id, socket, api


async def write(socket: Socket, to: str, body: str, client_msg_id: str | None = None) -> dict:
    cmid = client_msg_id or uuid.uuid4().hex
    await socket.send({"type": "staff.message", "to": to, "client_msg_id": cmid, "body": body})
    return await socket.next("staff.ack", client_msg_id=cmid)


async def test_a_message_reaches_every_workspace_of_both_once_and_reads_follow(any_center):
    center = any_center
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    anna_id, anna, anna_api = await colleague(admin, "Anna <b>")
    ben_id, ben, ben_api = await colleague(admin, "Ben")
    anna_tab2 = await Socket.open(center.url, "agent", anna_api.token)
    await anna_tab2.next("welcome")
    ben_tab2 = await Socket.open(center.url, "agent", ben_api.token)
    await ben_tab2.next("welcome")
    try:
        ack = await write(anna, ben_id, "can you take the <script>refund</script> one?", "m1")
        assert (ack["colleague_id"], ack["seq"]) == (ben_id, 1)
        for socket in (ben, ben_tab2, anna_tab2):
            got = (await socket.next("staff.message"))["message"]
            assert (got["seq"], got["body"], got["recipient_id"]) == (
                1, "can you take the <script>refund</script> one?", ben_id)
            assert got["sender"] == {"kind": "agent", "id": anna_id, "display_name": "Anna <b>"}
        # The same client_msg_id again: the same seq, nothing new for anyone.
        assert (await write(anna, ben_id, "can you take the <script>refund</script> one?", "m1"))["seq"] == 1
        second = await write(ben, anna_id, "sure")
        assert second["seq"] == 2
        assert (await anna.next("staff.message"))["message"]["seq"] == 2
        # Ben's other tab gets his own reply too (the sending socket had the ack); wait
        # for it, then see it came once.
        assert (await ben_tab2.next("staff.message"))["message"]["seq"] == 2
        assert [f["message"]["seq"] for f in ben_tab2.all("staff.message")] == [1, 2]
        # No echo to the sending socket: it had the ack.
        assert [f["message"]["seq"] for f in anna.all("staff.message")] == [2]

        threads = (await anna_api.call("GET", "/api/v1/staff-chats"))["threads"]
        assert [(t["colleague"]["id"], t["colleague"]["display_name"], t["last_seq"], t["unread"])
                for t in threads] == [(ben_id, "Ben", 2, 1)]
        assert threads[0]["last_message"]["body"] == "sure"
        # Ben replied, so Ben has read Anna's message.
        assert (await ben_api.call("GET", "/api/v1/staff-chats"))["threads"][0]["unread"] == 0

        await anna.send({"type": "staff.read", "colleague_id": ben_id, "seq": 2})
        read = await anna_tab2.next("staff.read")
        assert (read["colleague_id"], read["seq"]) == (ben_id, 2)
        assert (await anna_api.call("GET", "/api/v1/staff-chats"))["threads"][0]["unread"] == 0
        # A read mark never goes back, nor past what exists.
        await anna.send({"type": "staff.read", "colleague_id": ben_id, "seq": 99})
        await anna.send({"type": "staff.read", "colleague_id": ben_id, "seq": 1})
        await write(ben, anna_id, "one more")
        threads = (await anna_api.call("GET", "/api/v1/staff-chats"))["threads"]
        assert (threads[0]["last_seq"], threads[0]["unread"]) == (3, 1)
    finally:
        for socket in (anna, ben, anna_tab2, ben_tab2):
            await socket.close()


async def test_history_pages_both_ways_and_only_for_the_pair(any_center):
    admin = await Api(any_center.url).login("admin", ADMIN_PASSWORD)
    anna_id, anna, anna_api = await colleague(admin)
    ben_id, ben, _ = await colleague(admin)
    carl_id, carl, carl_api = await colleague(admin)
    try:
        for n in range(5):
            await write(anna if n % 2 == 0 else ben, ben_id if n % 2 == 0 else anna_id, f"line {n}")
        path = f"/api/v1/staff-chats/{ben_id}/messages"
        assert [m["body"] for m in (await anna_api.call("GET", path))["messages"]] == [
            f"line {n}" for n in range(5)]
        assert [m["seq"] for m in (await anna_api.call("GET", path + "?after_seq=3"))["messages"]] == [4, 5]
        assert [m["seq"] for m in (await anna_api.call("GET", path + "?before_seq=5&limit=2"))["messages"]] == [3, 4]
        # Carl asking for "his chat with Ben" gets his own (empty) pair, never Anna's.
        assert (await carl_api.call("GET", f"/api/v1/staff-chats/{ben_id}/messages"))["messages"] == []
        assert (await carl_api.call("GET", "/api/v1/staff-chats"))["threads"] == []
        # Marking read a pair one is not in is a pair of one's own: Anna's count stays.
        await carl.send({"type": "staff.read", "colleague_id": ben_id, "seq": 5})
        await carl.send({"type": "staff.read", "colleague_id": carl_id, "seq": 1})
        assert (await carl.next("error"))["code"] == "not_found"
        assert (await anna_api.call("GET", f"/api/v1/staff-chats/{carl_id}/messages"))["messages"] == []
        await anna_api.call("GET", "/api/v1/staff-chats/ag_nobody/messages", expect=404)
        await anna_api.call("GET", f"/api/v1/staff-chats/{anna_id}/messages", expect=404)
        await anna_api.call("GET", f"{path}?limit=0", expect=422)
    finally:
        for socket in (anna, ben, carl):
            await socket.close()


async def test_bad_staff_frames_get_errors_and_visitors_get_nothing(center, admin):
    anna_id, anna, _ = await colleague(admin)
    try:
        await anna.send({"type": "staff.message", "to": "ag_nobody", "client_msg_id": "x1", "body": "hi"})
        refused = await anna.next("error")
        assert (refused["code"], refused["client_msg_id"]) == ("not_found", "x1")
        await anna.send({"type": "staff.message", "to": anna_id, "client_msg_id": "x2", "body": "me"})
        assert (await anna.next("error"))["code"] == "not_found"
        await anna.send({"type": "staff.message", "to": anna_id, "client_msg_id": "x3", "body": ""})
        assert (await anna.next("error"))["code"] == "invalid_frame"
        await anna.send({"type": "ping"})
        await anna.next("pong")  # the socket is still open

        visitor_id, token = await Api(center.url).new_visitor()
        visitor = await Socket.open(center.url, "visitor", token)
        await visitor.next("welcome")
        await visitor.send({"type": "staff.message", "to": anna_id, "client_msg_id": "v1", "body": "psst"})
        assert (await visitor.next("error"))["code"] == "unknown_type"
        await visitor.close()
        async with httpx.AsyncClient() as http:
            answer = await http.get(f"{center.url}/api/v1/staff-chats", headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 403
        assert answer.json()["error"]["code"] == "forbidden"
    finally:
        await anna.close()
