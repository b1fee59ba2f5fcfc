"""A slot is granted by the agent's entity and then recorded by the conversation's:
a shard that dies between the two neither leaks the slot nor lets it be granted
twice (actors/agent/reservations.py): a grant of a rebuilt agent's earlier
incarnation is refused when its record arrives (the fence).

Each test holds the conversation at the fault point between grant and record
(actors/runtime/fault_points.py), kills one shard as a crash would, and then
checks the agent's own count of slots against the conversations table.
"""

from __future__ import annotations

from actors.conversation.protocol import conversation_ref
from actors.agent.protocol import agent_ref
from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, Socket, unique
from tests.integration.shard_probe import ShardProbe

GRANTED = "conversation.granted"


async def waiting_visitor(center, group: str) -> tuple[Socket, str]:
    _, token = await Api(center.url).new_visitor()
    visitor = await Socket.open(center.url, "visitor", token)
    await visitor.send({"type": "chat.request", "skill_group": group})
    return visitor, (await visitor.next("queued", timeout=20))["conversation_id"]


async def agent_away_from(probe: ShardProbe, admin: Api, group: str, conversation_id: str
                          ) -> tuple[str, str]:
    """A new agent (cap 1) whose entity lives on another shard than the conversation,
    so one crash takes only one side: (agent id, login token)."""
    avoid = probe.index_of(conversation_ref(conversation_id))
    for _ in range(40):
        username = unique("cw")
        agent_id = await admin.create_agent(username, {group: 1}, max_concurrent=1)
        if probe.index_of(agent_ref(agent_id)) != avoid:
            return agent_id, (await Api(admin.base_url).login(username, "secret-pw")).token
    raise AssertionError("no agent id hashed to another shard")


async def online(center, token: str) -> Socket:
    workspace = await Socket.open(center.url, "agent", token)
    await workspace.next("welcome")
    await workspace.send({"type": "status", "status": "online"})
    await workspace.next("status")
    return workspace


async def test_a_slot_granted_to_a_conversation_whose_shard_dies_comes_back(center):
    probe = ShardProbe(center)
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    group = (await admin.create_group(unique("cwa")))["name"]
    first, first_cid = await waiting_visitor(center, group)
    agent_id, token = await agent_away_from(probe, admin, group, first_cid)
    await probe.arm(GRANTED, agent_id)
    workspace = await online(center, token)  # the queue offers them the waiting visitor

    # The agent granted the slot; the conversation dies before recording it.
    await probe.held_at(GRANTED, agent_id)
    assert (await probe.snapshot(agent_id)).active == 1
    await probe.kill(probe.index_of(conversation_ref(first_cid)))
    await probe.release(GRANTED, agent_id)

    # The visitor is served by a colleague who comes online meanwhile...
    colleague = unique("cwb")
    colleague_id = await admin.create_agent(colleague, {group: 1}, max_concurrent=1)
    other = await online(center, (await Api(center.url).login(colleague, "secret-pw")).token)
    assigned = await first.next("assigned", timeout=60)
    assert assigned["conversation_id"] == first_cid and assigned["agent"]["id"] == colleague_id
    # ...and the slot the first agent granted, never recorded, comes back to them.
    check_s = center.settings.reservation_check_s
    assert await probe.slots_match_rows(agent_id, timeout=check_s + 20) == 0
    assert await probe.assigned_count(colleague_id) == 1
    _, token2 = await Api(center.url).new_visitor()
    second = await Socket.open(center.url, "visitor", token2)
    await second.send({"type": "chat.request", "skill_group": group})
    assigned = await second.next("assigned", timeout=20)
    assert assigned["agent"]["id"] == agent_id
    assert await probe.slots_match_rows(agent_id, timeout=10) == 1
    for socket in (first, second, workspace, other):
        await socket.close()


async def test_an_agent_rebuilt_before_the_record_lands_grants_no_slot_twice(center):
    probe = ShardProbe(center)
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    group = (await admin.create_group(unique("cwr")))["name"]
    first, first_cid = await waiting_visitor(center, group)
    agent_id, token = await agent_away_from(probe, admin, group, first_cid)
    await probe.arm(GRANTED, agent_id)
    workspace = await online(center, token)

    # The agent (cap 1) granted its one slot; its shard dies before the record lands.
    await probe.held_at(GRANTED, agent_id)
    await probe.kill(probe.index_of(agent_ref(agent_id)))
    assert await probe.assigned_count(agent_id) == 0  # still not recorded

    # The rebuilt agent is a new incarnation: it never saw that grant, so it grants its
    # slot to the second visitor, whom the agent picks...
    second, second_cid = await waiting_visitor(center, group)
    await workspace.send({"type": "pick", "conversation_id": second_cid})
    assigned = await second.next("assigned", timeout=20)
    assert assigned["agent"]["id"] == agent_id
    assert (await probe.snapshot(agent_id)).active == 1

    # ...and the old grant's record, landing now, is refused by the fence: the first
    # visitor goes back in line instead of pushing the agent over their cap.
    await probe.release(GRANTED, agent_id)
    assert await probe.slots_match_rows(agent_id, timeout=center.settings.reservation_check_s + 20) == 1
    assert await probe.conversation_status(first_cid) == ("queued", None)
    assert await probe.conversation_status(second_cid) == ("assigned", agent_id)
    assert not first.all("assigned")

    # Once the second visitor leaves, the first gets the slot, and still no more.
    await second.send({"type": "chat.end", "conversation_id": second_cid})
    await second.next("ended")
    assigned = await first.next("assigned", timeout=20)
    assert assigned["agent"]["id"] == agent_id
    assert await probe.slots_match_rows(agent_id, timeout=10) == 1
    for socket in (first, second, workspace):
        await socket.close()
