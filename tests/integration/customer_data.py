"""Known visitors for the customers report's tests, written straight into a fresh store,
with every figure counted by hand in tests/integration/test_customer_report.py.

One day, 2026-03-02 (UTC). Departments D1 (group g1, agent a1) and D2 (group g2, agent a2),
and D3 with nobody.

  p1  Hangzhou, iPhone (Mobile Safari 17, iOS 17.0), came from Baidu searching 普洱茶
      k1 web g1 10:00 answered by a1: "我想退货，怎么办？", "退货要多久" (a1 replied)
      k2 web g1 15:00 never answered: "快递太慢了，我要投诉"
  p2  Ningbo, desktop (Chrome 120, Windows 10), a campaign: utm_source Newsletter, utm_term 普洱茶;
      k0 on 2026-02-20 in g2 (returning), and
      k3 web g1 11:00 answered by a1: "发票怎么开", "我要发票"
  p3  US, desktop (Firefox 121, Ubuntu), from blog.example.com
      k4 web g2 10:30 answered by a2: "Can I return my order please?", "order status"
  p4  nothing recorded (an API visitor: no page seen)
      k5 wechat g2 12:00 never answered: "投诉 退货"
  p5  k6 web g1 the day before, 23:50: "退货" (outside the day)
  p6  Beijing, desktop (Chrome 120, Windows 10), came directly
      k7 web g1 10:05 answered by a1: "你好"
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import insert

from actors.store.schema import (AgentRow, CenterRow, ConversationRow, DepartmentRow, EventRow, MessageRow,
                                 SkillGroupRow, VisitorRow)

CENTER = "cc"
DAY = datetime(2026, 3, 2, tzinfo=timezone.utc)
SINCE, UNTIL = DAY, DAY + timedelta(days=1)
D1, D2, D3 = 801, 802, 803
SHOP = "https://shop.example.cn/"


def hour(h: float, base: datetime = DAY) -> datetime:
    return base + timedelta(hours=h)


VISITORS = [
    dict(id="p1", country="CN", province="浙江", city="杭州", region="CN-ZJ", device_type="mobile",
         browser="Mobile Safari 17", os="iOS 17.0", landing_url=SHOP, source_engine="Baidu", source_keyword="普洱茶",
         source_host="www.baidu.com"),
    dict(id="p2", country="CN", province="浙江", city="宁波", region="CN-ZJ", device_type="desktop",
         browser="Chrome 120", os="Windows 10", landing_url=SHOP + "?utm_source=Newsletter",
         source_engine="Newsletter", source_keyword="普洱茶"),
    dict(id="p3", country="US", device_type="desktop", browser="Firefox 121", os="Ubuntu", landing_url=SHOP,
         source_host="blog.example.com"),
    dict(id="p4", channel="api"),
    dict(id="p5"),
    dict(id="p6", country="CN", province="北京", city="北京", region="CN-BJ", device_type="desktop",
         browser="Chrome 120", os="Windows 10", landing_url=SHOP),
]

# (id, visitor, channel, group, requested, agent, the visitor's messages)
CONVERSATIONS = [
    ("k0", "p2", "web", "g2", DAY - timedelta(days=10), "a2", ["退货"]),
    ("k1", "p1", "web", "g1", hour(10), "a1", ["我想退货，怎么办？", "退货要多久"]),
    ("k2", "p1", "web", "g1", hour(15), None, ["快递太慢了，我要投诉"]),
    ("k3", "p2", "web", "g1", hour(11), "a1", ["发票怎么开", "我要发票"]),
    ("k4", "p3", "web", "g2", hour(10.5), "a2", ["Can I return my order please?", "order status"]),
    ("k5", "p4", "wechat", "g2", hour(12), None, ["投诉 退货"]),
    ("k6", "p5", "web", "g1", DAY - timedelta(minutes=10), "a1", ["退货"]),
    ("k7", "p6", "web", "g1", hour(10, DAY + timedelta(minutes=5)), "a1", ["你好"]),
]


def _event(kind: str, when: datetime, cid: str, agent: str | None, group: str | None, **data: object) -> dict:
    return {"center_id": CENTER, "type": kind, "at": when, "conversation_id": cid, "agent_id": agent,
            "skill_group": group, "visitor_id": None, "data": {"center_id": CENTER, **data}}


async def write_known_visitors(db) -> None:
    created = DAY - timedelta(days=30)
    conversations, messages, events = [], [], []
    for cid, visitor, channel, group, requested, agent, said in CONVERSATIONS:
        conversations.append({"id": cid, "center_id": CENTER, "visitor_id": visitor, "channel": channel,
                              "status": "ended" if agent else "left_message", "skill_group": group,
                              "agent_id": agent, "requested_at": requested})
        events.append(_event("ConversationRequested", requested, cid, None, group, conversation_id=cid,
                             visitor_id=visitor, channel=channel, requested_group=group))
        for seq, body in enumerate(said, start=1):
            messages.append({"conversation_id": cid, "seq": seq, "sender_kind": "visitor", "sender_id": visitor,
                             "body": body, "ts": requested + timedelta(seconds=seq), "visibility": "public"})
        if agent:
            events.append(_event("ConversationAssigned", requested + timedelta(seconds=5), cid, agent, group))
            # The agent's words are not the visitors': "退货" here counts nowhere.
            messages.append({"conversation_id": cid, "seq": len(said) + 1, "sender_kind": "agent",
                             "sender_id": agent, "body": "您好，退货请提供订单号", "ts": requested + timedelta(seconds=9),
                             "visibility": "public"})
    async with db() as session, session.begin():
        await session.execute(insert(CenterRow), [{"id": CENTER, "name": "Customers", "routing": {},
                                                   "created_at": created}])
        await session.execute(insert(DepartmentRow), [{"id": d, "center_id": CENTER, "name": f"D{d}"}
                                                      for d in (D1, D2, D3)])
        await session.execute(insert(SkillGroupRow), [
            {"id": 811, "center_id": CENTER, "name": "g1", "department_id": D1},
            {"id": 812, "center_id": CENTER, "name": "g2", "department_id": D2}])
        await session.execute(insert(AgentRow), [
            {"id": a, "center_id": CENTER, "username": a, "password_hash": "-", "display_name": a, "role": "agent",
             "max_concurrent": 3, "created_at": created, "department_id": d} for a, d in (("a1", D1), ("a2", D2))])
        await session.execute(insert(VisitorRow), [{"center_id": CENTER, "created_at": created, **v} for v in VISITORS])
        await session.execute(insert(ConversationRow), conversations)
        await session.execute(insert(MessageRow), messages)
        await session.execute(insert(EventRow), events)
