"""Known traffic for the report tests, written straight into a fresh store, with every
figure counted by hand in the comments (tests/integration/test_report_figures.py).

One day, 2026-03-02 (UTC). Agents Ann (a1) and Bob (a2) in g1; Bob in g2 too; Cat (a3),
an agent who did nothing; the built-in admin.

  c1 web g1    requested 10:00:00, assigned Ann +10 s, Ann's internal note +12, her reply +15,
               ended +100, rated 5 (Ann)
  c2 web g1    requested 10:01:00, assigned Ann +20 s, her reply +50, transferred to Bob at
               10:03:20, his reply 10:03:30, ended 10:05:00 (+240), rated 3 (Bob)
  c3 wechat g1 requested 10:02:00, abandoned in the queue at 10:02:30
  c4 web g1    requested 10:03:00, timed out into a left message at 10:04:00
  c7 web       requested 10:03:20 asking for g1, outside its hours: a left message
  c5 web g2    requested 11:00:00, overflowed from g1 +30 s, assigned Bob +40, his reply +90;
               still open
  c6 web g1    requested the day before, 23:59:00; assigned Ann at 00:00:30, her reply 00:00:40
               (outside the conversations report, inside the agents report)

Presence: Ann online since the day before (20:00), away at 12:00, offline at 13:00;
Bob online 09:00 to 17:30.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import insert

from actors.store.schema import (AgentRow, AgentSkillRow, CenterRow, ConversationRow, EventRow,
                                 MessageRow, SkillGroupRow, VisitorRow)

CENTER = "rc"
DAY = datetime(2026, 3, 2, tzinfo=timezone.utc)
T0 = DAY + timedelta(hours=10)
SINCE, UNTIL = DAY, DAY + timedelta(days=1)


def at(seconds: float, base: datetime = T0) -> datetime:
    return base + timedelta(seconds=seconds)


class Traffic:
    def __init__(self) -> None:
        self.events: list[dict] = []
        self.messages: list[dict] = []
        self.conversations: list[dict] = []

    def event(self, kind: str, when: datetime, cid: str | None = None, agent: str | None = None,
              group: str | None = None, **data: object) -> None:
        self.events.append({"center_id": CENTER, "type": kind, "at": when, "conversation_id": cid,
                            "agent_id": agent, "skill_group": group, "visitor_id": None,
                            "data": {"center_id": CENTER, **data}})

    def message(self, cid: str, when: datetime, kind: str, sender: str, visibility: str = "public") -> None:
        seq = 1 + sum(1 for m in self.messages if m["conversation_id"] == cid)
        self.messages.append({"conversation_id": cid, "seq": seq, "sender_kind": kind, "sender_id": sender,
                              "body": "…", "ts": when, "visibility": visibility})

    def conversation(self, cid: str, requested: datetime, group: str | None, channel: str = "web",
                     status: str = "ended", agent: str | None = None, ended: datetime | None = None,
                     rating: int | None = None, asked_for: str | None = None) -> None:
        self.event("ConversationRequested", requested, cid, channel=channel,
                   requested_group=asked_for or group)
        if ended is not None:
            self.event("ConversationEnded", ended, cid)
        self.conversations.append({"id": cid, "center_id": CENTER, "visitor_id": "rv1", "channel": channel,
                                   "status": status, "skill_group": group, "agent_id": agent,
                                   "requested_at": requested, "ended_at": ended, "rating_score": rating})


def known_traffic() -> Traffic:
    t = Traffic()
    t.conversation("c1", at(0), "g1", agent="a1", ended=at(100), rating=5)
    t.event("QueueLeft", at(10), "c1", group="g1", outcome="assigned")
    t.event("ConversationAssigned", at(10), "c1", "a1", "g1")
    t.message("c1", at(5), "visitor", "rv1")
    t.message("c1", at(12), "agent", "a1", "internal")
    t.message("c1", at(15), "agent", "a1")
    t.event("ConversationRated", at(110), "c1", "a1", "g1", score=5)

    t.conversation("c2", at(60), "g1", agent="a2", ended=at(300), rating=3)
    t.event("ConversationAssigned", at(80), "c2", "a1", "g1")
    t.message("c2", at(110), "agent", "a1")
    t.event("ConversationTransferred", at(200), "c2", group=None, from_agent_id="a1", to_agent_id="a2")
    t.event("ConversationAssigned", at(200), "c2", "a2", "g1")
    t.message("c2", at(210), "agent", "a2")
    t.event("ConversationRated", at(310), "c2", "a2", "g1", score=3)

    t.conversation("c3", at(120), "g1", channel="wechat", ended=at(150))
    t.event("QueueLeft", at(150), "c3", group="g1", outcome="abandoned")

    t.conversation("c4", at(180), "g1", status="left_message")
    t.event("QueueLeft", at(240), "c4", group="g1", outcome="timed_out")
    t.event("MessageLeft", at(240), "c4", group="g1", reason="queue_timeout")

    # Outside g1's hours: no line entered, the row has no group; it asked for g1.
    t.conversation("c7", at(200), None, status="left_message", asked_for="g1")
    t.event("MessageLeft", at(200), "c7", reason="outside_work_hours")

    c5 = T0 + timedelta(hours=1)
    t.conversation("c5", c5, "g2", status="assigned", agent="a2")
    t.event("QueueLeft", at(30, c5), "c5", group="g1", outcome="overflowed")
    t.event("ConversationAssigned", at(40, c5), "c5", "a2", "g2")
    t.message("c5", at(90, c5), "agent", "a2")

    t.conversation("c6", DAY - timedelta(minutes=1), "g1", status="assigned", agent="a1")
    t.event("ConversationAssigned", at(30, DAY), "c6", "a1", "g1")
    t.message("c6", at(40, DAY), "agent", "a1")

    def presence(agent: str, when: datetime, status: str) -> None:
        t.event("AgentStatusChanged", when, agent=agent, status=status)

    presence("a1", DAY - timedelta(hours=4), "online")
    presence("a1", DAY + timedelta(hours=12), "away")
    presence("a1", DAY + timedelta(hours=13), "offline")
    presence("a2", DAY + timedelta(hours=9), "online")
    presence("a2", DAY + timedelta(hours=17, minutes=30), "offline")
    return t


async def write_known_traffic(db) -> None:
    t = known_traffic()
    created = DAY - timedelta(days=30)
    agents = [("a1", "Ann", "agent"), ("a2", "Bob", "agent"), ("a3", "Cat", "agent"), ("a0", "Admin", "admin")]
    async with db() as session, session.begin():
        await session.execute(insert(CenterRow), [{"id": CENTER, "name": "Reports", "routing": {},
                                                   "created_at": created}])
        await session.execute(insert(SkillGroupRow), [{"id": 901, "center_id": CENTER, "name": "g1"},
                                                      {"id": 902, "center_id": CENTER, "name": "g2"}])
        await session.execute(insert(AgentRow), [
            {"id": i, "center_id": CENTER, "username": i, "password_hash": "-", "display_name": name,
             "role": role, "max_concurrent": 3, "created_at": created} for i, name, role in agents])
        await session.execute(insert(AgentSkillRow), [{"agent_id": "a1", "skill_group_id": 901},
                                                      {"agent_id": "a2", "skill_group_id": 901},
                                                      {"agent_id": "a2", "skill_group_id": 902}])
        await session.execute(insert(VisitorRow), [{"id": "rv1", "center_id": CENTER, "created_at": created}])
        await session.execute(insert(ConversationRow), t.conversations)
        await session.execute(insert(MessageRow), t.messages)
        await session.execute(insert(EventRow), t.events)
