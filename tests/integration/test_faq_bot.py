"""The FAQ bot on a running center (SQLite, and PostgreSQL with Redis): it answers a
paraphrased question from a published public article, offers choices when unsure and
answers the one picked, hands off to a person on 人工 or the button (who then gets the
whole conversation, the bot's turns included), after too many turns it could not
answer, and outside work hours or with nobody signed in turns the hand-off into a left
message. Its turns are messages like any other and its facts reach the event log."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.fake_chat_completions import API_KEY, MODEL, REPLY_PREFIX, FakeChatCompletions
from tests.integration.protocol_client import Api, Socket, staff_member, unique
from tests.integration.test_visitor_feedback import CLOSED


@pytest.fixture(params=["center", "pg_center"])
def any_center(request):
    return request.getfixturevalue(request.param)


async def publish(admin: Api, title: str, body: str, questions: list[str] = (), keywords: list[str] = (),
                  visibility: str = "public") -> str:
    categories = (await admin.call("GET", "/api/v1/knowledge/categories"))["categories"]
    faq = next(c["id"] for c in categories if c["name"] == "FAQ")
    created = await admin.call("POST", "/api/v1/knowledge/articles", {
        "category_id": faq, "title": title, "body_html": f"<p>{body}</p>", "questions": list(questions),
        "keywords": list(keywords), "visibility": visibility}, expect=201)
    await admin.call("POST", f"/api/v1/knowledge/articles/{created['id']}/submit")
    await admin.call("POST", f"/api/v1/knowledge/articles/{created['id']}/approve")
    return created["id"]


async def bot_group(admin: Api, **bot) -> str:
    return (await admin.create_group(unique("g"), bot={"enabled": True, **bot}))["name"]


async def visitor_asking(center, group: str) -> tuple[str, Socket, dict]:
    visitor_id, token = await Api(center.url).new_visitor("Vera")
    socket = await Socket.open(center.url, "visitor", token)
    await socket.next("welcome")
    await socket.send({"type": "chat.request", "skill_group": group})
    return visitor_id, socket, await socket.next("bot.serving")


async def say(socket: Socket, cid: str, body: str) -> int:
    cmid = uuid.uuid4().hex
    await socket.send({"type": "message", "conversation_id": cid, "client_msg_id": cmid, "body": body})
    return (await socket.next("ack", client_msg_id=cmid))["seq"]


async def bot_says(socket: Socket, cid: str, after_seq: int) -> dict:
    """The bot's first message after `after_seq`, received already or still to come (a frame
    the test waited past, an ack or a greeting ahead of `bot.serving`, counts)."""
    def found() -> dict | None:
        return next((m for m in (f["message"] for f in socket.all("message"))
                     if m["conversation_id"] == cid and m["seq"] > after_seq and m["sender"]["kind"] == "bot"),
                    None)
    while found() is None:
        await socket.next("message")
    return found()


async def test_the_bot_answers_and_hands_off_to_a_person_who_sees_its_turns(any_center):
    center = any_center
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    word = unique("zb")  # this test's product: no other test's articles name it
    refund = await publish(admin, f"How to get a refund for {word}",
                           f"Open your {word} order, press Refund and pick a reason. The money is back in 3 days.",
                           questions=[f"How do I get my money back for {word}?"], keywords=["refund"])
    await publish(admin, f"Changing the {word} delivery address",
                  f"Before the {word} parcel ships, edit the address on the order page.",
                  questions=[f"Can I change where my {word} is delivered?"])
    invoice = await publish(admin, f"{word} 发票怎么开", f"在{word}订单详情页点击申请发票，填写抬头后提交即可。",
                            questions=[f"{word} 如何开具发票"], keywords=["发票"])
    group = await bot_group(admin, name="Ava", greeting="Hi, I am Ava. Ask me anything.")
    agent_id, agent = await staff_member(admin, {group: 1}, 2)

    _, visitor, serving = await visitor_asking(center, group)
    cid = serving["conversation_id"]
    assert serving["bot"] == {"name": "Ava"} and serving["out_of_hours"] is False
    greeting = await bot_says(visitor, cid, 0)
    assert (greeting["body"], greeting["sender"]) == ("Hi, I am Ava. Ask me anything.",
                                                      {"kind": "bot", "id": "bot", "display_name": "Ava"})

    asked = await say(visitor, cid, f"I want my money back for the {word} I bought")
    answer = await bot_says(visitor, cid, asked)
    assert answer["bot"]["article_id"] == refund and "press Refund" in answer["body"]
    asked = await say(visitor, cid, f"{word} 怎么开发票？")
    answer = await bot_says(visitor, cid, asked)
    assert answer["bot"]["article_id"] == invoice and "申请发票" in answer["body"]
    # Not one of them reached the agent: the bot holds no slot and queues nowhere.
    assert not agent.all("assigned")

    asked = await say(visitor, cid, "我要人工")
    handed = await visitor.next("bot.handed_off", conversation_id=cid)
    assert (handed["reason"], handed["to"]) == ("keyword", "queue")
    assigned = await visitor.next("assigned", conversation_id=cid)
    assert assigned["agent"]["id"] == agent_id
    await agent.next("assigned", conversation_id=cid)
    # The person sees what the bot said, in seq order, with no gap.
    staff = await Api(center.url).login("admin", ADMIN_PASSWORD)
    history = (await staff.call("GET", f"/api/v1/conversations/{cid}/messages?after_seq=0"))["messages"]
    assert [m["seq"] for m in history] == list(range(1, len(history) + 1))
    kinds = [m["sender"]["kind"] for m in history]
    assert kinds[:5] == ["bot", "visitor", "bot", "visitor", "bot"] and "bot" in kinds[5:]
    assert history[2]["bot"]["article_id"] == refund
    # And people take it from here: the agent writes, the bot answers no more.
    await agent.message(cid, "Hello, I am a person.")
    later = await say(visitor, cid, "thanks, how long does it take?")
    await agent.next("message", timeout=10)
    staff_view = (await staff.call("GET", f"/api/v1/conversations/{cid}/messages?after_seq={later - 1}"))["messages"]
    assert [m["sender"]["kind"] for m in staff_view] == ["visitor"]

    events = (await admin.call("GET", f"/api/v1/events?conversation_id={cid}&limit=100"))["events"]
    types = [e["type"] for e in events]
    assert {"BotEngaged", "BotAnswered", "BotHandedOff", "ConversationAssigned"} <= set(types)
    assert types.index("BotHandedOff") < types.index("ConversationAssigned")

    # The agent turns the finished chat into a draft; a reviewer publishes it for the next visitor.
    await agent.send({"type": "chat.end", "conversation_id": cid})
    await visitor.next("ended", conversation_id=cid)
    draft = await Api(center.url, agent.token).call("POST", "/api/v1/knowledge/articles/promote",
                                                    {"conversation_id": cid}, expect=201)
    assert draft["status"] == "draft" and "Hello, I am a person." in draft["body_html"]
    await Api(center.url, agent.token).call("POST", f"/api/v1/knowledge/articles/{draft['id']}/submit")
    published = await admin.call("POST", f"/api/v1/knowledge/articles/{draft['id']}/approve")
    assert published["status"] == "published"
    for socket in (visitor, agent):
        await socket.close()


async def test_an_unsure_bot_offers_choices_and_answers_the_one_picked(center):
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    word = unique("zc")
    first = await publish(admin, f"{word} battery care", f"Charge the {word} before it runs flat.")
    second = await publish(admin, f"{word} battery replacement", f"A {word} battery is replaced at any store.")
    internal = await publish(admin, f"{word} battery supplier", "Internal only.", visibility="internal")
    # Nothing is ever sure enough: the bot always asks which one.
    group = await bot_group(admin, threshold=1.0, max_unanswered=0)
    _, visitor, serving = await visitor_asking(center, group)
    cid = serving["conversation_id"]

    asked = await say(visitor, cid, f"{word} battery")
    offer = await bot_says(visitor, cid, asked)
    offered = {c["article_id"]: c["title"] for c in offer["bot"]["choices"]}
    assert {first, second} <= set(offered) and internal not in offered
    assert offer["bot"]["handoff_offered"] is True

    cmid = uuid.uuid4().hex
    await visitor.send({"type": "bot.choose", "conversation_id": cid, "client_msg_id": cmid, "article_id": second})
    ack = await visitor.next("ack", client_msg_id=cmid)
    picked = await bot_says(visitor, cid, ack["seq"])
    assert picked["bot"]["article_id"] == second and "replaced at any store" in picked["body"]
    history = (await admin.call("GET", f"/api/v1/conversations/{cid}/messages?after_seq={asked}"))["messages"]
    assert (history[1]["sender"]["kind"], history[1]["body"]) == ("visitor", offered[second])

    # Only what was offered can be picked: not an internal article, not another conversation's.
    await visitor.send({"type": "bot.choose", "conversation_id": cid, "client_msg_id": uuid.uuid4().hex,
                        "article_id": internal})
    assert (await visitor.next("error"))["code"] == "not_offered"
    _, stranger_token = await Api(center.url).new_visitor("Sam")
    stranger = await Socket.open(center.url, "visitor", stranger_token)
    await stranger.next("welcome")
    await stranger.send({"type": "bot.handoff", "conversation_id": cid})
    assert (await stranger.next("error"))["code"] == "forbidden"
    await stranger.send({"type": "bot.choose", "conversation_id": cid, "client_msg_id": uuid.uuid4().hex,
                         "article_id": first})
    assert (await stranger.next("error"))["code"] == "forbidden"
    for socket in (visitor, stranger):
        await socket.close()


async def test_out_of_hours_the_bot_answers_and_a_hand_off_leaves_a_message(center):
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    word = unique("zh")
    article = await publish(admin, f"{word} opening times", f"The {word} desk opens at nine.",
                            questions=[f"When does {word} open?"])
    group = await bot_group(admin)
    await admin.call("PUT", f"/api/v1/admin/skill-groups/{group}/work-hours", CLOSED)
    await staff_member(admin, {group: 1}, 2)  # signed in, but the group is closed
    _, visitor, serving = await visitor_asking(center, group)
    cid = serving["conversation_id"]
    assert serving["out_of_hours"] is True
    asked = await say(visitor, cid, f"when does {word} open")
    assert (await bot_says(visitor, cid, asked))["bot"]["article_id"] == article

    await visitor.send({"type": "bot.handoff", "conversation_id": cid})
    frames = await visitor.each("offline", "bot.handed_off")
    offline, handed = frames["offline"], frames["bot.handed_off"]
    assert (offline["reason"], offline["leave_message"]) == ("outside_work_hours", True)
    assert (handed["reason"], handed["to"]) == ("asked", "left_message")
    offer = await bot_says(visitor, cid, asked)
    while not offer["bot"].get("leave_message_offered"):
        offer = await bot_says(visitor, cid, offer["seq"])
    cmid = uuid.uuid4().hex
    await visitor.send({"type": "leave_message", "conversation_id": cid, "client_msg_id": cmid,
                        "contact": "vera@example.com", "body": "please call me"})
    await visitor.next("ack", client_msg_id=cmid)
    row = await admin.call("GET", f"/api/v1/left-messages/{cid}")
    assert row["contact"] == "vera@example.com"
    await visitor.close()


async def test_turns_without_an_answer_hand_off_and_nobody_signed_in_means_a_left_message(center):
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    group = await bot_group(admin, max_unanswered=2)
    _, visitor, serving = await visitor_asking(center, group)
    cid = serving["conversation_id"]
    asked = await say(visitor, cid, f"{unique('qx')} {unique('qy')}")
    first = await bot_says(visitor, cid, asked)
    assert first["bot"]["handoff_offered"] is True and "article_id" not in first["bot"]
    await say(visitor, cid, f"{unique('qx')} {unique('qy')}")
    frames = await visitor.each("offline", "bot.handed_off")
    assert (frames["bot.handed_off"]["reason"], frames["bot.handed_off"]["to"]) == ("unanswered", "left_message")
    assert frames["offline"]["reason"] == "no_agent_online"
    await visitor.close()


async def test_bad_bot_settings_are_refused_and_good_ones_shown_whole(center):
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    group = (await admin.create_group(unique("g")))["name"]
    for bad, words in (({"threshold": 2}, "threshold"), ({"enabled": "yes"}, "enabled"),
                       ({"colour": "red"}, "colour"), ({"handoff_keywords": [""]}, "handoff_keywords")):
        refused = await admin.call("PATCH", f"/api/v1/admin/skill-groups/{group}", {"bot": bad}, expect=422)
        assert refused["error"]["code"] == "invalid_request" and words in refused["error"]["message"]
    shown = await admin.call("PATCH", f"/api/v1/admin/skill-groups/{group}", {"bot": {"enabled": True}})
    assert shown["bot"]["enabled"] is True and shown["bot"]["threshold"] == 0.5 and "人工" in shown["bot"]["handoff_keywords"]
    cleared = await admin.call("PATCH", f"/api/v1/admin/skill-groups/{group}", {"bot": None})
    assert cleared["bot"] is None


async def test_the_conversations_report_counts_what_the_bot_resolved_and_handed_off(center):
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    word = unique("zr")
    await publish(admin, f"{word} warranty", f"Every {word} has a two-year warranty.",
                  questions=[f"How long is the {word} warranty?"])
    group = await bot_group(admin)
    await staff_member(admin, {group: 1}, 2)

    _, resolved, serving = await visitor_asking(center, group)
    cid = serving["conversation_id"]
    asked = await say(resolved, cid, f"how long is the {word} warranty")
    await bot_says(resolved, cid, asked)
    await resolved.send({"type": "chat.end", "conversation_id": cid})
    await resolved.next("ended", conversation_id=cid)
    await resolved.send({"type": "rating", "conversation_id": cid, "score": 5})
    await resolved.next("rated", conversation_id=cid)

    _, handed, serving = await visitor_asking(center, group)
    await handed.send({"type": "bot.handoff", "conversation_id": serving["conversation_id"]})
    await handed.next("assigned", conversation_id=serving["conversation_id"])

    now = datetime.now(timezone.utc)
    since, until = ((now + timedelta(days=d)).strftime("%Y-%m-%dT%H:%M:%SZ") for d in (-1, 1))
    report = await admin.call("GET", f"/api/v1/reports/conversations?skill_group={group}&since={since}&until={until}")
    total = report["total"]
    assert (total["conversations"], total["bot_served"], total["bot_resolved"], total["bot_handed_off"],
            total["answered"], total["bot_rating_avg"]) == (2, 2, 1, 1, 1, 5.0)
    for socket in (resolved, handed):
        await socket.close()


@pytest.fixture
def endpoint():
    fake = FakeChatCompletions().start()
    yield fake
    fake.stop()


async def test_a_configured_endpoint_composes_grounded_answers_and_a_slow_one_never_holds_the_chat(center, endpoint):
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    word = unique("zo")
    article = await publish(admin, f"{word} parcel tracking", f"Track a {word} parcel with its number on the order page.",
                            questions=[f"Where is my {word} parcel?"])
    await admin.call("PUT", "/api/v1/admin/answer-provider", {
        "kind": "openai_compatible", "base_url": endpoint.base_url, "model": MODEL, "api_key": API_KEY,
        "timeout_s": 1.0})
    try:
        group = await bot_group(admin)
        _, visitor, serving = await visitor_asking(center, group)
        cid = serving["conversation_id"]
        asked = await say(visitor, cid, f"where is my {word} parcel")
        answer = await bot_says(visitor, cid, asked)
        assert answer["body"] == f"{REPLY_PREFIX}{word} parcel tracking" and answer["bot"]["article_id"] == article
        grounding = endpoint.requests[-1]["body"]["messages"][0]["content"]
        assert f"Track a {word} parcel" in grounding

        # Too slow: the visitor's next message is acknowledged at once, the search answers.
        endpoint.mode, endpoint.slow_s = "slow", 5.0
        asked = await say(visitor, cid, f"where is my {word} parcel now")
        acked_at = len(visitor.frames)
        answer = await bot_says(visitor, cid, asked)
        assert answer["bot"]["article_id"] == article and "order page" in answer["body"]
        assert acked_at < len(visitor.frames)  # the ack came before the answer
        events = (await admin.call("GET", f"/api/v1/events?conversation_id={cid}&type=BotAnswered"))["events"]
        assert [e["data"]["provider"] for e in events] == ["openai_compatible", "builtin"]
        await visitor.close()
    finally:
        await admin.call("PUT", "/api/v1/admin/answer-provider", {"kind": "builtin", "api_key": ""})
