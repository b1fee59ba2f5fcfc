"""Property: under random concurrent requests, picks, ends and status changes, no
agent ever holds more than its cap and no conversation is assigned twice.

Each example builds its own skill groups and agents on the shared center and
drives it only through websockets. The agents' sockets see every `assigned` and
`ended` frame in the order the center produced them, so the test replays that
stream and checks the cap at every step, then checks the database agrees.
"""

from __future__ import annotations

import asyncio
import random

from hypothesis import HealthCheck, given, settings, strategies as st

from actors.store import conversations as store
from actors.store.database import create_engine, sessionmaker
from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, Socket, unique

OPS = st.lists(st.tuples(st.sampled_from(["request", "request", "request", "end", "pick", "status"]),
                         st.integers(0, 10_000)), min_size=5, max_size=40)


async def run_scenario(center, ops, caps, group_count, seed) -> None:
    rng = random.Random(seed)
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    groups = [(await admin.create_group(unique("p")))["name"] for _ in range(group_count)]
    agents: dict[str, tuple[Socket, int]] = {}
    for cap in caps:
        username = unique("pa")
        member_of = {g: rng.randint(1, 5) for g in groups if rng.random() < 0.7} or {groups[0]: 1}
        agent_id = await admin.create_agent(username, member_of, cap)
        token = (await Api(center.url).login(username, "secret-pw")).token
        socket = await Socket.open(center.url, "agent", token)
        await socket.next("welcome")
        await socket.send({"type": "status", "status": "online"})
        agents[agent_id] = (socket, cap)
    visitors: list[tuple[Socket, list[str]]] = []

    async def do(op: str, arg: int) -> None:
        if op == "request" or not visitors:
            _, token = await Api(center.url).new_visitor()
            socket = await Socket.open(center.url, "visitor", token)
            owned: list[str] = []
            visitors.append((socket, owned))
            await socket.send({"type": "chat.request", "skill_group": groups[arg % len(groups)]})
            reply = await socket.next(None, timeout=20)
            while reply["type"] == "welcome":
                reply = await socket.next(None, timeout=20)
            owned.append(reply["conversation_id"])
        elif op == "end":
            socket, owned = visitors[arg % len(visitors)]
            if owned:
                await socket.send({"type": "chat.end", "conversation_id": owned[0]})
        elif op == "pick":
            agent_socket = list(agents.values())[arg % len(agents)][0]
            socket, owned = visitors[arg % len(visitors)]
            if owned:
                await agent_socket.send({"type": "pick", "conversation_id": owned[0]})
        elif op == "status":
            agent_socket = list(agents.values())[arg % len(agents)][0]
            await agent_socket.send({"type": "status", "status": ["online", "away", "online"][arg % 3]})

    # Fire everything at once, in random interleavings.
    await asyncio.gather(*(do(op, arg) for op, arg in ops))

    def replayed(socket: Socket, cap: int, agent_id: str, assigned_where: dict[str, str]) -> set[str]:
        """The agent's open conversations by its frames, checking the cap at every step."""
        open_now: set[str] = set()
        for frame in socket.frames:
            cid = frame.get("conversation_id")
            if frame["type"] == "assigned":
                assert assigned_where.setdefault(cid, agent_id) == agent_id, f"{cid} assigned twice"
                open_now.add(cid)
                assert len(open_now) <= cap, f"agent {agent_id} over cap {cap}: {open_now}"
            elif frame["type"] == "ended":
                open_now.discard(cid)
        return open_now

    # The last assignments and endings land: wait until every agent's frames and the
    # database agree (each frame checked on the way), rather than for a fixed time.
    engine = create_engine(center.settings.database_url)
    try:
        db = sessionmaker(engine)
        deadline = asyncio.get_running_loop().time() + 20
        while True:
            assigned_where: dict[str, str] = {}
            seen = {agent_id: replayed(socket, cap, agent_id, assigned_where)
                    for agent_id, (socket, cap) in agents.items()}
            stored = {agent_id: set(await store.open_conversations_of_agent(db, agent_id))
                      for agent_id in agents}
            if seen == stored or asyncio.get_running_loop().time() > deadline:
                break
            await asyncio.sleep(0.1)  # a polling interval: the check above decides
    finally:
        await engine.dispose()
    assert seen == stored
    assert all(len(stored[agent_id]) <= cap for agent_id, (_, cap) in agents.items())
    for socket, _ in visitors:
        await socket.close()
    for socket, _ in agents.values():
        await socket.close()


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(ops=OPS, caps=st.lists(st.integers(1, 3), min_size=1, max_size=4),
       group_count=st.integers(1, 3), seed=st.integers(0, 2**16))
async def test_no_cap_exceeded_no_double_assignment(center, ops, caps, group_count, seed):
    await run_scenario(center, ops, caps, group_count, seed)
