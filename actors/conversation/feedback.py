"""What the visitor hears and says besides messages: the visitor's rating (满意度) and
the agent's typing indicator (a left message, 留言, is actors/conversation/left_pool.py).

A mixin of the Conversation entity (actors/conversation/entity.py).
"""

from __future__ import annotations

from actors.conversation.protocol import AgentTyped, AgentTyping, ConversationRated, Rate, Rated
from actors.lifecycle import ConversationStatus as Status
from actors.participants import AgentRef, ParticipantRole
from actors.runtime.replies import Rejected
from actors.store.clock import utcnow

# At most one typing indicator per conversation this often: the widget shows one for
# about four seconds, so one every two keeps it lit while the agent types.
AGENT_TYPING_INTERVAL_S = 2.0
MAX_COMMENT_CHARS = 500


class Feedback:
    async def _rate(self, command: Rate) -> Rated | Rejected:
        if self.status is Status.NEW:
            return Rejected("not_found", "no such conversation")
        if command.visitor_id != self.visitor_id:
            return Rejected("forbidden", "not your conversation")
        if self.rated:
            return Rejected("already_rated", "this conversation has been rated already")
        if not 1 <= command.score <= 5:
            return Rejected("invalid_frame", "score: from 1 to 5")
        rated = ConversationRated(self.key, self.center_id, self.visitor_id, self.agent_id, self.group,
                                  command.score, command.comment[:MAX_COMMENT_CHARS])
        await self._save(events=(rated,), rating_score=rated.score, rating_comment=rated.comment,
                         rated_at=utcnow())
        self.rated = True
        await self._publish(rated, origin=command.origin)
        return Rated(rated)

    async def _agent_typing(self, command: AgentTyping) -> None:
        served_elsewhere = (self.forward is not None and self.forward.agent is not None
                            and command.agent_id == self.forward.agent.id)  # the linked center's agent
        if not served_elsewhere and (self.status is not Status.ASSIGNED or not self._writes_publicly(command.agent_id)):
            return
        now = self.services.clock()
        if now - self.agent_typing_at < AGENT_TYPING_INTERVAL_S:
            return
        self.agent_typing_at = now
        await self._publish_visitor(AgentTyped(self.key, AgentRef(command.agent_id, command.display_name)))

    def _writes_publicly(self, agent_id: str) -> bool:
        """The owner and collaborators: those the visitor knows are serving them."""
        if agent_id == self.agent_id:
            return True
        participant = self.participants.get(agent_id)
        return participant is not None and participant.role is ParticipantRole.COLLABORATOR
