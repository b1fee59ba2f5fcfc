"""A collaborator holds one of their slots only when the center says so
(`collaborators_take_slot`), and then exactly as an owner would: granted by
their own entity, freed when they leave or the conversation ends, and counted
again by a rebuilt agent entity."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from actors.agent.protocol import GetSnapshot, agent_ref
from actors.center.protocol import Reload, center_ref
from actors.conversation.protocol import (End, GetInfo, InviteParticipant, LeaveParticipant,
                                          conversation_ref)
from actors.participants import PartyKind
from actors.runtime.replies import Rejected
from actors.store import centers
from actors.store.schema import EventRow
from tests.unit.in_process import DEFAULT_GROUP


async def slots_taken(center, agent_id: str) -> int:
    return (await center.ask(agent_ref(agent_id), GetSnapshot())).active


async def collaborators_take_slots(center) -> None:
    await centers.set_center_settings(center.db, center.center_id, {"collaborators_take_slot": True})
    await center.ask(center_ref(center.center_id), Reload())


async def test_by_default_a_collaborator_takes_no_slot(center):
    await center.add_group("second")
    owner = await center.online_agent({DEFAULT_GROUP: 1})
    colleague = await center.online_agent({"second": 1})
    _, cid, _ = await center.request()
    info = await center.ask(conversation_ref(cid), InviteParticipant(owner, False, colleague))
    assert [p.holds_slot for p in info.participants] == [False]
    assert await slots_taken(center, colleague) == 0
    # Their own group's next visitor is still theirs.
    _, _, opened = await center.request("second")
    assert opened.info.agent_id == colleague


async def test_when_the_center_says_so_a_collaborator_takes_a_slot_until_they_leave(center):
    await collaborators_take_slots(center)
    await center.add_group("second")
    owner = await center.online_agent({DEFAULT_GROUP: 1})
    colleague = await center.online_agent({"second": 1})
    _, cid, _ = await center.request()
    info = await center.ask(conversation_ref(cid), InviteParticipant(owner, False, colleague))
    assert [p.holds_slot for p in info.participants] == [True]
    assert await slots_taken(center, colleague) == 1
    # At their cap: the next visitor of their group waits.
    _, waiting, opened = await center.request("second")
    assert opened.info.agent_id is None and opened.position == 1
    # Invited elsewhere beyond the cap: refused by their own entity.
    other_owner = await center.online_agent({DEFAULT_GROUP: 1})
    _, other, _ = await center.request()
    refused = await center.ask(conversation_ref(other), InviteParticipant(other_owner, False, colleague))
    assert isinstance(refused, Rejected) and refused.code == "at_capacity"
    # Leaving frees the slot, and the waiting visitor gets it.
    await center.ask(conversation_ref(cid), LeaveParticipant(colleague))
    assert (await center.ask(conversation_ref(waiting), GetInfo())).agent_id == colleague
    assert await slots_taken(center, colleague) == 1


async def test_the_slot_is_freed_when_the_conversation_ends_and_counted_after_a_crash(center):
    await collaborators_take_slots(center)
    owner = await center.online_agent({DEFAULT_GROUP: 1})
    colleague = await center.online_agent({DEFAULT_GROUP: 1}, max_concurrent=2)
    _, cid, opened = await center.request()
    serving = opened.info.agent_id
    helper = colleague if serving == owner else owner
    await center.ask(conversation_ref(cid), InviteParticipant(serving, False, helper))
    assert await slots_taken(center, helper) == 1

    # The stint began long ago: its grant is older than a rebuilt agent looks back for
    # unsettled grants, so only the participants' row can tell it.
    async with center.db() as session, session.begin():
        await session.execute(update(EventRow).where(EventRow.agent_id == helper,
                                                     EventRow.type == "SlotReserved")
                              .values(at=EventRow.at - timedelta(hours=2)))
    await center.crash_and_restart()
    assert await slots_taken(center, helper) == 1
    # Past the reservation check the rebuilt agent still counts it: the stint is recorded.
    await center.advance(center.host.settings.reservation_check_s + 1)
    assert await slots_taken(center, helper) == 1

    await center.ask(conversation_ref(cid), End(PartyKind.AGENT, serving))
    assert await slots_taken(center, helper) == 0 and await slots_taken(center, serving) == 0
