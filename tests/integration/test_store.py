"""The storage layer on both databases: migrations, gap-free seqs, de-duplication."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import text

from actors.store import accounts, conversations as store
from actors.store import tracking
from actors.store.batched_reads import BatchedLookup
from actors.store.clock import utcnow
from actors.store.database import create_engine, create_writer_engine, migrate_async, sessionmaker
from actors.participants import PartyKind
from actors.store.group_commit import Fence, GroupCommit, StaleGrant
from actors.store.schema import ConversationRow
from actors.tracking.source import TrafficSource
from tests.integration.conftest import migrated_database_url


@pytest.fixture(params=["sqlite", "postgres"])
async def db(request, tmp_path):
    url = await migrated_database_url(request, request.param, tmp_path)
    await migrate_async(url)  # idempotent: a restart runs it again
    engine = create_engine(url)
    maker = sessionmaker(engine)
    await accounts.ensure_center(maker, "c1", "Center", {"default_skill_group": "g"})
    yield maker
    await engine.dispose()


async def new_conversation(db, status="assigned", group="g", agent_id=None) -> str:
    visitor = await accounts.create_visitor(db, "c1", "V", "web", None)
    cid = f"c_{uuid.uuid4().hex[:10]}"
    await store.insert_conversation(db, id=cid, center_id="c1", visitor_id=visitor.id, status=status,
                                    skill_group=group, agent_id=agent_id, requested_at=utcnow())
    return cid


def message(cid, seq, client_msg_id):
    return store.StoredMessage(cid, seq, PartyKind.VISITOR, "v", f"body {seq}", client_msg_id, utcnow())


async def test_schema_is_at_head_and_matches_the_models(db):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from actors.store.database import MIGRATIONS_DIR, _alembic_config
    import actors.store.knowledge_schema  # noqa: F401  (its tables in the metadata)
    from actors.store.schema import Base

    head = ScriptDirectory.from_config(_alembic_config("sqlite://")).get_current_head()
    async with db() as session:
        version = await session.scalar(text("select version_num from alembic_version"))
        connection = await session.connection()
        # The full-text index is outside the models (actors/store/message_index.py):
        # an FTS5 table and its shadow tables on SQLite, a tsvector table on PostgreSQL.
        options = {"include_name": lambda name, kind, _parent: not (
            kind == "table" and name.startswith(("message_search", "knowledge_search")))}
        differences = await connection.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync, opts=options), Base.metadata))
    assert MIGRATIONS_DIR.is_dir() and version == head
    # What the migrations built is what the models describe (no missing column or index).
    assert differences == []


async def test_messages_keep_order_and_refuse_duplicates(db):
    cid = await new_conversation(db)
    for seq in range(1, 6):
        await store.append_message(db, message(cid, seq, f"m{seq}"))
    with pytest.raises(store.DuplicateMessage) as duplicate:
        await store.append_message(db, message(cid, 6, "m3"))
    assert duplicate.value.existing.seq == 3
    assert await store.last_seq(db, cid) == 5
    after = await store.messages_after(db, cid, 2)
    assert [m.seq for m in after] == [3, 4, 5]
    assert after[0].to_wire()["sender"] == {"kind": "visitor", "id": "v"}
    assert after[0].to_wire()["ts"].endswith("Z")
    # The same seq twice is refused even without a client id.
    with pytest.raises(Exception):
        await store.append_message(db, message(cid, 5, None))


async def test_group_commit_shares_transactions_and_isolates_a_duplicate(db):
    cids = [await new_conversation(db) for _ in range(3)]
    await store.append_message(db, message(cids[0], 1, "already"))
    agent_id = await accounts.create_agent(db, "c1", f"gc-{uuid.uuid4().hex[:6]}", "h", "A", "agent", 3, {})
    writer = GroupCommit(db.kw["bind"])
    try:
        # Everything handed over at once lands in the same batch, the duplicate too.
        outcomes = await asyncio.gather(
            *(writer.append_message(message(cid, seq, f"{cid}-{seq}")) for cid in cids[1:] for seq in range(1, 21)),
            writer.append_message(message(cids[0], 2, "already")),
            writer.append_message(message(cids[0], 3, "fresh")),
            writer.update_conversation(cids[1], status="ended"),
            writer.update_conversation(cids[0], skill_group="g2", queue_deadline=5.0),
            writer.insert_conversation(id=cids[2], center_id="c1", visitor_id="x",
                                       status="queued", requested_at=utcnow()),
            writer.update_agent(agent_id, status="online"),
            return_exceptions=True)
    finally:
        await writer.close()
    *stored, duplicate, fresh, updated, other_shape, second_insert, agent_update = outcomes
    assert updated is None and (await store.load_conversation(db, cids[1])).status == "ended"
    # Updates of other columns in the same batch change only their own row and columns.
    assert other_shape is None
    changed = await store.load_conversation(db, cids[0])
    assert (changed.skill_group, changed.queue_deadline, changed.status) == ("g2", 5.0, "assigned")
    assert isinstance(second_insert, Exception)  # the id exists: only this write fails
    # An update of another table with the same column name goes to that table.
    assert agent_update is None and (await accounts.get_agent(db, agent_id)).status == "online"
    assert all(isinstance(m, store.StoredMessage) for m in stored) and len(stored) == 40
    assert isinstance(duplicate, store.DuplicateMessage) and duplicate.existing.seq == 1
    assert fresh.seq == 3
    for cid in cids[1:]:
        assert [m.seq for m in await store.messages_after(db, cid, 0)] == list(range(1, 21))
    assert [m.client_msg_id for m in await store.messages_after(db, cids[0], 0)] == ["already", "fresh"]


async def test_a_fenced_record_lands_only_while_the_granting_incarnation_lives(db):
    agent_id = await accounts.create_agent(db, "c1", f"fe-{uuid.uuid4().hex[:6]}", "h", "A", "agent", 3, {})
    current, stale, other = [await new_conversation(db, status="queued") for _ in range(3)]
    url = db.kw["bind"].url.render_as_string(hide_password=False)
    writer = GroupCommit(create_writer_engine(url))
    try:
        await writer.update_agent(agent_id, incarnation=4)  # the entity was rebuilt: 4th incarnation
        outcomes = await asyncio.gather(
            writer.update_conversation(current, fence=Fence(agent_id, 4), status="assigned", agent_id=agent_id),
            writer.update_conversation(stale, fence=Fence(agent_id, 3), status="assigned", agent_id=agent_id),
            writer.update_conversation(other, status="ended"),
            return_exceptions=True)
    finally:
        await writer.close()
        await writer.engine.dispose()
    assert outcomes[0] is None and isinstance(outcomes[1], StaleGrant) and outcomes[2] is None
    assert (await store.load_conversation(db, current)).agent_id == agent_id
    left = await store.load_conversation(db, stale)
    assert (left.status, left.agent_id) == ("queued", None)  # nothing of the stale write landed
    assert (await store.load_conversation(db, other)).status == "ended"
    assert (await accounts.get_agent(db, agent_id)).incarnation == 4


async def test_the_writer_engine_reads_while_another_shard_holds_the_write_lock(db):
    """A resent message is told apart by a read through the group commit's engine
    (GroupCommit._explain), right after its batch failed: meanwhile the other shard
    may hold the write lock. That read must neither take nor wait for it (it once
    began BEGIN IMMEDIATE with no busy wait, and failed with `database is locked`)."""
    cid = await new_conversation(db)
    await store.append_message(db, message(cid, 1, "resent"))
    url = db.kw["bind"].url.render_as_string(hide_password=False)
    engine = create_writer_engine(url)
    holder = create_engine(url)
    try:
        async with holder.connect() as other:
            if engine.dialect.name == "sqlite":
                await other.exec_driver_sql("BEGIN IMMEDIATE")
            else:  # what PostgreSQL has closest: writes to the table blocked, reads not
                await other.exec_driver_sql("BEGIN")
                await other.exec_driver_sql("LOCK TABLE messages IN EXCLUSIVE MODE")
            async with engine.connect() as conn:
                found = await asyncio.wait_for(conn.scalar(text(
                    "SELECT seq FROM messages WHERE conversation_id = :cid AND client_msg_id = 'resent'"),
                    {"cid": cid}), 5)
            await other.rollback()
    finally:
        await engine.dispose()
        await holder.dispose()
    assert found == 1


async def test_a_visitor_sockets_arrival_is_read_for_many_visitors_at_once(db):
    from datetime import timedelta

    from actors.store.visitor_arrival import Arrival, fetch_arrivals

    served, answered, seen_it, nobody = [await accounts.create_visitor(db, "c1", n, "web", None)
                                         for n in ("served", "answered", "seen", "nobody")]
    start = utcnow()

    async def conversation(visitor, status, minutes, **fields) -> str:
        cid = f"c_{uuid.uuid4().hex[:10]}"
        await store.insert_conversation(db, id=cid, center_id="c1", visitor_id=visitor.id, status=status,
                                        skill_group="g", requested_at=start + timedelta(minutes=minutes), **fields)
        return cid

    later = await conversation(served, "assigned", 2)
    earlier = await conversation(served, "queued", 1)
    await conversation(served, "ended", 0)
    left = await conversation(answered, "left_message", 0, left_replied_at=start)
    await conversation(seen_it, "ended", 0, left_replied_at=start, left_reply_seen_at=start)
    engine = db.kw["bind"]
    async with engine.connect() as conn:
        found = await fetch_arrivals(conn, [served.id, answered.id, seen_it.id, nobody.id])
    # Open ones oldest first, with their status; ended ones left out.
    assert found[served.id] == Arrival(((earlier, "queued"), (later, "assigned")), replies_unseen=False)
    assert found[answered.id] == Arrival(((left, "left_message"),), replies_unseen=True)
    assert seen_it.id not in found and nobody.id not in found  # nothing to show on arrival


async def test_queries_the_entities_rebuild_from(db):
    waiting = await new_conversation(db, status="queued", group="g")
    open_one = await new_conversation(db, status="assigned", agent_id="ag_1")
    await new_conversation(db, status="ended", agent_id="ag_1")
    assert [row.id for row, _ in await store.waiting_in_group(db, "c1", "g")] == [waiting]
    assert ("c1", "g") in await store.groups_with_waiting(db)
    assert await store.open_conversations_of_agent(db, "ag_1") == [open_one]
    await store.append_message(db, message(open_one, 1, None))
    await store.append_message(db, message(open_one, 2, None))
    queries = 0

    async def counted(conn, ids):
        nonlocal queries
        queries += 1
        return await store.fetch_conversation_states(conn, ids)

    states = BatchedLookup(db.kw["bind"], counted)
    state, waiting_state, nobody = await asyncio.gather(
        states.get(open_one), states.get(waiting), states.get("c_nobody"))
    assert (state.status, state.agent_id, state.last_seq) == ("assigned", "ag_1", 2)
    assert (waiting_state.status, waiting_state.skill_group, waiting_state.last_seq) == ("queued", "g", 0)
    assert nobody is None
    assert queries == 1  # asked together, read together


async def test_a_requester_is_read_with_the_agent_who_served_them_last(db):
    served = await new_conversation(db, status="ended", agent_id="ag_old")
    async with db() as session:
        visitor_id = (await session.get(ConversationRow, served)).visitor_id
    await store.insert_conversation(db, id=f"c_{uuid.uuid4().hex[:10]}", center_id="c1",
                                    visitor_id=visitor_id, status="left_message", requested_at=utcnow())
    fresh = await accounts.create_visitor(db, "c1", "New", "wechat", "CN")
    requesters = BatchedLookup(db.kw["bind"], store.fetch_requesters)
    known, new, unknown = await asyncio.gather(
        requesters.get(visitor_id), requesters.get(fresh.id), requesters.get("v_nobody"))
    assert known.last_agent_id == "ag_old"  # the later conversation had no agent
    assert (new.name, new.channel, new.region, new.last_agent_id) == ("New", "wechat", "CN", None)
    assert unknown is None


async def test_identified_visitor_is_one_customer_even_when_created_concurrently(db):
    results = await asyncio.gather(*(accounts.identified_visitor(db, "c1", "ext-1", "Ann", 2, "web", None)
                                     for _ in range(5)))
    assert len({row.id for row in results}) == 1
    again = await accounts.identified_visitor(db, "c1", "ext-1", "Ann B", None, "wechat", "CN")
    assert again.id == results[0].id and again.level == 2 and again.region == "CN"


async def test_a_visits_source_is_read_with_the_requester_the_state_and_the_waiting_rows(db):
    waiting = await new_conversation(db, status="queued", group="g-src")
    async with db() as session:
        visitor_id = (await session.get(ConversationRow, waiting)).visitor_id
    await tracking.record_page_view(db, "c1", visitor_id, "https://shop.example.cn/tea", "Tea",
                                    "https://www.baidu.com/s?wd=oolong", utcnow(), None)
    never_browsed = await accounts.create_visitor(db, "c1", "Api", "web", None)
    searched = TrafficSource("Baidu", "oolong", "www.baidu.com")

    requesters = BatchedLookup(db.kw["bind"], store.fetch_requesters)
    assert (await requesters.get(visitor_id)).source == searched
    assert (await requesters.get(never_browsed.id)).source is None  # unknown, not "direct"
    # A conversation entity rebuilt from its row can queue again with name and source.
    state = await BatchedLookup(db.kw["bind"], store.fetch_conversation_states).get(waiting)
    assert (state.visitor_name, state.source) == ("V", searched)
    [(row, visitor)] = await store.waiting_in_group(db, "c1", "g-src")
    assert row.id == waiting and tracking.known_source(visitor) == searched
