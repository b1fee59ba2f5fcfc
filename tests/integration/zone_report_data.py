"""Traffic near local midnights for the time-zone report tests (tests/integration/
test_report_zones.py), written straight into a fresh store, counted by hand below.

Each moment has one conversation answered by Ann (a1) in g1 (waited 10 s, her reply +20 s,
rated 4 at +30 s) and one left message (submitted then, never replied).

Beijing (UTC+8, no DST): 2026-03-01 23:30Z and 2026-03-02 00:30Z, two UTC days, one
Beijing day (07:30 and 08:30 on 03-02). Ann online 2026-03-01 15:00Z to 2026-03-02 01:00Z:
9 h on UTC 03-01 and 1 h on 03-02; 1 h on Beijing's 03-01 (from 23:00) and 9 h on 03-02.

New York across the March change (2026-03-08 07:00Z: EST -05:00 became EDT -04:00):
2026-03-08 04:30Z (23:30 EST on 03-07), 05:30Z (00:30 EST on 03-08), 2026-03-09 03:30Z
(23:30 EDT on 03-08) and 04:30Z (00:30 EDT on 03-09). A fixed -05:00 would put the third
on 03-08 but the fourth on 03-08 too; a fixed -04:00 the first on 03-08: only the offset
of each moment gives 1, 2, 1.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import insert

from actors.store.schema import (AgentRow, AgentSkillRow, CenterRow, ConversationRow, EventRow, MessageRow,
                                 SkillGroupRow, VisitorRow)
from tests.integration.report_data import Traffic

CENTER = "rc"  # report_data's Traffic writes this center


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


BEIJING_MOMENTS = (utc(2026, 3, 1, 23, 30), utc(2026, 3, 2, 0, 30))
NEW_YORK_MOMENTS = (utc(2026, 3, 8, 4, 30), utc(2026, 3, 8, 5, 30), utc(2026, 3, 9, 3, 30), utc(2026, 3, 9, 4, 30))


def zone_traffic() -> Traffic:
    t = Traffic()
    for n, moment in enumerate(BEIJING_MOMENTS + NEW_YORK_MOMENTS):
        served, left = f"z{n}", f"l{n}"
        s = timedelta(seconds=1)
        t.conversation(served, moment, "g1", agent="a1", ended=moment + 100 * s, rating=4)
        t.event("QueueLeft", moment + 10 * s, served, group="g1", outcome="assigned", waited_s=10.0)
        t.event("ConversationAssigned", moment + 10 * s, served, "a1", "g1")
        t.message(served, moment + 30 * s, "agent", "a1")
        t.event("ConversationRated", moment + 40 * s, served, "a1", "g1", score=4)
        t.conversation(left, moment, "g1", status="left_message")
        t.event("LeftMessageSubmitted", moment, left, group="g1")
    t.event("AgentStatusChanged", utc(2026, 3, 1, 15), agent="a1", status="online")
    t.event("AgentStatusChanged", utc(2026, 3, 2, 1), agent="a1", status="offline")
    return t


async def write_zone_traffic(db) -> None:
    t = zone_traffic()
    created = utc(2026, 1, 1)
    async with db() as session, session.begin():
        await session.execute(insert(CenterRow), [{"id": CENTER, "name": "Zones", "routing": {},
                                                   "created_at": created}])
        await session.execute(insert(SkillGroupRow), [{"id": 901, "center_id": CENTER, "name": "g1"}])
        await session.execute(insert(AgentRow), [
            {"id": "a1", "center_id": CENTER, "username": "a1", "password_hash": "-", "display_name": "Ann",
             "role": "agent", "max_concurrent": 3, "created_at": created}])
        await session.execute(insert(AgentSkillRow), [{"agent_id": "a1", "skill_group_id": 901}])
        await session.execute(insert(VisitorRow), [{"id": "rv1", "center_id": CENTER, "created_at": created}])
        await session.execute(insert(ConversationRow), t.conversations)
        await session.execute(insert(MessageRow), t.messages)
        await session.execute(insert(EventRow), t.events)
