"""Presence follows what is really open: a workspace socket holds a lease its
gateway renews; when the gateway dies the heartbeats stop, the lease lapses and
the agent stops getting visitors (actors/agent/leases.py)."""

from __future__ import annotations

import time
from datetime import timezone

from actors.agent.protocol import Attach, SetStatus, agent_ref
from actors.lifecycle import AgentStatus
from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, Socket, unique
from tests.integration.shard_probe import ShardProbe


async def request_chat(center, group: str) -> tuple[Socket, dict]:
    _, token = await Api(center.url).new_visitor()
    visitor = await Socket.open(center.url, "visitor", token)
    await visitor.send({"type": "chat.request", "skill_group": group})
    frame = await visitor.next(None, timeout=20)
    while frame["type"] == "welcome":
        frame = await visitor.next(None, timeout=20)
    return visitor, frame


async def presence_history_once_disconnected(probe: ShardProbe, agent_id: str, within_s: float):
    """The agent's AgentStatusChanged rows, once one says `disconnected` (waits for it)."""
    async def history():
        changes = await probe.events(agent_id, "AgentStatusChanged")
        return changes if any(e.data["reason"] == "disconnected" for e in changes) else None

    return await probe.until(history, f"{agent_id} disconnected in the event log", within_s)


async def test_an_agent_whose_gateway_died_gets_no_visitor_after_the_lease(center):
    probe = ShardProbe(center)
    lease_s = center.settings.agent_lease_s
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    group = (await admin.create_group(unique("lease")))["name"]
    ghost = await admin.create_agent(unique("ghost"), {group: 1}, max_concurrent=3)
    # What a gateway replica does when the agent's workspace connects; then the
    # replica dies: no heartbeat renews the socket's lease, and no Detach comes.
    attached_at = time.time()
    await probe.ask(agent_ref(ghost), Attach("socket-on-a-replica-that-died"))
    await probe.ask(agent_ref(ghost), SetStatus(AgentStatus.ONLINE))

    first, frame = await request_chat(center, group)
    assert frame["type"] == "assigned" and frame["agent"]["id"] == ghost  # taking visitors

    gone = await presence_history_once_disconnected(probe, ghost, lease_s + 15)
    disconnected = [e for e in gone if e.data["reason"] == "disconnected"]
    assert len(disconnected) == 1
    event = disconnected[0]
    assert event.data["status"] == "offline" and event.data["previous"] == "online"
    assert event.data["connected"] is False
    lapsed_after = event.at.astimezone(timezone.utc).timestamp() - attached_at
    assert lease_s - 1 <= lapsed_after <= lease_s + 5, lapsed_after
    snapshot = await probe.snapshot(ghost)
    assert snapshot.status is AgentStatus.OFFLINE and not snapshot.connected

    # A new visitor waits, though the ghost had two free slots...
    second, frame = await request_chat(center, group)
    assert frame["type"] == "queued"
    # ...and goes to the first agent with a live workspace, not to the ghost.
    colleague = unique("live")
    colleague_id = await admin.create_agent(colleague, {group: 1}, max_concurrent=1)
    token = (await Api(center.url).login(colleague, "secret-pw")).token
    workspace = await Socket.open(center.url, "agent", token)
    await workspace.send({"type": "status", "status": "online"})
    assigned = await second.next("assigned", timeout=20)
    assert assigned["agent"]["id"] == colleague_id
    assert (await probe.snapshot(ghost)).active == 1  # only the first visitor
    for socket in (first, second, workspace):
        await socket.close()


async def test_a_reloaded_workspace_keeps_the_agent_online_and_a_closed_one_does_not(center):
    probe = ShardProbe(center)
    grace_s = center.settings.agent_reconnect_grace_s
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    group = (await admin.create_group(unique("reload")))["name"]
    username = unique("rl")
    agent_id = await admin.create_agent(username, {group: 1}, max_concurrent=2)
    token = (await Api(center.url).login(username, "secret-pw")).token
    workspace = await Socket.open(center.url, "agent", token)
    await workspace.send({"type": "status", "status": "online"})
    await workspace.next("status")

    # A page reload: the old socket closes, the new one opens moments later.
    await workspace.close()
    workspace = await Socket.open(center.url, "agent", token)
    welcome = await workspace.next("welcome")
    assert welcome["status"] == "online"
    visitor, frame = await request_chat(center, group)
    assert frame["type"] == "assigned" and frame["agent"]["id"] == agent_id

    # Closed for good: offline once the reconnect grace is over, and it says why.
    closed_at = time.time()
    await workspace.close()
    changes = await presence_history_once_disconnected(probe, agent_id, grace_s + 15)
    reasons = [e.data["reason"] for e in changes]
    # Still: not one disconnection was recorded for the reload.
    assert reasons == ["chosen", "disconnected"], reasons
    offline_after = changes[-1].at.astimezone(timezone.utc).timestamp() - closed_at
    assert grace_s - 1 <= offline_after <= grace_s + 5, offline_after
    await visitor.close()
