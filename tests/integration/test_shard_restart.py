"""A crashed shard is restarted by Ray and its entities rebuild from the database."""

from __future__ import annotations

import asyncio

import ray

from actors.runtime.shard import shard_names
from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, Socket, online_agent_in_new_group


async def test_entities_rebuild_after_their_shard_crashes(center):
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    group, _, agent = await online_agent_in_new_group(admin, level=1, max_concurrent=1)
    _, token = await Api(center.url).new_visitor()
    guest = await Socket.open(center.url, "visitor", token)
    await guest.send({"type": "chat.request", "skill_group": group})
    cid = (await guest.next("assigned"))["conversation_id"]
    await guest.message(cid, "one")
    await guest.message(cid, "two")
    _, waiting_token = await Api(center.url).new_visitor("Wendy")
    waiting = await Socket.open(center.url, "visitor", waiting_token)
    await waiting.send({"type": "page.view", "url": "https://shop.example.cn/tea", "title": "Tea",
                        "referrer": "https://www.baidu.com/s?wd=oolong"})
    await waiting.send({"type": "chat.request", "skill_group": group})
    waiting_cid = (await waiting.next("queued"))["conversation_id"]
    # The group's list as the agent saw it before the crash: one waiting.
    await agent.next("waiting", skill_group=group, count=1)

    # Kill every shard; Ray restarts them (max_restarts=-1).
    settings = center.settings
    shards = [ray.get_actor(name, namespace=settings.namespace) for name in shard_names(settings)]
    old_pids = ray.get([s.pid.remote() for s in shards])
    for shard in shards:
        ray.kill(shard, no_restart=False)
    # ray.kill returns before the process is gone: an old shard may still answer.
    new_pids: list[int] = []
    for _ in range(120):
        try:
            new_pids = ray.get([s.pid.remote() for s in shards], timeout=2)
            if set(new_pids).isdisjoint(old_pids):
                break
        except (ray.exceptions.RayActorError, ray.exceptions.GetTimeoutError):
            pass
        await asyncio.sleep(0.5)
    assert new_pids and set(new_pids).isdisjoint(old_pids)

    # The cap still holds (1 of 1 open): the rebuilt queue, woken by its new shard,
    # reloads its line and its agent (who reloads the open conversation) and matches
    # before it publishes its list; an agent rebuilt with a free slot would have
    # been offered the waiting visitor, leaving nobody on the list.
    # Generous: a restarted shard first wakes every present agent and waiting queue it
    # hosts (late in the suite, hundreds of earlier tests' agents).
    rebuilt = await agent.next("waiting", skill_group=group, timeout=90)
    assert [e["conversation_id"] for e in rebuilt["entries"]] == [waiting_cid]
    # The rebuilt line read who waits and where they came from with the rows.
    assert rebuilt["entries"][0]["visitor"]["name"] == "Wendy"
    assert rebuilt["entries"][0]["source"] == {"kind": "search", "name": "Baidu", "keyword": "oolong"}
    assert waiting.all("assigned") == []
    # The conversation goes on with the next seq.
    assert (await guest.message(cid, "three"))["seq"] == 3
    assert (await agent.next("message", timeout=20))["message"]["body"] == "three"
    assert waiting.all("assigned") == []
    # Ending the open one frees the rebuilt agent's only slot for the waiting visitor.
    await guest.send({"type": "chat.end", "conversation_id": cid})
    await guest.next("ended")
    assigned = await waiting.next("assigned", timeout=20)
    assert assigned["conversation_id"] == waiting_cid
