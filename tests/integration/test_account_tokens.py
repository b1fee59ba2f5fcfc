"""A disabled or deleted account's tokens stop working at once, on REST and on sockets;
a new password or role revokes the tokens issued before; roles come from the account."""

from __future__ import annotations

import pytest

from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, Socket, online_agent_in_new_group, unique


@pytest.fixture
async def admin(center) -> Api:
    return await Api(center.url).login("admin", ADMIN_PASSWORD)


async def account(center, admin: Api, role: str = "agent") -> tuple[str, str, Api]:
    username = unique("ac")
    agent_id = await admin.create_agent(username, {}, 2, role=role)
    return username, agent_id, await Api(center.url).login(username, "secret-pw")


async def refused_socket(center, token: str) -> dict:
    socket = await Socket.open(center.url, "agent", token)
    return await socket.next("error")


async def test_a_disabled_account_is_out_at_once_and_back_only_with_a_new_login(center, admin):
    group, agent_id, agent_socket = await online_agent_in_new_group(admin, level=1, max_concurrent=2)
    username = (await admin.call("GET", f"/api/v1/admin/agents/{agent_id}"))["username"]
    token = agent_socket_token = (await Api(center.url).login(username, "secret-pw")).token
    await Api(center.url, token).call("GET", "/api/v1/queue")

    disabled = await admin.call("POST", f"/api/v1/admin/agents/{agent_id}/disable")
    assert disabled["disabled"] is True
    revoked = await Api(center.url, token).call("GET", "/api/v1/queue", expect=401)
    assert revoked["error"]["code"] == "unauthorized"
    assert (await refused_socket(center, agent_socket_token))["code"] == "unauthorized"
    # The socket opened before: its next frame is refused and it is closed.
    await agent_socket.send({"type": "ping"})
    assert (await agent_socket.next("error"))["code"] == "unauthorized"
    # Gone offline: a visitor of the group waits instead of reaching them.
    _, visitor_token = await Api(center.url).new_visitor()
    guest = await Socket.open(center.url, "visitor", visitor_token)
    await guest.send({"type": "chat.request", "skill_group": group})
    assert (await guest.next("queued"))["position"] == 1
    login = await Api(center.url).call("POST", "/api/v1/auth/login",
                                       {"username": username, "password": "secret-pw"}, expect=403)
    assert login["error"]["code"] == "account_disabled"

    await admin.call("POST", f"/api/v1/admin/agents/{agent_id}/enable")
    await Api(center.url, token).call("GET", "/api/v1/queue", expect=401)  # old tokens stay revoked
    fresh = await Api(center.url).login(username, "secret-pw")
    await fresh.call("GET", "/api/v1/queue")


async def test_a_deleted_account_is_out_leaves_its_groups_and_frees_its_username(center, admin):
    username, agent_id, api = await account(center, admin)
    await admin.call("DELETE", f"/api/v1/admin/agents/{agent_id}", expect=204)
    await api.call("GET", "/api/v1/queue", expect=401)
    assert (await refused_socket(center, api.token))["code"] == "unauthorized"
    bad = await Api(center.url).call("POST", "/api/v1/auth/login",
                                     {"username": username, "password": "secret-pw"}, expect=401)
    assert bad["error"]["code"] == "invalid_credentials"
    kept = await admin.call("GET", f"/api/v1/admin/agents/{agent_id}")
    assert kept["deleted"] is True and kept["skill_groups"] == []
    listed = await admin.call("GET", "/api/v1/admin/agents?limit=200")
    assert agent_id not in [a["agent_id"] for a in listed["agents"]]
    again = await admin.create_agent(username, {}, 1)
    assert again != agent_id


async def test_roles_come_from_the_account_and_a_new_role_or_password_revokes_tokens(center, admin):
    username, agent_id, supervisor = await account(center, admin, role="supervisor")
    await supervisor.call("GET", "/api/v1/admin/agents")
    await admin.call("PATCH", f"/api/v1/admin/agents/{agent_id}", {"role": "agent"})
    await supervisor.call("GET", "/api/v1/admin/agents", expect=401)
    demoted = await Api(center.url).login(username, "secret-pw")
    assert (await demoted.call("GET", "/api/v1/admin/agents", expect=403))["error"]["code"] == "forbidden"

    await admin.call("PATCH", f"/api/v1/admin/agents/{agent_id}", {"password": "another-pw"})
    await demoted.call("GET", "/api/v1/queue", expect=401)
    await Api(center.url).call("POST", "/api/v1/auth/login", {"username": username, "password": "secret-pw"},
                               expect=401)
    await (await Api(center.url).login(username, "another-pw")).call("GET", "/api/v1/queue")


async def test_an_admin_cannot_lock_themself_out(center, admin):
    me = (await Api(center.url).call("POST", "/api/v1/auth/login",
                                     {"username": "admin", "password": ADMIN_PASSWORD}))["agent_id"]
    for method, path, body in [("POST", f"/api/v1/admin/agents/{me}/disable", None),
                               ("DELETE", f"/api/v1/admin/agents/{me}", None),
                               ("PATCH", f"/api/v1/admin/agents/{me}", {"role": "agent"})]:
        refused = await admin.call(method, path, body, expect=409)
        assert refused["error"]["code"] == "own_account"
    managed = await admin.call("PATCH", f"/api/v1/admin/agents/{me}", {"password": "new-admin-pw"}, expect=409)
    assert managed["error"]["code"] == "managed_by_environment"
    await admin.call("GET", "/api/v1/admin/agents")
