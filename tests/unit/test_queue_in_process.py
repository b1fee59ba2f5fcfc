"""The skill-group queue and its conversations, through the shard's in-process host.

Queue timeouts (超时转接), overflow to the next group and to a left message (留言),
work hours, strict order within a priority and refused offers, each with the
events the step leaves in the durable log.
"""

from __future__ import annotations

from actors.agent.protocol import SetStatus, agent_ref
from actors.conversation.protocol import (ConversationAssigned, ConversationQueued, End, GetInfo,
                                          MessageLeft, conversation_ref)
from actors.lifecycle import AgentStatus, ConversationStatus
from actors.participants import PartyKind
from actors.routing.types import LEAVE_MESSAGE
from actors.skill_group.protocol import GetWaiting, QueuePositionChanged, queue_ref
from tests.unit.in_process import InProcessCenter


async def status_of(center: InProcessCenter, conversation_id: str) -> tuple[ConversationStatus, str]:
    info = await center.ask(conversation_ref(conversation_id), GetInfo())
    return info.status, info.skill_group


async def waiting_ids(center: InProcessCenter, group: str) -> list[str]:
    waiting = await center.ask(queue_ref(center.center_id, group), GetWaiting())
    return [entry.conversation_id for entry in waiting.entries]


async def test_a_visitor_nobody_serves_leaves_a_message_when_the_queue_times_out(center):
    group = await center.add_group("presales", queue_timeout_s=3)
    visitor, cid, opened = await center.request(group)
    assert opened.position == 1

    await center.advance(2.9)
    assert await status_of(center, cid) == (ConversationStatus.QUEUED, group)
    assert center.told_visitor(visitor, MessageLeft) == []

    await center.advance(0.2)
    assert await status_of(center, cid) == (ConversationStatus.LEFT_MESSAGE, group)
    [offline] = center.told_visitor(visitor, MessageLeft)
    assert offline.reason == "queue_timeout"
    assert await waiting_ids(center, group) == []
    logged = await center.logged(cid)
    assert [e.type for e in logged] == ["ConversationRequested", "ConversationQueued", "QueueLeft",
                                        "MessageLeft"]
    assert logged[2].data["outcome"] == "timed_out" and logged[2].data["waited_s"] == 3.0
    assert logged[3].data["reason"] == "queue_timeout"


async def test_the_first_visitor_of_a_queue_activated_by_its_request_times_out_too(center):
    # The hole as found: the first Enqueue activated the queue, which loaded the
    # conversation's row (no deadline yet) and then took the Enqueue for a retry.
    group = await center.add_group("fresh", queue_timeout_s=5, overflow_to=LEAVE_MESSAGE)
    assert queue_ref(center.center_id, group) not in center.host.entities
    visitor, cid, _ = await center.request(group)
    await center.advance(5)
    assert (await status_of(center, cid))[0] is ConversationStatus.LEFT_MESSAGE


async def test_an_overflowed_visitor_keeps_its_place_in_time_in_the_next_group(center):
    second = await center.add_group("second", queue_timeout_s=10, overflow_to=LEAVE_MESSAGE)
    first = await center.add_group("first", queue_timeout_s=3, overflow_to=second)
    early_visitor, early, _ = await center.request(first)
    await center.advance(1)
    later_visitor, later, _ = await center.request(second)  # asked the second group a second after

    await center.advance(2)  # the first group's 3 s are over
    assert await status_of(center, early) == (ConversationStatus.QUEUED, second)
    assert await waiting_ids(center, first) == []
    # Waiting since before the later visitor asked: ahead of them.
    assert await waiting_ids(center, second) == [early, later]
    moved = center.told_visitor(early_visitor, ConversationQueued)
    assert [(q.skill_group, q.position) for q in moved] == [(second, 1)]
    await center.advance(1)
    # The one it went ahead of hears its new place.
    assert [p.position for p in center.told_visitor(later_visitor, QueuePositionChanged)] == [2]

    logged = await center.logged(early)
    assert [(e.type, e.skill_group) for e in logged] == [
        ("ConversationRequested", None), ("ConversationQueued", first), ("QueueLeft", first),
        ("ConversationQueued", second)]
    assert logged[2].data["outcome"] == "overflowed"


async def test_overflow_then_leave_message_the_visitor_hears_each_step(center):
    last = await center.add_group("last", queue_timeout_s=4, overflow_to=LEAVE_MESSAGE)
    first = await center.add_group("first", queue_timeout_s=3, overflow_to=last)
    visitor, cid, opened = await center.request(first)

    await center.advance(3)
    await center.advance(4)  # the next group's own timeout counts from when it got there
    assert await status_of(center, cid) == (ConversationStatus.LEFT_MESSAGE, last)
    told = center.told_visitor(visitor, ConversationQueued, MessageLeft)
    assert [type(e).__name__ for e in told] == ["ConversationQueued", "MessageLeft"]
    assert told[0].skill_group == last and told[1].reason == "queue_timeout"
    assert await center.logged_types(cid) == [
        "ConversationRequested", "ConversationQueued", "QueueLeft", "ConversationQueued",
        "QueueLeft", "MessageLeft"]
    # The queues are done with it: nothing is repeated, nothing is left behind.
    await center.advance(60)
    assert len(center.told_visitor(visitor, MessageLeft)) == 1
    for group in (first, last):
        queue = center.host.entities[queue_ref(center.center_id, group)]
        assert not queue.overflowing and not len(queue.line)


