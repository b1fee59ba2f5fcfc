"""Today's figures of one center, kept incrementally from its facts (pure, no I/O).

`Figures.apply(type, data, at)` takes one fact: a logged event as the log stores
it (its type, its `data` and its `at`) or a stored message (`MessagePosted`).
Seeding from the log and following the bus feed therefore go through the same
code, and a monitor rebuilt from the log holds the figures it had.

Definitions are the conversations report's (actors/reports/conversation_report.py):
a conversation counts on the UTC day of its ConversationRequested; its wait runs
from the request to its first assignment; its first response from the first
assignment to the first public agent message; its duration (handle time) from the
request to its end, for answered conversations; abandoned in queue is a QueueLeft
with outcome `abandoned`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any

from actors.monitor.settings import find_sensitive


def day_start(at: datetime, zone: tzinfo = timezone.utc) -> datetime:
    """The midnight that starts `at`'s day in `zone` (the center's), aware in that zone."""
    return at.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)


def hour_start(at: datetime, zone: tzinfo) -> datetime:
    """The start of `at`'s hour on `zone`'s clock (a half-hour zone's hours too)."""
    return at.astimezone(zone).replace(minute=0, second=0, microsecond=0)


def parse_ts(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value).replace("Z", "+00:00"))


@dataclass
class Conversation:
    """What the figures need of one of today's conversations."""

    requested_at: datetime
    group: str | None
    assigned_at: datetime | None = None
    agent_id: str | None = None
    first_reply_at: datetime | None = None
    ended_at: datetime | None = None
    abandoned: bool = False
    # The visitor's oldest message not answered yet (for the no-answer alert).
    unanswered_since: datetime | None = None
    with_bot: bool = False  # the FAQ bot serves it now (not yet handed off or ended)

    @property
    def wait_s(self) -> float | None:
        return None if self.assigned_at is None else (self.assigned_at - self.requested_at).total_seconds()

    @property
    def first_response_s(self) -> float | None:
        if self.assigned_at is None or self.first_reply_at is None:
            return None
        return (self.first_reply_at - self.assigned_at).total_seconds()

    @property
    def duration_s(self) -> float | None:
        if self.assigned_at is None or self.ended_at is None:
            return None
        return (self.ended_at - self.requested_at).total_seconds()


