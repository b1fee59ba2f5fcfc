"""Bad input gets a clear error, loses nothing accepted, and never drops other sockets."""

from __future__ import annotations

import json

from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, Socket, online_agent_in_new_group, unique


async def test_bad_frames_get_errors_and_the_socket_stays_open(center):
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    group, _, agent = await online_agent_in_new_group(admin, level=1, max_concurrent=1)
    _, token = await Api(center.url).new_visitor()
    guest = await Socket.open(center.url, "visitor", token)
    await guest.send({"type": "chat.request", "skill_group": group})
    cid = (await guest.next("assigned"))["conversation_id"]
    assert (await guest.message(cid, "kept"))["seq"] == 1

    bystander_id, bystander_token = await Api(center.url).new_visitor()
    bystander = await Socket.open(center.url, "visitor", bystander_token)
    await bystander.next("welcome")

    for raw, code in [("{oops", "bad_json"), ('"string"', "bad_frame"), ('{"type": "dance"}', "unknown_type"),
                      ('{"type": "message", "conversation_id": "' + cid + '"}', "invalid_frame"),
                      ('{"type": "status", "status": "online"}', "unknown_type"),
                      ("x" * 70_000, "frame_too_large"),
                      ('{"type": "message", "conversation_id": "c_missing", "client_msg_id": "z", "body": "b"}',
                       "not_found")]:
        await guest.send_raw(raw)
        error = await guest.next("error")
        assert error["code"] == code, (raw[:60], error)
        assert error["message"]

    # Still open, nothing lost, the other visitor's socket untouched.
    assert (await guest.message(cid, "after the errors"))["seq"] == 2
    history = await Api(center.url, token).call("GET", f"/api/v1/conversations/{cid}/messages")
    assert [m["body"] for m in history["messages"]] == ["kept", "after the errors"]
    await bystander.send({"type": "ping"})
    assert (await bystander.next("pong"))["type"] == "pong"
    # A request for a group that does not exist (from a visitor with nothing open: one
    # with an open conversation is answered with that one, see test_visitor_bounds.py).
    await bystander.send_raw('{"type": "chat.request", "skill_group": "no-such-group"}')
    assert (await bystander.next("error"))["code"] == "unknown_skill_group"
    await bystander.send({"type": "chat.request", "skill_group": group})
    assert (await bystander.next("queued"))["skill_group"] == group  # the failed one left nothing open


async def test_bad_tokens_are_refused_everywhere(center):
    api = Api(center.url, "not-a-token")
    answer = await api.call("GET", "/api/v1/conversations/c_x/messages", expect=401)
    assert answer["error"]["code"] == "unauthorized"
    missing = await Api(center.url).call("POST", "/api/v1/admin/skill-groups", {"name": "x"}, expect=401)
    assert missing["error"]["code"] == "unauthorized"
    socket = await Socket.open(center.url, "agent", "garbage")
    assert (await socket.next("error"))["code"] == "unauthorized"
    # A visitor token does not open the agent socket.
    _, visitor_token = await Api(center.url).new_visitor()
    socket = await Socket.open(center.url, "agent", visitor_token)
    assert (await socket.next("error"))["code"] == "unauthorized"


async def test_bad_rest_bodies_use_the_error_shape(center):
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    bad = await admin.call("POST", "/api/v1/admin/agents", {"username": "x"}, expect=422)
    assert bad["error"]["code"] == "invalid_request" and "password" in bad["error"]["message"]
    unknown = await admin.call("POST", "/api/v1/admin/agents", {
        "username": unique("u"), "password": "secret-pw", "display_name": "U", "max_concurrent": 2,
        "skill_groups": [{"name": "missing-group", "level": 1}]}, expect=422)
    assert unknown["error"]["code"] == "unknown_skill_group"
    level = await admin.call("PATCH", "/api/v1/admin/visitors/v_missing", {"level": 3}, expect=404)
    assert level["error"]["code"] == "not_found"
    out_of_range = await admin.call("PATCH", "/api/v1/admin/visitors/v_missing", {"level": 12}, expect=422)
    assert out_of_range["error"]["code"] == "invalid_request"


async def test_an_error_names_the_request_it_answers_when_the_frame_named_one(center):
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    group, _, agent = await online_agent_in_new_group(admin, level=1, max_concurrent=1)
    # Refused by the parser, by the gateway, and by an entity: each echoes its request.
    for raw, code in [('{"type": "pick", "request_id": "r-parse"}', "invalid_frame"),
                      ('{"type": "dance", "request_id": "r-type"}', "unknown_type"),
                      ('{"type": "invite", "visitor_id": "v_nobody", "request_id": "r-gate"}', "not_found"),
                      ('{"type": "pick", "conversation_id": "c_nobody", "request_id": "r-entity"}', "not_found")]:
        await agent.send_raw(raw)
        error = await agent.next("error")
        assert (error["code"], error["request_id"]) == (code, json.loads(raw)["request_id"]), error
    # Without one, the answer is version 1's to the byte: no request_id key at all.
    await agent.send_raw('{"type": "pick"}')
    assert list(await agent.next("error")) == ["type", "code", "message"]
    await agent.send_raw('{"type": "invite", "visitor_id": "v_nobody"}')
    assert set(await agent.next("error", code="not_found")) == {"type", "code", "message"}
    # An id that breaks the rules is itself the problem, and not echoed.
    await agent.send({"type": "ping", "request_id": "x" * 65})
    refused = await agent.next("error")
    assert refused["code"] == "invalid_frame" and "request_id" not in refused

    # A frame dropped by the rate limit is answered with its id too.
    _, token = await Api(center.url).new_visitor()
    guest = await Socket.open(center.url, "visitor", token)
    await guest.send({"type": "chat.request", "skill_group": group})
    cid = (await guest.next("assigned"))["conversation_id"]
    for n in range(80):
        await guest.send({"type": "typing", "conversation_id": cid, "text": "x" * n, "request_id": f"t-{n}"})
    limited = await guest.next("error", code="rate_limited")
    assert limited["request_id"].startswith("t-") and limited["retry_after_s"] > 0
    for socket in (guest, agent):
        await socket.close()


async def test_a_row_id_past_the_database_integer_is_refused_not_overflowed(center):
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    huge = 9448568974496032768  # past SQLite's 64-bit and PostgreSQL's 32-bit INTEGER (a 500 the fuzz found)
    for method, path, body in (("GET", f"/api/v1/admin/agents?department_id={huge}", None),
                               ("GET", f"/api/v1/admin/departments/{huge}", None),
                               ("POST", "/api/v1/admin/departments", {"name": unique("d"), "parent_id": 2**31}),
                               ("POST", "/api/v1/admin/skill-groups", {"name": unique("g"), "department_id": huge})):
        refused = await admin.call(method, path, body, expect=422)
        assert refused["error"]["code"] == "invalid_request", (path, refused)
