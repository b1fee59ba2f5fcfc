"""Chat records search (会话记录): conversations by time, agent, group, status and text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.store.department_scope import Scope, conversation_condition
from actors.store.schema import ConversationRow, MessageRow, ParticipantRow


@dataclass(frozen=True)
class ConversationFilter:
    center_id: str
    since: datetime | None = None  # requested at or after
    until: datetime | None = None  # requested before
    agent_id: str | None = None  # owned by, or (with `taking_part`) taken part in
    skill_group: str | None = None
    status: str | None = None
    visitor_id: str | None = None
    text: str | None = None  # a substring of a message body
    taking_part: bool = False
    public_text_only: bool = False
    scope: Scope = None  # a supervisor's departments (department_scope.py); None: all


async def search_conversations(db: async_sessionmaker, where: ConversationFilter, limit: int,
                               offset: int = 0) -> list[ConversationRow]:
    """Newest first."""
    query = select(ConversationRow).where(ConversationRow.center_id == where.center_id,
                                          conversation_condition(where.scope, where.center_id))
    if where.since is not None:
        query = query.where(ConversationRow.requested_at >= where.since)
    if where.until is not None:
        query = query.where(ConversationRow.requested_at < where.until)
    if where.agent_id is not None:
        owned = ConversationRow.agent_id == where.agent_id
        if where.taking_part:
            joined = select(ParticipantRow.conversation_id).where(
                ParticipantRow.participant_id == where.agent_id)
            owned = or_(owned, ConversationRow.id.in_(joined))
        query = query.where(owned)
    for column, value in ((ConversationRow.skill_group, where.skill_group),
                          (ConversationRow.status, where.status),
                          (ConversationRow.visitor_id, where.visitor_id)):
        if value is not None:
            query = query.where(column == value)
    if where.text:
        pattern = "%" + where.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        matching = select(MessageRow.conversation_id).where(MessageRow.body.like(pattern, escape="\\"))
        if where.public_text_only:
            matching = matching.where(MessageRow.visibility == "public")
        query = query.where(ConversationRow.id.in_(matching))
    query = query.order_by(ConversationRow.requested_at.desc(), ConversationRow.id).offset(offset).limit(limit)
    async with db() as session:
        return list(await session.scalars(query))
