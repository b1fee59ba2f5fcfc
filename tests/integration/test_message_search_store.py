"""The full-text index of chat records on both databases, written by the background
indexer (actors/indexer/tailer.py) off the messages' commits: queried with Chinese
words, apart for internal notes, resumed from its stored cursor, and on PostgreSQL
not fooled by ids that commit out of order."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest
from alembic import command

from actors.indexer.tailer import CURSOR, MessageIndexer
from actors.participants import PartyKind, Visibility
from actors.store import accounts, conversations as store, visitors
from actors.store.clock import utcnow
from actors.store.conversation_search import ConversationFilter, search_conversations
from actors.store.database import _alembic_config, create_engine, migrate_async, sessionmaker
from actors.store.group_commit import GroupCommit
from actors.store.index_cursor import read_cursor
from actors.store.schema import MessageRow
from actors.store.search_snippet import snippets
from actors.store.text_segmentation import parse_query
from tests.integration.conftest import _fresh_postgres_database, migrated_database_url
from tests.integration.test_store import db  # noqa: F401  (the fixture: SQLite and PostgreSQL)


async def conversation(db, channel="web", region=None, minutes_ago=0, rating=None) -> str:
    visitor = await visitors.create_visitor(db, "c1", "V", channel, region)
    cid = f"c_{uuid.uuid4().hex[:10]}"
    await store.insert_conversation(db, id=cid, center_id="c1", visitor_id=visitor.id, status="ended",
                                    skill_group="g", channel=channel, rating_score=rating,
                                    requested_at=utcnow() - timedelta(minutes=minutes_ago))
    return cid


def said(cid: str, seq: int, body: str, internal: bool = False) -> store.StoredMessage:
    return store.StoredMessage(cid, seq, PartyKind.AGENT if internal else PartyKind.VISITOR, "s", body,
                               None, utcnow(), Visibility.INTERNAL if internal else Visibility.PUBLIC)


async def found(db, text: str, **filters) -> list[str]:
    where = ConversationFilter("c1", text=text, **filters)
    return [row.id for row in await search_conversations(db, where, limit=100)]


async def index_all(db) -> MessageIndexer:
    """A fresh indexer (as after a restart) run until a pass finds nothing new."""
    indexer = MessageIndexer(db)
    await indexer.start()
    while await indexer.index_pending():
        pass
    return indexer


async def test_words_found_once_the_indexer_passed(db):
    refund, invoice, english, noted = [await conversation(db, minutes_ago=m) for m in (4, 3, 2, 1)]
    writer = GroupCommit(db.kw["bind"])
    try:
        await asyncio.gather(
            writer.append_message(said(refund, 1, "我想退货怎么办")),
            writer.append_message(said(refund, 2, "好的，请提供订单号")),
            writer.append_message(said(invoice, 1, "请开发票给我")),
            writer.append_message(said(english, 1, "Where is my REFUND? Order ABC123")),
            writer.append_message(said(noted, 1, "您好")),
            writer.append_message(said(noted, 2, "客户想退货，注意", internal=True)))
    finally:
        await writer.close()
    assert await found(db, "退货") == []  # the commit wrote no index row
    await index_all(db)
    assert await found(db, "退货") == [noted, refund]  # newest first
    assert await found(db, "退货", public_text_only=True) == [refund]
    assert await found(db, "发票") == [invoice]
    assert await found(db, "refund abc123") == [english]
    assert await found(db, "refund 退货") == []  # every word in one message
    assert await found(db, '"请提供订单"') == [refund]
    assert await found(db, '"订单 请提供"') == []
    assert await found(db, "？！") == []
    words = parse_query("退货")
    cut = await snippets(db, [noted, refund], words, public_only=True)
    assert cut == {refund: "我想退货怎么办"}
    assert (await snippets(db, [noted], words, public_only=False)) == {noted: "客户想退货，注意"}
    # The newest matching message of each; a phrase is checked on the body there too.
    assert await snippets(db, [refund], parse_query('"提供订单"'), public_only=True) == {
        refund: "好的，请提供订单号"}


async def test_filters_combine_with_the_words(db):
    web = await conversation(db, channel="web", region="CN-ZJ", rating=5, minutes_ago=3)
    wechat = await conversation(db, channel="wechat", region="CN-BJ", rating=2, minutes_ago=2)
    await store.append_message(db, said(web, 1, "发票什么时候到"))
    await store.append_message(db, said(wechat, 1, "发票开错了"))
    await index_all(db)
    assert set(await found(db, "发票")) == {web, wechat}
    assert await found(db, "发票", channel="wechat") == [wechat]
    assert await found(db, "发票", min_rating=4) == [web]
    assert await found(db, "发票", region="CN-ZJ") == [web]
    assert set(await found(db, "发票", region="CN")) == {web, wechat}
    assert await found(db, "发票", channel="web", min_rating=5, region="CN-BJ") == []
    assert await found(db, "", channel="wechat", min_rating=1) == [wechat]


@pytest.fixture(params=["sqlite", "postgres"])
async def at_0010(request, tmp_path):
    """A database migrated to 0010 only: messages stored before the index existed."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'backfill.db'}"
    else:
        url = await asyncio.to_thread(_fresh_postgres_database, request.getfixturevalue("postgres_url"))
    await asyncio.to_thread(command.upgrade, _alembic_config(url), "0010")
    engine = create_engine(url)
    yield url, sessionmaker(engine)
    await engine.dispose()


