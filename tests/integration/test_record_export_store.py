"""The rows of a chat records export on both databases: every match, newest first, a
batch at a time (each batch after the last row of the one before, ties in time kept
apart by id), bounded, and counted no further than asked; each line names its visitor,
region and agent."""

from __future__ import annotations

import uuid
from datetime import timedelta

from actors.store import agents, conversations as store, visitors
from actors.store.clock import utcnow
from actors.store.conversation_search import (ConversationFilter, conversation_batches, count_conversations,
                                              search_conversations)
from actors.store.record_export import record_lines
from tests.integration.test_store import db  # noqa: F401  (the fixture: SQLite and PostgreSQL)


async def seven_conversations(db) -> str:
    """Seven conversations of a new group, three of them requested at the same moment."""
    group = f"g{uuid.uuid4().hex[:6]}"
    now = utcnow()
    agent_id = await agents.create_agent(db, "c1", f"ann{uuid.uuid4().hex[:6]}", "pw-hash", "Ann", "agent", 3, {})
    for minutes in (7, 6, 5, 5, 5, 2, 1):
        visitor = await visitors.create_visitor(db, "c1", f"V{minutes}", "web", "CN-ZJ")
        await store.insert_conversation(db, id=f"c_{uuid.uuid4().hex[:10]}", center_id="c1",
                                        visitor_id=visitor.id, status="ended", skill_group=group,
                                        agent_id=agent_id, requested_at=now - timedelta(minutes=minutes))
    return group


async def test_batches_read_every_match_once_in_order(db):
    group = await seven_conversations(db)
    where = ConversationFilter("c1", skill_group=group)
    newest_first = [r.id for r in await search_conversations(db, where, limit=100)]
    batches = [[r.id for r in batch] async for batch in conversation_batches(db, where, most=100, batch=3)]
    assert [len(b) for b in batches] == [3, 3, 1]
    assert [cid for batch in batches for cid in batch] == newest_first and len(set(newest_first)) == 7

    bounded = [r.id async for batch in conversation_batches(db, where, most=5, batch=2) for r in batch]
    assert bounded == newest_first[:5]
    assert await count_conversations(db, where, 100) == 7
    assert await count_conversations(db, where, 4) == 4
    assert await count_conversations(db, ConversationFilter("c1", skill_group=group, text="!!"), 10) == 0


async def test_lines_name_the_visitor_region_and_agent(db):
    group = await seven_conversations(db)
    lines = [line async for batch in record_lines(db, ConversationFilter("c1", skill_group=group), 100)
             for line in batch]
    assert [line.visitor for line in lines] == ["V1", "V2", "V5", "V5", "V5", "V6", "V7"]
    assert {(line.agent, line.region, line.status, line.snippet) for line in lines} == {
        ("Ann", "CN-ZJ", "ended", None)}
