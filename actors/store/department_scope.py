"""Which conversations and agents a supervisor may see: one rule, used by every call.

A scope is a set of department ids (a supervisor's own department and its whole
subtree), or None for the whole center (admins, and supervisors with no department).
A conversation is in a scope when its owner (the agent holding it, or the last one
for an ended conversation) is in it; while no agent holds it (queued, left message,
ended unserved) when its skill group's department is in it; and whenever an agent
who took part (conversation_participants) is in it. `conversation_in_scope` says it
for one conversation from plain values; `conversation_condition` is the same rule as
SQL for lists and reports, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_, select, true

from actors.store.schema import AgentRow, ConversationRow, ParticipantRow, SkillGroupRow

Scope = frozenset[int] | None


def conversation_in_scope(scope: Scope, owner_department: int | None, has_owner: bool,
                          group_department: int | None,
                          participant_departments: Iterable[int | None] = ()) -> bool:
    if scope is None:
        return True
    if has_owner and owner_department in scope:
        return True
    if not has_owner and group_department in scope:
        return True
    return any(d in scope for d in participant_departments)


def agent_in_scope(scope: Scope, department: int | None) -> bool:
    return scope is None or department in scope


def agents_in(scope: frozenset[int]) -> Any:
    return select(AgentRow.id).where(AgentRow.department_id.in_(scope))


def conversation_condition(scope: Scope, center_id: str) -> ColumnElement[bool]:
    """`conversation_in_scope` as a WHERE condition on ConversationRow."""
    if scope is None:
        return true()
    ids = sorted(scope)
    members = agents_in(frozenset(ids))
    groups = select(SkillGroupRow.name).where(SkillGroupRow.center_id == center_id,
                                              SkillGroupRow.department_id.in_(ids))
    took_part = exists().where(ParticipantRow.conversation_id == ConversationRow.id,
                               ParticipantRow.participant_id.in_(members))
    return or_(ConversationRow.agent_id.in_(members),
               and_(ConversationRow.agent_id.is_(None), ConversationRow.skill_group.in_(groups)),
               took_part)


def agent_condition(scope: Scope) -> ColumnElement[bool]:
    """The agent accounts in a scope, as a WHERE condition on AgentRow."""
    return true() if scope is None else AgentRow.department_id.in_(sorted(scope))


def event_condition(scope: Scope, center_id: str, conversation_id: Any, agent_id: Any) -> ColumnElement[bool]:
    """Logged events in a scope: those of its conversations, and those of no conversation
    (an agent's presence, say) naming one of its agents."""
    if scope is None:
        return true()
    conversations = select(ConversationRow.id).where(ConversationRow.center_id == center_id,
                                                     conversation_condition(scope, center_id))
    return or_(conversation_id.in_(conversations),
               and_(conversation_id.is_(None), agent_id.in_(agents_in(scope))))
