"""The production shape (PostgreSQL + Redis) runs the same path as the embedded default."""

from __future__ import annotations

from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, Socket, online_agent_in_new_group


async def test_full_path_on_postgres_and_redis(pg_center):
    base = pg_center.url
    admin = await Api(base).login("admin", ADMIN_PASSWORD)
    group, agent_id, agent = await online_agent_in_new_group(admin, level=2, max_concurrent=1)

    _, first_token = await Api(base).new_visitor("first")
    first = await Socket.open(base, "visitor", first_token)
    await first.send({"type": "chat.request", "skill_group": group})
    assigned = await first.next("assigned")
    assert assigned["agent"]["id"] == agent_id
    cid = assigned["conversation_id"]
    _, second_token = await Api(base).new_visitor("second")
    second = await Socket.open(base, "visitor", second_token)
    await second.send({"type": "chat.request", "skill_group": group})
    assert (await second.next("queued"))["position"] == 1

    assert (await first.message(cid, "via redis"))["seq"] == 1
    assert (await agent.next("message"))["message"]["body"] == "via redis"
    assert (await agent.message(cid, "back"))["seq"] == 2
    assert (await first.next("message"))["message"]["seq"] == 2
    await first.send({"type": "typing", "conversation_id": cid, "text": "typing…"})
    assert (await agent.next("typing.preview"))["text"] == "typing…"

    await first.send({"type": "chat.end", "conversation_id": cid})
    await first.next("ended")
    assert (await second.next("assigned"))["agent"]["id"] == agent_id
    history = await Api(base, first_token).call("GET", f"/api/v1/conversations/{cid}/messages")
    assert [m["seq"] for m in history["messages"]] == [1, 2]
