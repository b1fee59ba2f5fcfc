"""The monitor's figures as pure arithmetic over facts (no Ray): a hand count of known
conversations, alerts by the clock, sensitive words, the midnight roll and departments."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from actors.monitor.departments import Departments, by_department
from actors.monitor.figures import Figures, day_start
from actors.monitor.scoped_view import scoped_snapshot
from actors.monitor.settings import MonitorSettings, clean_words, find_sensitive, parse_monitor_settings
from actors.monitor.snapshot import AgentCard, build

T0 = datetime(2026, 3, 4, 10, 0, tzinfo=timezone.utc)  # a Wednesday
SETTINGS = MonitorSettings(wait_alert_s=60, no_answer_alert_s=120, answer_within_s=20,
                           first_response_within_s=30, sensitive_words=("退款", "Refund"))


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def message(cid: str, seq: int, kind: str, who: str, body: str, ts: datetime) -> dict:
    return {"message": {"conversation_id": cid, "seq": seq, "sender_kind": kind, "sender_id": who,
                        "body": body, "ts": ts.isoformat(), "visibility": "public"}}


def conversation(f: Figures, cid: str, group: str, start: float) -> None:
    f.apply("ConversationRequested", {"conversation_id": cid, "requested_group": group}, at(start))
    f.apply("ConversationQueued", {"conversation_id": cid, "skill_group": group}, at(start))


def assigned(f: Figures, cid: str, group: str, agent: str, when: float) -> None:
    f.apply("QueueLeft", {"conversation_id": cid, "skill_group": group, "outcome": "assigned"}, at(when))
    f.apply("ConversationAssigned", {"conversation_id": cid, "skill_group": group, "agent": {"id": agent}}, at(when))


def figures() -> Figures:
    f = Figures(today=day_start(T0), sensitive_words=SETTINGS.sensitive_words)
    f.apply("AgentStatusChanged", {"agent_id": "a1", "status": "online", "connected": True}, at(0))
    f.apply("AgentStatusChanged", {"agent_id": "a2", "status": "away", "connected": True}, at(0))
    conversation(f, "c1", "sales", 0)  # answered in 10 s, replied 20 s later, ended at 100 s
    assigned(f, "c1", "sales", "a1", 10)
    f.apply("MessagePosted", message("c1", 1, "visitor", "v1", "I want a REFUND", at(12)), at(12))
    f.apply("MessagePosted", message("c1", 2, "agent", "a1", "ok", at(30)), at(30))
    f.apply("ConversationEnded", {"conversation_id": "c1", "agent_id": "a1"}, at(100))
    f.apply("ConversationRated", {"conversation_id": "c1", "score": 5}, at(101))
    conversation(f, "c2", "sales", 5)  # answered after 40 s: outside the 20 s target; still open
    assigned(f, "c2", "sales", "a1", 45)
    f.apply("MessagePosted", message("c2", 1, "visitor", "v2", "hello?", at(50)), at(50))
    conversation(f, "c3", "sales", 20)  # abandoned
    f.apply("QueueLeft", {"conversation_id": "c3", "skill_group": "sales", "outcome": "abandoned"}, at(30))
    f.apply("ConversationEnded", {"conversation_id": "c3"}, at(30))
    conversation(f, "c4", "billing", 200)  # still waiting
    return f


def test_figures_match_a_hand_count():
    snap = build(figures(), {"a1": AgentCard("a1", "Ann", 2), "a2": AgentCard("a2", "Bo", 3)}, SETTINGS, at(290))
    t = snap.totals
    assert (t.conversations, t.messages, t.visitors_served, t.waiting_now) == (4, 3, 2, 1)
    assert t.longest_wait_now_s == 90 and t.wait_avg_s == 25 and t.first_response_avg_s == 20
    assert t.handle_avg_s == 100 and (t.abandoned_in_queue, t.abandoned_share) == (1, 0.25)
    # Answered within 20 s: c1 of c1, c2 (answered), c3 (abandoned) and c4 (waiting past 20 s).
    assert t.service_level == 0.25 and (t.ratings, t.rating_avg) == (1, 5)
    assert {g.skill_group: g.conversations for g in snap.skill_groups} == {"billing": 1, "sales": 3}
    agents = {a.agent_id: (a.state, a.load, a.conversations, a.messages) for a in snap.agents}
    assert agents == {"a1": ("online", 1, 2, 1), "a2": ("away", 0, 0, 0)}
    assert snap.trend[10].today_conversations == 4 and snap.trend[10].today_served == 2
    assert snap.heatmap[T0.weekday()][10] == 4 and sum(map(sum, snap.heatmap)) == 4


def test_alerts_rise_by_the_clock_and_clear_when_no_longer_true():
    f = figures()
    kinds = lambda now: {(a.kind, a.conversation_id) for a in build(f, {}, SETTINGS, now).alerts}
    assert kinds(at(169)) == set()  # c2's visitor unanswered for 119 s of 120
    assert kinds(at(171)) == {("no_answer", "c2")}
    assert ("long_wait", "c4") in kinds(at(261)) and ("long_wait", "c4") not in kinds(at(259))
    f.apply("MessagePosted", message("c2", 2, "agent", "a1", "here", at(300)), at(300))
    assert ("no_answer", "c2") not in kinds(at(400))
    assign = {"conversation_id": "c4", "skill_group": "billing", "agent": {"id": "a2"}}
    f.apply("ConversationAssigned", assign, at(400))
    assert ("long_wait", "c4") not in kinds(at(500))


def test_conversations_with_the_bot_are_counted_until_handed_off_and_its_answers_raise_no_alert():
    f = figures()
    for cid in ("b1", "b2"):
        f.apply("ConversationRequested", {"conversation_id": cid, "requested_group": "help"}, at(300))
        f.apply("BotEngaged", {"conversation_id": cid, "skill_group": "help"}, at(300))
        f.apply("MessagePosted", message(cid, 1, "visitor", "v9", "how do I pay?", at(301)), at(301))
        f.apply("MessagePosted", message(cid, 2, "bot", "bot", "Like this.", at(302)), at(302))
    snap = build(f, {}, SETTINGS, at(900))
    assert snap.totals.with_bot_now == 2 and not [a for a in snap.alerts if a.conversation_id in ("b1", "b2")]
    f.apply("BotHandedOff", {"conversation_id": "b1", "skill_group": "help"}, at(910))
    f.apply("ConversationEnded", {"conversation_id": "b2"}, at(911))
    assert build(f, {}, SETTINGS, at(912)).totals.with_bot_now == 0


def test_sensitive_words_are_found_ignoring_case_in_chinese_too_and_clear_at_the_end():
    assert find_sensitive("我要退款！", ("退款",)) == "退款" and find_sensitive("REFUND now", ("Refund",)) == "Refund"
    assert find_sensitive("all fine", ("退款", "refund")) is None
    assert clean_words([" 退款 ", "Refund", "refund", ""]) == ("退款", "Refund")
    f = figures()
    f.apply("MessagePosted", message("c2", 2, "visitor", "v2", "退款!", at(60)), at(60))
    assert [(a.conversation_id, a.word) for a in build(f, {}, SETTINGS, at(61)).alerts
            if a.kind == "sensitive_word"] == [("c2", "退款")]  # c1's ended with it
    f.apply("ConversationEnded", {"conversation_id": "c2", "agent_id": "a1"}, at(70))
    assert not [a for a in build(f, {}, SETTINGS, at(71)).alerts if a.kind == "sensitive_word"]


def test_midnight_starts_today_again_and_keeps_what_is_live():
    f = figures()
    f.roll(T0 + timedelta(days=1))
    snap = build(f, {"a1": AgentCard("a1", "Ann", 2)}, SETTINGS, T0 + timedelta(days=1, seconds=1))
    assert (snap.totals.conversations, snap.totals.messages, snap.totals.waiting_now) == (0, 0, 1)
    assert snap.trend[10].yesterday_conversations == 4 and snap.heatmap[T0.weekday()][10] == 4
    assert {a.agent_id: a.load for a in snap.agents}["a1"] == 1


def test_departments_sum_their_subtrees_in_tree_order():
    snap = build(figures(), {"a1": AgentCard("a1", "Ann", 2), "a2": AgentCard("a2", "Bo", 3)}, SETTINGS, at(290))
    # Sales (1) holds East (2) and West (3); Support (4) has nobody.
    tree = Departments(names={1: "Sales", 2: "East", 3: "West", 4: "Support"},
                       parents={1: None, 2: 1, 3: 1, 4: None},
                       agents={"a1": 2, "a2": 3}, groups={"sales": 2, "billing": 3})
    rows = by_department(snap, tree)
    assert [(r.name, r.depth) for r in rows] == [("Sales", 0), ("East", 1), ("West", 1), ("Support", 0)]
    sales, east, west, support = rows
    assert (east.conversations, east.visitors_served, east.wait_avg_s) == (3, 2, 25)
    assert (east.load, east.capacity, east.agents_by_state.online) == (1, 2, 1)
    assert (west.waiting_now, west.longest_wait_now_s, west.agents_by_state.away) == (1, 90, 1)
    # The parent is what its children add up to (waits weighted by the answered).
    assert (sales.conversations, sales.waiting_now, sales.capacity) == (
        east.conversations + west.conversations, east.waiting_now + west.waiting_now, 5)
    assert sales.agents_by_state.online + sales.agents_by_state.away == 2
    assert (support.conversations, support.capacity, support.wait_avg_s) == (0, 0, None)


def test_a_supervisors_view_keeps_their_departments_with_their_top_at_depth_zero():
    snap = build(figures(), {"a1": AgentCard("a1", "Ann", 2)}, SETTINGS, at(290))
    snap.departments = by_department(snap, Departments(names={1: "Sales", 2: "East"}, parents={1: None, 2: 1},
                                                       agents={"a1": 2}))
    view = scoped_snapshot(snap.model_dump(), {"a1"}, {"sales"}, set(), {2})
    assert [(d["name"], d["depth"]) for d in view["departments"]] == [("East", 0)]


def test_a_center_in_beijing_counts_its_own_day_and_hours():
    beijing = ZoneInfo("Asia/Shanghai")
    late = datetime(2026, 3, 4, 15, 30, tzinfo=timezone.utc)  # 23:30 in Beijing, Wednesday
    early = datetime(2026, 3, 4, 16, 30, tzinfo=timezone.utc)  # 00:30 on Thursday there
    f = Figures(today=day_start(late, beijing), zone=beijing)
    f.apply("ConversationRequested", {"conversation_id": "c1", "requested_group": "sales"}, late)
    f.roll(early)  # Beijing's midnight came: c1 was yesterday's
    f.apply("ConversationRequested", {"conversation_id": "c2", "requested_group": "sales"}, early)
    snap = build(f, {}, SETTINGS, early)
    assert (snap.day, snap.tz, snap.totals.conversations) == ("2026-03-05", "Asia/Shanghai", 1)
    assert snap.trend[0].today_conversations == 1 and snap.trend[23].yesterday_conversations == 1
    # The heatmap's rows are Beijing's weekdays: Wednesday 23:00 and Thursday 00:00.
    assert (snap.heatmap[2][23], snap.heatmap[3][0]) == (1, 1)
    # The same facts on a UTC center: one day, both at 15:00 and 16:00 of Wednesday.
    utc = Figures(today=day_start(late))
    for cid, when in (("c1", late), ("c2", early)):
        utc.apply("ConversationRequested", {"conversation_id": cid, "requested_group": "sales"}, when)
    utc_snap = build(utc, {}, SETTINGS, early)
    assert (utc_snap.day, utc_snap.tz, utc_snap.totals.conversations) == ("2026-03-04", "UTC", 2)


def test_settings_take_defaults_for_what_is_missing_or_bad():
    parsed = parse_monitor_settings({"monitor": {"wait_alert_s": 5, "answer_within_s": -1},
                                     "sensitive_words": ["x", 3]})
    assert (parsed.wait_alert_s, parsed.answer_within_s, parsed.sensitive_words) == (5, 30, ("x",))
    assert parse_monitor_settings(None) == MonitorSettings()
