"""An agent's slots as the database shows them: recorded assignments, and grants
written down (`SlotReserved`) whose conversation has not settled yet
(actors/agent/reservations.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.store.schema import ConversationRow, EventRow, ParticipantRow

# A conversation in one of these may still record a grant; in the others it never will.
UNSETTLED = ("queued", "assigned")


@dataclass(frozen=True)
class HeldSlots:
    recorded: list[str]  # assigned to the agent, or held by them as a collaborator
    unsettled: list[str]  # granted by the agent, not (yet) recorded as theirs


async def held_slots(db: async_sessionmaker, agent_id: str, granted_since: datetime) -> HeldSlots:
    """One statement, so a record landing meanwhile is seen on one side or the other
    (PostgreSQL gives each statement its own snapshot)."""
    granted = (select(EventRow.conversation_id)
               .where(EventRow.agent_id == agent_id, EventRow.type == "SlotReserved",
                      EventRow.at >= granted_since))
    collaborating = (select(ParticipantRow.conversation_id)
                     .where(ParticipantRow.participant_id == agent_id, ParticipantRow.holds_slot.is_(True),
                            ParticipantRow.left_at.is_(None)))
    statement = select(ConversationRow.id, ConversationRow.status, ConversationRow.agent_id,
                       ConversationRow.id.in_(collaborating)).where(
        or_(ConversationRow.agent_id == agent_id, ConversationRow.id.in_(granted),
            ConversationRow.id.in_(collaborating)),
        ConversationRow.status.in_(UNSETTLED))
    async with db() as session:
        rows = (await session.execute(statement)).all()
    recorded = [cid for cid, status, owner, collaborates in rows
                if status == "assigned" and (owner == agent_id or collaborates)]
    unsettled = [cid for cid, status, owner, collaborates in rows
                 if not (status == "assigned" and (owner == agent_id or collaborates))]
    return HeldSlots(recorded, unsettled)


async def assignments(db: async_sessionmaker, conversation_ids: list[str]) -> dict[str, tuple[str, str | None]]:
    """conversation id -> (status, owner agent) for those that exist."""
    async with db() as session:
        rows = await session.execute(
            select(ConversationRow.id, ConversationRow.status, ConversationRow.agent_id)
            .where(ConversationRow.id.in_(conversation_ids)))
        return {cid: (status, owner) for cid, status, owner in rows}
