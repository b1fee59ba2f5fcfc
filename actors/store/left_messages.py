"""Reading the pool of left messages (留言记录): lists for staff, one left message with
its messages, and the replies a returning visitor has not seen yet. Every change to
the pool goes through the conversation entity (actors/conversation/left_pool.py).

Who sees what: admins the whole center; a supervisor the conversations of their
departments (actors/store/department_scope.py) and those assigned to their agents;
an agent the ones assigned to them and the unassigned ones of their skill groups.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.store.department_scope import Scope, agents_in, conversation_condition
from actors.store.messages import StoredMessage
from actors.store.schema import AgentRow, AgentSkillRow, ConversationRow, MessageRow, SkillGroupRow, VisitorRow

MAX_PAGE = 200
UNSEEN_SHOWN = 5  # a returning visitor's widget shows at most this many answered left messages
# A left message answered whose reply the visitor's widget has not shown yet.
REPLY_UNSEEN = and_(ConversationRow.left_replied_at.is_not(None), ConversationRow.left_reply_seen_at.is_(None))


@dataclass(frozen=True)
class PoolViewer:
    """Whose view of the pool: `scope` for admins (None) and supervisors; `agent_id` for
    an agent (then only theirs and the unassigned ones of their groups)."""

    center_id: str
    scope: Scope = None
    agent_id: str | None = None


@dataclass(frozen=True)
class PoolFilters:
    state: str | None = None
    skill_group: str | None = None
    assignee_id: str | None = None
    unassigned: bool = False
    since: datetime | None = None
    until: datetime | None = None


def viewer_condition(viewer: PoolViewer) -> ColumnElement[bool]:
    row = ConversationRow
    if viewer.agent_id is not None:
        own_groups = (select(SkillGroupRow.name)
                      .join(AgentSkillRow, AgentSkillRow.skill_group_id == SkillGroupRow.id)
                      .where(AgentSkillRow.agent_id == viewer.agent_id))
        return or_(row.left_assignee_id == viewer.agent_id,
                   and_(row.left_assignee_id.is_(None), row.skill_group.in_(own_groups)))
    if viewer.scope is None:
        return row.center_id == viewer.center_id
    return or_(conversation_condition(viewer.scope, viewer.center_id),
               row.left_assignee_id.in_(agents_in(viewer.scope)))


def _conditions(viewer: PoolViewer, filters: PoolFilters) -> list[ColumnElement[bool]]:
    row = ConversationRow
    conditions = [row.center_id == viewer.center_id, row.left_state.is_not(None), viewer_condition(viewer)]
    if filters.state is not None:
        conditions.append(row.left_state == filters.state)
    if filters.skill_group is not None:
        conditions.append(row.skill_group == filters.skill_group)
    if filters.unassigned:
        conditions.append(row.left_assignee_id.is_(None))
    elif filters.assignee_id is not None:
        conditions.append(row.left_assignee_id == filters.assignee_id)
    if filters.since is not None:
        conditions.append(row.left_submitted_at >= filters.since)
    if filters.until is not None:
        conditions.append(row.left_submitted_at < filters.until)
    return conditions


@dataclass(frozen=True)
class PoolEntry:
    row: ConversationRow
    visitor_name: str
    assignee_name: str | None
    preview: str  # the start of what the visitor wrote


async def pool_page(db: async_sessionmaker, viewer: PoolViewer, filters: PoolFilters, limit: int,
                    before: tuple[datetime, str] | None = None) -> list[PoolEntry]:
    """Newest first; `before` (submitted_at, id) of the last row seen pages on."""
    row = ConversationRow
    conditions = _conditions(viewer, filters)
    if before is not None:
        at, conversation_id = before
        conditions.append(or_(row.left_submitted_at < at,
                              and_(row.left_submitted_at == at, row.id < conversation_id)))
    first_words = (select(MessageRow.body).where(MessageRow.conversation_id == row.id,
                                                 MessageRow.sender_kind == "visitor")
                   .order_by(MessageRow.seq).limit(1).scalar_subquery())
    assignee = AgentRow.__table__.alias("assignee")
    query = (select(row, VisitorRow.name, assignee.c.display_name, first_words)
             .outerjoin(VisitorRow, VisitorRow.id == row.visitor_id)
             .outerjoin(assignee, assignee.c.id == row.left_assignee_id)
             .where(*conditions)
             .order_by(row.left_submitted_at.desc(), row.id.desc()).limit(min(limit, MAX_PAGE)))
    async with db() as session:
        found = (await session.execute(query)).all()
    return [PoolEntry(r[0], r[1] or "", r[2], (r[3] or "")[:200]) for r in found]


async def pooled(db: async_sessionmaker, viewer: PoolViewer, conversation_id: str) -> PoolEntry | None:
    """One left message if `viewer` may see it."""
    row = ConversationRow
    assignee = AgentRow.__table__.alias("assignee")
    query = (select(row, VisitorRow.name, assignee.c.display_name)
             .outerjoin(VisitorRow, VisitorRow.id == row.visitor_id)
             .outerjoin(assignee, assignee.c.id == row.left_assignee_id)
             .where(row.id == conversation_id, *_conditions(viewer, PoolFilters())))
    async with db() as session:
        found = (await session.execute(query)).first()
    return None if found is None else PoolEntry(found[0], found[1] or "", found[2], "")


async def messages_of(db: async_sessionmaker, conversation_id: str) -> list[tuple[StoredMessage, str | None]]:
    """The left message's public messages, each with its agent's display name."""
    query = (select(MessageRow, AgentRow.display_name)
             .outerjoin(AgentRow, and_(MessageRow.sender_kind == "agent", AgentRow.id == MessageRow.sender_id))
             .where(MessageRow.conversation_id == conversation_id, MessageRow.visibility == "public")
             .order_by(MessageRow.seq))
    async with db() as session:
        return [(StoredMessage.from_row(m), name) for m, name in (await session.execute(query)).all()]


@dataclass(frozen=True)
class UnseenReply:
    conversation_id: str
    asked: str
    replies: list[tuple[StoredMessage, str | None]]


async def unseen_replies(db: async_sessionmaker, visitor_id: str) -> list[UnseenReply]:
    """The visitor's answered left messages whose replies their widget has not shown yet."""
    row = ConversationRow
    async with db() as session:
        ids = list(await session.scalars(
            select(row.id).where(row.visitor_id == visitor_id, REPLY_UNSEEN)
            .order_by(row.left_submitted_at.desc()).limit(UNSEEN_SHOWN)))
    unseen = []
    for conversation_id in reversed(ids):
        messages = await messages_of(db, conversation_id)
        asked = "\n".join(m.body for m, _ in messages if m.sender_kind.value == "visitor")
        unseen.append(UnseenReply(conversation_id, asked,
                                  [(m, name) for m, name in messages if m.sender_kind.value == "agent"]))
    return unseen

