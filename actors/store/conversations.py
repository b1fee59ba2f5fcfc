"""Reading and writing conversations and their messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, async_sessionmaker

from actors.store.messages import DuplicateMessage, StoredMessage
from actors.participants import Participant, ParticipantRole, PartyKind, SupervisionMode
from actors.store.schema import ConversationRow, MessageRow, ParticipantRow, VisitorRow
from actors.tracking.source import TrafficSource


async def insert_conversation(db: async_sessionmaker, **fields: Any) -> None:
    async with db() as session, session.begin():
        await session.execute(insert(ConversationRow).values(**fields))


async def load_conversation(db: async_sessionmaker, conversation_id: str) -> ConversationRow | None:
    async with db() as session:
        return await session.get(ConversationRow, conversation_id)


@dataclass(frozen=True)
class ConversationState:
    """What a conversation entity rebuilds itself from."""

    status: str
    center_id: str
    visitor_id: str
    agent_id: str | None
    skill_group: str | None
    channel: str
    last_seq: int
    rated: bool = False
    # The visitor as a queue shows them (a conversation transferred to a group waits again).
    visitor_name: str = ""
    source: TrafficSource | None = None


_CONVERSATIONS = ConversationRow.__table__
_VISITORS = VisitorRow.__table__
_STATES = select(
    _CONVERSATIONS.c.id,
    _CONVERSATIONS.c.status, _CONVERSATIONS.c.center_id, _CONVERSATIONS.c.visitor_id,
    _CONVERSATIONS.c.agent_id, _CONVERSATIONS.c.skill_group, _CONVERSATIONS.c.channel,
    select(func.coalesce(func.max(MessageRow.seq), 0))
    .where(MessageRow.conversation_id == _CONVERSATIONS.c.id).scalar_subquery(),
    _CONVERSATIONS.c.rating_score.is_not(None),
    _VISITORS.c.name, _VISITORS.c.source_engine, _VISITORS.c.source_keyword,
    _VISITORS.c.source_host, _VISITORS.c.landing_url,
).select_from(_CONVERSATIONS.outerjoin(_VISITORS, _VISITORS.c.id == _CONVERSATIONS.c.visitor_id)
              ).where(_CONVERSATIONS.c.id.in_(bindparam("ids", expanding=True)))


async def fetch_conversation_states(conn: AsyncConnection,
                                    conversation_ids: list[str]) -> dict[str, ConversationState]:
    """Several conversations' states in one query, no ORM objects: every conversation
    entity activates through here, a new one too (it finds nothing), so this runs once
    per chat request (batched by actors/store/batched_reads.py)."""
    rows = await conn.execute(_STATES, {"ids": conversation_ids})
    return {row[0]: ConversationState(*row[1:9], visitor_name=row[9] or "", source=_source(*row[10:]))
            for row in rows}


OPEN_STATUSES = ("bot", "queued", "assigned", "left_message", "forwarded")
_OPEN_OF_VISITORS = (
    select(_CONVERSATIONS.c.visitor_id, _CONVERSATIONS.c.id)
    .where(_CONVERSATIONS.c.visitor_id.in_(bindparam("ids", expanding=True)),
           _CONVERSATIONS.c.status.in_(OPEN_STATUSES))
    .order_by(_CONVERSATIONS.c.requested_at))


async def fetch_open_conversations(conn: AsyncConnection,
                                   visitor_ids: list[str]) -> dict[str, tuple[str, ...]]:
    """Several visitors' open conversations (oldest first) in one query: every visitor
    entity activates through here on a chat request (batched by batched_reads.py)."""
    found: dict[str, list[str]] = {}
    for visitor_id, conversation_id in await conn.execute(_OPEN_OF_VISITORS, {"ids": visitor_ids}):
        found.setdefault(visitor_id, []).append(conversation_id)
    return {visitor_id: tuple(ids) for visitor_id, ids in found.items()}


async def last_seq(db: async_sessionmaker, conversation_id: str) -> int:
    async with db() as session:
        value = await session.scalar(
            select(func.max(MessageRow.seq)).where(MessageRow.conversation_id == conversation_id))
        return value or 0


async def append_message(db: async_sessionmaker, message: StoredMessage) -> StoredMessage:
    """Commit one message. Raises DuplicateMessage if its client_msg_id is stored already."""
    try:
        async with db() as session, session.begin():
            session.add(MessageRow(
                conversation_id=message.conversation_id, seq=message.seq,
                sender_kind=message.sender_kind.value, sender_id=message.sender_id, body=message.body,
                client_msg_id=message.client_msg_id, ts=message.ts,
                visibility=message.visibility.value, attachments=message.stored_attachments(),
                bot=message.bot))
    except IntegrityError:
        existing = await find_by_client_msg_id(db, message.conversation_id, message.client_msg_id)
        if existing is None:
            raise
        raise DuplicateMessage(existing) from None
    return message


async def find_by_client_msg_id(db: async_sessionmaker, conversation_id: str,
                                client_msg_id: str | None) -> StoredMessage | None:
    if client_msg_id is None:
        return None
    async with db() as session:
        row = await session.scalar(select(MessageRow).where(
            MessageRow.conversation_id == conversation_id,
            MessageRow.client_msg_id == client_msg_id))
        return StoredMessage.from_row(row) if row else None


async def messages_after(db: async_sessionmaker, conversation_id: str, after_seq: int,
                         limit: int = 1000, public_only: bool = False) -> list[StoredMessage]:
    """Messages in seq order; `public_only` for a visitor, who never sees internal ones
    (their seqs are then missing from the page: a visitor's seqs may have gaps)."""
    query = (select(MessageRow)
             .where(MessageRow.conversation_id == conversation_id, MessageRow.seq > after_seq))
    if public_only:
        query = query.where(MessageRow.visibility == "public")
    async with db() as session:
        rows = await session.scalars(query.order_by(MessageRow.seq).limit(limit))
        return [StoredMessage.from_row(row) for row in rows]


async def waiting_in_group(db: async_sessionmaker, center_id: str,
                           group: str) -> list[tuple[ConversationRow, VisitorRow | None]]:
    """The group's queued conversations, each with its visitor (the name and source its
    agents see while it waits)."""
    async with db() as session:
        rows = await session.execute(
            select(ConversationRow, VisitorRow)
            .outerjoin(VisitorRow, VisitorRow.id == ConversationRow.visitor_id)
            .where(ConversationRow.center_id == center_id, ConversationRow.status == "queued",
                   ConversationRow.skill_group == group))
        return [(conversation, visitor) for conversation, visitor in rows]


async def groups_with_waiting(db: async_sessionmaker) -> list[tuple[str, str]]:
    async with db() as session:
        rows = await session.execute(
            select(ConversationRow.center_id, ConversationRow.skill_group)
            .where(ConversationRow.status == "queued").distinct())
        return [(center, group) for center, group in rows if group]


async def open_conversations_of_agent(db: async_sessionmaker, agent_id: str) -> list[str]:
    async with db() as session:
        rows = await session.scalars(select(ConversationRow.id).where(
            ConversationRow.agent_id == agent_id, ConversationRow.status == "assigned"))
        return list(rows)


@dataclass(frozen=True)
class Requester:
    """A visitor as routing sees them when they ask for an agent."""

    visitor_id: str
    name: str
    level: int
    region: str | None
    channel: str
    last_agent_id: str | None  # who served them last, for "last-served agent" routing
    # Where their latest visit came from (shown to agents while they wait); None: unknown.
    source: TrafficSource | None = None


_REQUESTERS = select(
    _VISITORS.c.id, _VISITORS.c.name, _VISITORS.c.level, _VISITORS.c.region, _VISITORS.c.channel,
    select(_CONVERSATIONS.c.agent_id)
    .where(_CONVERSATIONS.c.visitor_id == _VISITORS.c.id, _CONVERSATIONS.c.agent_id.is_not(None))
    .order_by(_CONVERSATIONS.c.requested_at.desc()).limit(1).scalar_subquery(),
    _VISITORS.c.source_engine, _VISITORS.c.source_keyword, _VISITORS.c.source_host,
    _VISITORS.c.landing_url,
).where(_VISITORS.c.id.in_(bindparam("ids", expanding=True)))


async def fetch_requesters(conn: AsyncConnection, visitor_ids: list[str]) -> dict[str, Requester]:
    """Visitors and their last agents in one query (every chat request reads one)."""
    rows = await conn.execute(_REQUESTERS, {"ids": visitor_ids})
    return {row[0]: Requester(*row[:6], source=_source(*row[6:])) for row in rows}


def _source(engine: str | None, keyword: str | None, host: str | None,
            landing_url: str | None) -> TrafficSource | None:
    # As tracking.known_source reads a row: no landing page, no known source.
    return None if landing_url is None else TrafficSource(engine, keyword, host)


async def conversations_of_visitor(db: async_sessionmaker, visitor_id: str,
                                   open_only: bool = False) -> list[ConversationRow]:
    async with db() as session:
        query = select(ConversationRow).where(ConversationRow.visitor_id == visitor_id)
        if open_only:
            query = query.where(ConversationRow.status.in_(OPEN_STATUSES))
        rows = await session.scalars(query.order_by(ConversationRow.requested_at))
        return list(rows)


async def participants_of(db: async_sessionmaker, conversation_id: str) -> list[tuple[Participant, datetime]]:
    """The conversation's present participants besides visitor and owner, with the
    time each joined (their stint's key)."""
    async with db() as session:
        rows = await session.scalars(select(ParticipantRow).where(
            ParticipantRow.conversation_id == conversation_id, ParticipantRow.left_at.is_(None)))
        return [(Participant(PartyKind(row.kind), row.participant_id, ParticipantRole(row.role),
                             SupervisionMode(row.mode) if row.mode else None, row.holds_slot),
                 row.joined_at)
                for row in rows]


async def open_participations(db: async_sessionmaker, agent_id: str) -> dict[str, str]:
    """Conversation id -> role, for the served conversations the agent takes part in
    without owning them (collaborator, supervisor)."""
    async with db() as session:
        rows = await session.execute(
            select(ParticipantRow.conversation_id, ParticipantRow.role)
            .join(ConversationRow, ConversationRow.id == ParticipantRow.conversation_id)
            .where(ParticipantRow.participant_id == agent_id, ParticipantRow.left_at.is_(None),
                   ConversationRow.status == "assigned"))
        return {cid: role for cid, role in rows}


async def takes_part(db: async_sessionmaker, conversation_id: str, agent_id: str) -> bool:
    """Whether the agent is (or was) a participant of the conversation besides its owner."""
    async with db() as session:
        found = await session.scalar(select(ParticipantRow.participant_id).where(
            ParticipantRow.conversation_id == conversation_id,
            ParticipantRow.participant_id == agent_id).limit(1))
        return found is not None
