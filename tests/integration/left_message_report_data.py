"""Known left messages for the left messages report's test, written straight into a fresh
store, with every figure counted by hand in the comments (test_left_message_report.py).

One day, 2026-03-02 (UTC), T0 = 10:00. Skill group g1 in department "North" (id 1), g2 in
"South" (id 2). Agents Ann (a1) and Bob (a2); the supervisor s1 assigns.

  m1 web    g1  left 10:00:00; s1 assigns Ann +60; Ann replies in the widget +300; closed +400
  m2 web    g1  left 10:05:00; Bob takes it +20; replies by email +120, then in the widget +200
  m3 wechat g1  left 10:10:00; never assigned; closed by s1 +100 (no reply)
  m6 web    g1  left 10:20:00; Ann replies unassigned (taking it) +60
  m4 web    g2  left 11:00:00; s1 assigns Ann +100, hands it to Bob +200; no reply yet
  m5 web    g2  left 11:30:00; nothing
  m7 web    g1  left 23:00:00; Ann replies (taking it) the next day at 01:00 (+7200)
  m0 web    g1  left the day before, 23:00; Ann replies at 10:30 on the day (not in the day's cohort)

For the day, as of its end: submitted 7 (m1..m7); assigned 4 (m1, m2, m4, m6); replied 3
(m1, m6 in the widget first; m2 by email first); closed without a reply 1 (m3); still open 3
(m4, m5, m7). First replies 300, 120, 60 s: average 160, p90 between ranks 2 and 3:
120 + 0.8 * 180 = 264.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import insert

from actors.store.schema import (AgentRow, CenterRow, ConversationRow, DepartmentRow, EventRow, SkillGroupRow,
                                 VisitorRow)

CENTER = "lc"
DAY = datetime(2026, 3, 2, tzinfo=timezone.utc)
T0 = DAY + timedelta(hours=10)
SINCE, UNTIL = DAY, DAY + timedelta(days=1)
NORTH, SOUTH = 1, 2


def at(seconds: float, base: datetime = T0) -> datetime:
    return base + timedelta(seconds=seconds)


class LeftTraffic:
    def __init__(self) -> None:
        self.events: list[dict] = []
        self.conversations: list[dict] = []

    def event(self, kind: str, when: datetime, cid: str, agent: str | None = None, group: str | None = None,
              **data: object) -> None:
        self.events.append({"center_id": CENTER, "type": kind, "at": when, "conversation_id": cid,
                            "agent_id": agent, "skill_group": group, "visitor_id": None,
                            "data": {"center_id": CENTER, "conversation_id": cid, **data}})

    def left(self, cid: str, when: datetime, group: str, channel: str = "web") -> datetime:
        self.event("LeftMessageSubmitted", when, cid, group=group, visitor_id="lv1", skill_group=group)
        self.conversations.append({"id": cid, "center_id": CENTER, "visitor_id": "lv1", "channel": channel,
                                   "status": "ended", "skill_group": group, "requested_at": when,
                                   "left_state": "new", "left_submitted_at": when})
        return when

    def assign(self, cid: str, when: datetime, agent: str, by: str, previous: str | None = None) -> None:
        self.event("LeftMessageAssigned", when, cid, agent, agent_id=agent, by=by, previous=previous)

    def reply(self, cid: str, when: datetime, by: str, via: str, seq: int) -> None:
        self.event("LeftMessageReplied", when, cid, visitor_id="lv1", by=by, via=via, seq=seq)

    def close(self, cid: str, when: datetime, by: str) -> None:
        self.event("LeftMessageClosed", when, cid, by=by)


def known_left_messages() -> LeftTraffic:
    t = LeftTraffic()
    m1 = t.left("m1", at(0), "g1")
    t.assign("m1", at(60, m1), "a1", "s1")
    t.reply("m1", at(300, m1), "a1", "widget", 2)
    t.close("m1", at(400, m1), "a1")

    m2 = t.left("m2", at(300), "g1")
    t.assign("m2", at(20, m2), "a2", "a2")
    t.reply("m2", at(120, m2), "a2", "email", 2)
    t.reply("m2", at(200, m2), "a2", "widget", 3)

    m3 = t.left("m3", at(600), "g1", channel="wechat")
    t.close("m3", at(100, m3), "s1")

    m6 = t.left("m6", at(1200), "g1")
    t.assign("m6", at(60, m6), "a1", "a1")  # replying to an unassigned one takes it, in the same commit
    t.reply("m6", at(60, m6), "a1", "widget", 2)

    m4 = t.left("m4", at(3600), "g2")
    t.assign("m4", at(100, m4), "a1", "s1")
    t.assign("m4", at(200, m4), "a2", "s1", previous="a1")

    t.left("m5", at(5400), "g2")

    m7 = t.left("m7", DAY + timedelta(hours=23), "g1")
    t.assign("m7", at(7200, m7), "a1", "a1")
    t.reply("m7", at(7200, m7), "a1", "widget", 2)

    m0 = t.left("m0", DAY - timedelta(hours=1), "g1")
    t.assign("m0", at(1800), "a1", "a1")
    t.reply("m0", at(1800), "a1", "widget", 2)
    assert m0 < SINCE
    return t


async def write_known_left_messages(db) -> None:
    t = known_left_messages()
    created = DAY - timedelta(days=30)
    async with db() as session, session.begin():
        await session.execute(insert(CenterRow), [{"id": CENTER, "name": "Left", "routing": {},
                                                   "created_at": created}])
        await session.execute(insert(DepartmentRow), [{"id": NORTH, "center_id": CENTER, "name": "North"},
                                                      {"id": SOUTH, "center_id": CENTER, "name": "South"}])
        await session.execute(insert(SkillGroupRow), [
            {"id": 911, "center_id": CENTER, "name": "g1", "department_id": NORTH},
            {"id": 912, "center_id": CENTER, "name": "g2", "department_id": SOUTH}])
        await session.execute(insert(AgentRow), [
            {"id": i, "center_id": CENTER, "username": i, "password_hash": "-", "display_name": name,
             "role": role, "max_concurrent": 3, "created_at": created, "department_id": NORTH}
            for i, name, role in (("a1", "Ann", "agent"), ("a2", "Bob", "agent"), ("s1", "Sue", "supervisor"))])
        await session.execute(insert(VisitorRow), [{"id": "lv1", "center_id": CENTER, "created_at": created}])
        await session.execute(insert(ConversationRow), t.conversations)
        await session.execute(insert(EventRow), t.events)