async def test_messages_stored_before_the_index_are_indexed_from_cursor_zero(at_0010):
    url, db = at_0010
    await accounts.ensure_center(db, "c1", "Center", {"default_skill_group": "g"})
    old = await conversation(db)
    async with db() as session, session.begin():
        session.add_all([MessageRow(conversation_id=old, seq=seq, sender_kind="visitor", sender_id="v",
                                    body=body, ts=utcnow(), visibility=visibility)
                         for seq, body, visibility in ((1, "我想退货怎么办", "public"),
                                                       (2, "内部备注：发票", "internal"))])
    await migrate_async(url)
    assert await found(db, "退货") == []
    indexer = await index_all(db)
    assert indexer.started_from == 0 and indexer.indexed == 2
    assert await found(db, "退货", public_text_only=True) == [old]
    assert await found(db, "发票", public_text_only=True) == []
    assert await found(db, "发票") == [old]


async def test_a_restarted_indexer_resumes_from_its_cursor_and_catches_up(db):
    cid = await conversation(db)
    await store.append_message(db, said(cid, 1, "我想申请退款"))
    first = await index_all(db)
    stored = await read_cursor(db, CURSOR)
    assert stored == first.cursor > 0 and first.indexed == 1
    # Written while no indexer runs: the next one starts at the stored cursor and finds them.
    await store.append_message(db, said(cid, 2, "Where is my parcel"))
    await store.append_message(db, said(cid, 3, "物流信息", internal=True))
    assert await found(db, "parcel") == []
    second = await index_all(db)
    assert second.started_from == stored
    assert second.indexed == 2  # the first message is not read again
    assert await found(db, "退款") == [cid]
    assert await found(db, "parcel") == [cid]
    assert await found(db, "物流", public_text_only=True) == []
    assert await read_cursor(db, CURSOR) > stored


@pytest.fixture
async def pg_db(request, tmp_path):
    """PostgreSQL only: SQLite's writers take turns, so its ids become visible in order."""
    engine = create_engine(await migrated_database_url(request, "postgres", tmp_path))
    maker = sessionmaker(engine)
    await accounts.ensure_center(maker, "c1", "Center", {"default_skill_group": "g"})
    yield maker
    await engine.dispose()


async def test_an_id_committed_after_a_higher_one_is_still_indexed(pg_db):
    db = pg_db
    cid = await conversation(db)
    late = db()
    await late.begin()
    late.add(MessageRow(conversation_id=cid, seq=1, sender_kind="visitor", sender_id="v",
                        body="迟到的发票", ts=utcnow(), visibility="public"))
    await late.flush()  # its id is taken, its row not yet visible
    await store.append_message(db, said(cid, 2, "先到的退款"))
    indexer = MessageIndexer(db)
    await indexer.start()
    assert await indexer.index_pending() == 1
    assert await found(db, "退款") == [cid]
    assert indexer.stats().holes == 1
    assert await read_cursor(db, CURSOR) == indexer.cursor < indexer._seen  # below the hole
    await late.commit()
    await late.close()
    assert await indexer.index_pending() == 1
    assert await found(db, "发票") == [cid]
    assert indexer.stats().holes == 0
    assert await read_cursor(db, CURSOR) == indexer._seen
