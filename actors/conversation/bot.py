"""The FAQ bot serving a conversation (status `bot`) until it hands off to people.

A mixin of the Conversation entity (actors/conversation/entity.py). The bot holds
no slot and waits in no queue: it answers each visitor message from the knowledge
base through the center's answer provider (actors/bot/), and hands the
conversation, with everything said so far, to the group's queue when the visitor
asks for a person (the widget's button or a keyword), or after the turns it could
not answer run out. When nobody can take it (outside work hours, no agent of the
group signed in) the hand-off makes it a left message instead.

An answer is composed outside the mailbox (a provider may be a slow HTTP
endpoint) and posted through it as BotReply, so the visitor's next message is
never held behind it; a reply that finds the conversation handed off or ended is
dropped. Kept in memory only, reset by a rebuild: the turns without an answer
and the choices last offered (rebuilt from the stored messages when picked).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable

from actors.bot.answers import AnswerProvider, BotAnswer
from actors.bot.phrases import Language, language_of, phrase
from actors.bot.providers import provider_for
from actors.bot.settings import BotSettings
from actors.center.protocol import CenterSettings, GetRouting, GetSettings, center_ref
from actors.conversation.bot_protocol import (BOT_ID, AskForHuman, BotAnswered, BotEngaged, BotGreet,
                                              BotHandedOff, BotReply, ChooseAnswer, HandedOff)
from actors.conversation.protocol import ConversationQueued, MessageLeft, MessagePosted, Opened, Post, Posted
from actors.knowledge.search import SqlKnowledgeSearch
from actors.lifecycle import ConversationStatus as Status
from actors.lifecycle import move_conversation
from actors.participants import PartyKind
from actors.routing.capacity import Capacity
from actors.routing.types import CenterRouting, RouteDecision
from actors.routing.waiting_line import WaitingEntry
from actors.runtime.replies import Rejected
from actors.skill_group.protocol import GetCapacity, queue_ref
from actors.store.clock import utcnow
from actors.store.conversations import messages_after
from actors.store.messages import StoredMessage

log = logging.getLogger(__name__)

# Answers being composed, kept referenced until done (the loop holds tasks weakly).
_COMPOSING: set[asyncio.Task] = set()


class BotService:
    def _reset_bot(self) -> None:
        self.bot: BotSettings | None = None
        self.bot_turns = 0  # visitor messages the bot took
        self.bot_unanswered = 0  # in a row
        self.bot_offered: dict[str, str] = {}  # the choices last offered: article id -> title
        self.bot_composing = 0
        self.bot_language: Language = "en"
        self.priority = 0
        self.preferred_agent_id: str | None = None

    async def _engage_bot(self, decision: RouteDecision, common: dict[str, Any], requested: Any) -> Opened:
        """A new conversation the group's bot takes (routing found the group has one)."""
        self.bot = decision.bot
        self.priority, self.preferred_agent_id = decision.priority, decision.preferred_agent_id
        self.status = move_conversation(self.status, Status.BOT)
        engaged = BotEngaged(self.key, self.center_id, self.visitor_id, self.group, decision.out_of_hours)
        await self.services.writes.insert_conversation(events=(requested, engaged), status=self.status.value,
                                                       skill_group=self.group, **common)
        if self.bot.greeting:
            # After the answer to the request: the visitor hears who serves them, then the greeting.
            self.tell(self.ref, BotGreet())
        return Opened(self.info(), out_of_hours=decision.out_of_hours)

    async def _greet(self) -> None:
        if self.status is Status.BOT and self.bot is not None and self.bot.greeting and self.next_seq == 1:
            await self._post_bot(self.bot.greeting, {})

    async def _bot_settings(self) -> BotSettings:
        """The group's bot as the center has it now (a rebuilt entity, or settings changed);
        a bot switched off meanwhile still finishes the conversations it has."""
        routing = await self.ask(center_ref(self.center_id), GetRouting())
        group = routing.groups.get(self.group) if isinstance(routing, CenterRouting) else None
        if group is not None and group.bot is not None:
            self.bot = group.bot
        return self.bot or BotSettings(enabled=True)

    # -- the visitor's turns ------------------------------------------------------------------

    async def _bot_turn(self, message: StoredMessage) -> None:
        """After a visitor message is committed while the bot serves."""
        if not message.body.strip():
            return  # a file alone: nothing to look up
        bot = await self._bot_settings()
        self.bot_turns += 1
        self.bot_language = language_of(message.body)
        if bot.asks_for_human(message.body):
            self.tell(self.ref, AskForHuman(self.visitor_id, reason="keyword"))
            return
        self._compose(message.seq, lambda provider: provider.answer(self.center_id, message.body, bot.threshold))

    def _compose(self, seq: int, compose: Callable[[AnswerProvider], Awaitable[BotAnswer | None]]) -> None:
        """Run `compose` on the center's provider outside the mailbox; its answer comes back
        as BotReply (the visitor's `ack` is not held behind it)."""
        self.bot_composing += 1

        async def run() -> None:
            try:
                answer = await compose(await self._provider())
            except Exception:  # a provider must not raise; should one, the visitor still hears back
                log.exception("conversation %s: no answer composed", self.key)
                answer = None
            self.tell(self.ref, BotReply(answer or BotAnswer(None), seq))

        task = asyncio.get_running_loop().create_task(run())
        _COMPOSING.add(task)
        task.add_done_callback(_COMPOSING.discard)

    async def _provider(self) -> AnswerProvider:
        settings = await self.ask(center_ref(self.center_id), GetSettings())
        if not isinstance(settings, CenterSettings):
            settings = CenterSettings()
        if self.services.knowledge is None:
            self.services.knowledge = SqlKnowledgeSearch(self.services.db)
        return provider_for(settings.answer_provider, self.services.knowledge, self.services.db)

    async def _bot_reply(self, command: BotReply) -> None:
        self.bot_composing = max(0, self.bot_composing - 1)
        if self.status is not Status.BOT:
            return  # handed off or ended while it was being composed
        # The settings the turn read (a rebuilt entity reads them again).
        answer, bot = command.answer, self.bot or await self._bot_settings()
        answered = BotAnswered(self.key, self.center_id, self.group or "", answer.answered, answer.confidence,
                               answer.article_id, answer.provider, len(answer.choices))
        await self._save(events=(answered,), status=self.status.value)
        if answer.answered:
            self.bot_unanswered = 0
            await self._post_bot(answer.text, {"article_id": answer.article_id})
            return
        self.bot_unanswered += 1
        if bot.max_unanswered and self.bot_unanswered >= bot.max_unanswered:
            await self._hand_off("unanswered")
            return
        if answer.choices:
            self.bot_offered = {choice.article_id: choice.title for choice in answer.choices}
            await self._post_bot(phrase("choices", self.bot_language), {
                "choices": [{"article_id": c.article_id, "title": c.title} for c in answer.choices],
                "handoff_offered": True})
        else:
            await self._post_bot(phrase("no_answer", self.bot_language), {"handoff_offered": True})

    async def _choose(self, command: ChooseAnswer) -> Posted | Rejected:
        """The visitor picked an offered choice: their pick is their message, the article the answer."""
        if command.visitor_id != self.visitor_id:
            return Rejected("forbidden", "not your conversation")
        if self.status is not Status.BOT:
            return Rejected("conversation_closed", "the bot is no longer serving this conversation")
        if command.article_id not in self.bot_offered:
            await self._recall_offered()
        title = self.bot_offered.get(command.article_id)
        if title is None:
            return Rejected("not_offered", "that answer was not offered in this conversation")
        posted = await self._post(Post(PartyKind.VISITOR, self.visitor_id, command.client_msg_id, title,
                                       command.origin))
        if isinstance(posted, Rejected) or posted.duplicate:
            return posted
        self.bot_turns += 1
        # No longer published (or public): the bot says it has no answer, as for any question.
        self._compose(posted.message.seq, lambda provider: provider.article(self.center_id, command.article_id))
        return posted

    async def _recall_offered(self) -> None:
        """The choices of the newest bot message that offered some (after a rebuild)."""
        for message in reversed(await messages_after(self.services.db, self.key, 0)):
            if message.sender_kind is PartyKind.BOT and message.bot and message.bot.get("choices"):
                self.bot_offered = {c["article_id"]: c["title"] for c in message.bot["choices"]}
                return

    # -- handing off ------------------------------------------------------------------------

    async def _ask_for_human(self, command: AskForHuman) -> HandedOff | Rejected:
        if command.visitor_id != self.visitor_id:
            return Rejected("forbidden", "not your conversation")
        if self.status is not Status.BOT:
            return HandedOff(self.status.value)  # pressed twice, or already with people
        return await self._hand_off(command.reason)

    async def _hand_off(self, reason: str) -> HandedOff:
        capacity = await self.ask(queue_ref(self.center_id, self.group), GetCapacity())
        open_now = isinstance(capacity, Capacity) and capacity.open_now
        staffed = isinstance(capacity, Capacity) and capacity.agents_staffed > 0
        to = "queue" if open_now and staffed else "left_message"
        handed = BotHandedOff(self.key, self.center_id, self.group or "", reason, to, self.bot_turns)
        if to == "left_message":
            left_reason = "outside_work_hours" if not open_now else "no_agent_online"
            await self._post_bot(phrase("leave_message", self.bot_language), {"leave_message_offered": True})
            self.status = move_conversation(self.status, Status.LEFT_MESSAGE)
            left = MessageLeft(self.key, self.center_id, self.visitor_id, self.group, left_reason)
            await self._save(events=(handed, left), status=self.status.value, end_reason=left_reason)
            await self._publish(handed)
            await self._publish_visitor(left)
            return HandedOff(self.status.value, offline_reason=left_reason)
        await self._post_bot(phrase("handing_off", self.bot_language), {})
        self.status = move_conversation(self.status, Status.QUEUED)
        now = self.services.clock()
        await self._save(events=(handed,), status=self.status.value, enqueued_at=now)
        await self._publish(handed)
        entry = WaitingEntry(conversation_id=self.key, visitor_id=self.visitor_id, priority=self.priority,
                             enqueued_at=now, deadline=None, preferred_agent_id=self.preferred_agent_id,
                             channel=self.channel, visitor_name=self.visitor_name, source=self.source)
        opened = await self._enter_queue(self.group, entry, origin=None)
        if opened.position is not None:
            await self._publish_visitor(ConversationQueued(
                self.key, self.center_id, self.visitor_id, self.group, opened.position, opened.rev))
        return HandedOff(self.status.value, position=opened.position)

    async def _post_bot(self, body: str, extras: dict[str, Any]) -> StoredMessage:
        name = self.bot.name if self.bot is not None else ""
        message = StoredMessage(self.key, self.next_seq, PartyKind.BOT, BOT_ID, body, None, utcnow(),
                                bot={"name": name, **{k: v for k, v in extras.items() if v is not None}})
        await self.services.writes.append_message(message)
        self.next_seq += 1
        await self._publish(MessagePosted(message))
        return message