@dataclass
class Figures:
    today: datetime  # the midnight (in `zone`) that starts the day the figures count
    conversations: dict[str, Conversation] = field(default_factory=dict)
    waiting: dict[str, tuple[str, datetime]] = field(default_factory=dict)  # id -> (group, since)
    open_by_agent: dict[str, set[str]] = field(default_factory=dict)  # live load, any day's conversations
    agent_status: dict[str, str] = field(default_factory=dict)
    agent_connected: dict[str, bool] = field(default_factory=dict)
    messages: int = 0
    messages_by_agent: dict[str, int] = field(default_factory=dict)
    ratings: list[int] = field(default_factory=list)
    # Conversations requested per hour: yesterday and today (trend), and per
    # (weekday, hour) over the last 7 days (heatmap); served (assigned) per hour too.
    requested_by_hour: dict[datetime, int] = field(default_factory=dict)
    served_by_hour: dict[datetime, int] = field(default_factory=dict)
    # Of each open conversation: the visitor's first unanswered message (alerts).
    unanswered: dict[str, datetime] = field(default_factory=dict)
    # Sensitive words seen in open conversations: conversation -> [(at, seq, word)].
    flagged: dict[str, list[tuple[datetime, int, str]]] = field(default_factory=dict)
    sensitive_words: tuple[str, ...] = ()
    version: int = 0  # bumped by every fact that changed something
    zone: tzinfo = timezone.utc  # the center's: its days and hours (trend, heatmap)

    def roll(self, now: datetime) -> None:
        """At the center's midnight, today's counts start again; what is live (waiting, load,
        presence) stays."""
        start = day_start(now, self.zone)
        if start <= self.today:
            return
        self.today = start
        self.conversations = {cid: c for cid, c in self.conversations.items()
                              if c.requested_at >= start or cid in self.waiting}
        self.messages, self.messages_by_agent, self.ratings = 0, {}, []
        horizon = start - timedelta(days=7)
        self.requested_by_hour = {h: n for h, n in self.requested_by_hour.items() if h >= horizon}
        self.served_by_hour = {h: n for h, n in self.served_by_hour.items() if h >= horizon}
        self.version += 1

    def apply(self, kind: str, data: dict[str, Any], at: datetime) -> None:
        handler = _HANDLERS.get(kind)
        if handler is not None and handler(self, data, at) is not False:
            self.version += 1

    # -- one method per fact --------------------------------------------------------------

    def _requested(self, data: dict[str, Any], at: datetime) -> None:
        hour = hour_start(at, self.zone)
        self.requested_by_hour[hour] = self.requested_by_hour.get(hour, 0) + 1
        if at >= self.today:
            self.conversations[data["conversation_id"]] = Conversation(at, data.get("requested_group"))

    def _queued(self, data: dict[str, Any], at: datetime) -> None:
        cid = data["conversation_id"]
        since = self.waiting.get(cid, (None, at))[1]
        self.waiting[cid] = (data.get("skill_group") or "", since)
        if cid in self.conversations:
            self.conversations[cid].group = data.get("skill_group")

    def _queue_left(self, data: dict[str, Any], at: datetime) -> None:
        cid = data["conversation_id"]
        if data.get("outcome") != "overflowed":
            self.waiting.pop(cid, None)
        if data.get("outcome") == "abandoned" and cid in self.conversations:
            self.conversations[cid].abandoned = True

    def _assigned(self, data: dict[str, Any], at: datetime) -> None:
        cid, agent_id = data["conversation_id"], (data.get("agent") or {}).get("id")
        self.waiting.pop(cid, None)
        for held in self.open_by_agent.values():
            held.discard(cid)
        if agent_id:
            self.open_by_agent.setdefault(agent_id, set()).add(cid)
        conversation = self.conversations.get(cid)
        if conversation is None:
            return
        conversation.agent_id = agent_id
        if data.get("skill_group"):
            conversation.group = data["skill_group"]
        if conversation.assigned_at is None:
            conversation.assigned_at = at
            hour = hour_start(at, self.zone)
            self.served_by_hour[hour] = self.served_by_hour.get(hour, 0) + 1

    def _ended(self, data: dict[str, Any], at: datetime) -> None:
        cid = data["conversation_id"]
        self.waiting.pop(cid, None)
        self.unanswered.pop(cid, None)
        self.flagged.pop(cid, None)
        for held in self.open_by_agent.values():
            held.discard(cid)
        if cid in self.conversations and self.conversations[cid].ended_at is None:
            self.conversations[cid].ended_at = at
            self.conversations[cid].with_bot = False

    def _bot(self, data: dict[str, Any], at: datetime, serving: bool) -> bool:
        conversation = self.conversations.get(data["conversation_id"])
        if conversation is None:
            return False
        conversation.with_bot = serving
        conversation.group = data.get("skill_group") or conversation.group
        return True

    def _bot_engaged(self, data: dict[str, Any], at: datetime) -> bool:
        return self._bot(data, at, serving=True)

    def _bot_handed_off(self, data: dict[str, Any], at: datetime) -> bool:
        return self._bot(data, at, serving=False)

    def _rated(self, data: dict[str, Any], at: datetime) -> bool:
        if data["conversation_id"] not in self.conversations:
            return False
        self.ratings.append(int(data["score"]))
        return True

    def _status(self, data: dict[str, Any], at: datetime) -> None:
        self.agent_status[data["agent_id"]] = data["status"]
        self.agent_connected[data["agent_id"]] = bool(data.get("connected"))

    def _message(self, data: dict[str, Any], at: datetime) -> None:
        message = data["message"]
        ts = parse_ts(message.get("ts") or at)
        cid, sender = message["conversation_id"], message.get("sender_kind")
        if ts >= self.today:
            self.messages += 1
        if message.get("visibility") == "internal":
            return
        word = find_sensitive(message.get("body") or "", self.sensitive_words)
        if word is not None:
            self.flagged.setdefault(cid, []).append((ts, int(message.get("seq") or 0), word))
        if sender == "visitor":
            self.unanswered.setdefault(cid, ts)
        elif sender == "bot":  # answered: no agent is keeping the visitor waiting
            self.unanswered.pop(cid, None)
        elif sender == "agent":
            self.unanswered.pop(cid, None)
            agent_id = message.get("sender_id")
            if ts >= self.today and agent_id:
                self.messages_by_agent[agent_id] = self.messages_by_agent.get(agent_id, 0) + 1
            conversation = self.conversations.get(cid)
            if conversation is not None and conversation.first_reply_at is None and conversation.assigned_at:
                conversation.first_reply_at = ts


_HANDLERS = {
    "ConversationRequested": Figures._requested, "ConversationQueued": Figures._queued,
    "QueueLeft": Figures._queue_left, "ConversationAssigned": Figures._assigned,
    "ConversationEnded": Figures._ended, "ConversationRated": Figures._rated,
    "AgentStatusChanged": Figures._status, "MessagePosted": Figures._message,
    "BotEngaged": Figures._bot_engaged, "BotHandedOff": Figures._bot_handed_off,
}
FACT_TYPES = tuple(_HANDLERS)