async def test_outside_work_hours_a_request_is_offline_at_once(center):
    # The clock says Monday 10:00 UTC; this group works weekends only.
    group = await center.add_group("weekend", work_hours={"timezone": "UTC",
                                                          "weekly": {"weekends": ["09:00-17:00"]}})
    _, cid, opened = await center.request(group)
    assert opened.offline_reason == "outside_work_hours"
    assert opened.info.status is ConversationStatus.LEFT_MESSAGE
    assert await waiting_ids(center, group) == []
    logged = await center.logged(cid)
    assert [e.type for e in logged] == ["ConversationRequested", "MessageLeft"]
    assert logged[1].data["reason"] == "outside_work_hours"

    await center.advance(5 * 86400)  # Saturday 10:00: open
    _, _, opened = await center.request(group)
    assert opened.offline_reason is None and opened.position == 1


async def test_strict_order_within_a_priority_and_higher_priority_first(center):
    group = await center.add_group("support")
    agent = await center.online_agent({group: 1}, max_concurrent=1)
    await center.ask(agent_ref(agent), SetStatus(AgentStatus.AWAY))
    arrivals = [await center.request(group) for _ in range(3)]
    await center.advance(1)
    _, vip, vip_opened = await center.request(group, level=5)
    assert [o.position for _, _, o in arrivals] == [1, 2, 3]
    assert vip_opened.position == 1  # served before everyone of a lower priority

    await center.ask(agent_ref(agent), SetStatus(AgentStatus.ONLINE))
    served = []
    for _ in range(4):
        [assigned] = center.told_agent(agent, ConversationAssigned)[len(served):]
        served.append(assigned.conversation_id)
        await center.ask(conversation_ref(assigned.conversation_id), End(PartyKind.AGENT, agent))
    assert served == [vip] + [cid for _, cid, _ in arrivals]
    for cid in served:
        assert await center.logged_types(cid) == [
            "ConversationRequested", "ConversationQueued", "QueueLeft",
            "ConversationAssigned", "ConversationEnded"]


async def test_a_refused_offer_goes_back_to_its_place(center):
    # One agent in two groups with one slot: both queues see the slot free when
    # the agent comes online and both offer it. The agent grants one offer and
    # refuses the other, whose conversation must be back at the head of its line.
    sales, service = await center.add_group("sales"), await center.add_group("service")
    agent = await center.online_agent({sales: 1, service: 1}, max_concurrent=1)
    await center.ask(agent_ref(agent), SetStatus(AgentStatus.AWAY))
    heads = {}
    behind = {}
    for group in (sales, service):
        heads[group] = (await center.request(group))[1]
        behind[group] = (await center.request(group))[1]

    await center.ask(agent_ref(agent), SetStatus(AgentStatus.ONLINE))
    [assigned] = center.told_agent(agent, ConversationAssigned)
    served_group = assigned.skill_group
    [refused_group] = {sales, service} - {served_group}
    assert assigned.conversation_id == heads[served_group]
    assert await waiting_ids(center, served_group) == [behind[served_group]]
    # Offered, refused and back: still first, ahead of the one behind it.
    assert await waiting_ids(center, refused_group) == [heads[refused_group], behind[refused_group]]
    queue = center.host.entities[queue_ref(center.center_id, refused_group)]
    assert not queue.offers and heads[refused_group] not in queue.pending
    assert await center.logged_types(heads[refused_group]) == [
        "ConversationRequested", "ConversationQueued"]

    # And it is served before the one behind it as the agent frees up.
    served = [assigned.conversation_id]
    for _ in range(3):
        await center.ask(conversation_ref(served[-1]), End(PartyKind.AGENT, agent))
        served.append(center.told_agent(agent, ConversationAssigned)[-1].conversation_id)
    assert len(set(served)) == 4
    assert served.index(heads[refused_group]) < served.index(behind[refused_group])


async def test_a_queue_rebuilt_after_a_shard_restart_keeps_each_deadline(center):
    group = await center.add_group("night", queue_timeout_s=3)
    visitor, cid, _ = await center.request(group)
    await center.advance(1)
    await center.crash_and_restart()  # the new shard wakes the queue, which reloads its line
    await center.advance(1.9)
    assert await status_of(center, cid) == (ConversationStatus.QUEUED, group)
    await center.advance(0.1)  # 3 s after the request, not 3 s after the restart
    assert await status_of(center, cid) == (ConversationStatus.LEFT_MESSAGE, group)
    assert [e.reason for e in center.told_visitor(visitor, MessageLeft)] == ["queue_timeout"]
    assert (await center.logged_types(cid))[-2:] == ["QueueLeft", "MessageLeft"]


async def test_a_deadline_that_passed_while_the_shard_was_down_fires_when_it_is_back(center):
    group = await center.add_group("weekend", queue_timeout_s=3)
    visitor, cid, _ = await center.request(group)
    await center.advance(1)
    center.clock.now += 10  # down for ten seconds: no timer ran meanwhile
    await center.crash_and_restart()
    await center.advance(0)
    assert await status_of(center, cid) == (ConversationStatus.LEFT_MESSAGE, group)
    assert [e.reason for e in center.told_visitor(visitor, MessageLeft)] == ["queue_timeout"]
