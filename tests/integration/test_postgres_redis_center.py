"""The production shape (PostgreSQL + Redis) runs the same path as the embedded default."""

from __future__ import annotations

from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, Socket, online_agent_in_new_group


async def test_full_path_on_postgres_and_redis(pg_center):
    base = pg_center.url
    admin = await Api(base).login("admin", ADMIN_PASSWORD)
    group, agent_id, agent = await online_agent_in_new_group(admin, level=2, max_concurrent=1)

    _, first_token = await Api(base).new_visitor("first")
    first = await Socket.open(base, "visitor", first_token)
    await first.send({"type": "chat.request", "skill_group": group})
    assigned = await first.next("assigned")
    assert assigned["agent"]["id"] == agent_id
    cid = assigned["conversation_id"]
    _, second_token = await Api(base).new_visitor("second")
    second = await Socket.open(base, "visitor", second_token)
    await second.send({"type": "chat.request", "skill_group": group})
    assert (await second.next("queued"))["position"] == 1

    assert (await first.message(cid, "via redis"))["seq"] == 1
    assert (await agent.next("message"))["message"]["body"] == "via redis"
    assert (await agent.message(cid, "back"))["seq"] == 2
    assert (await first.next("message"))["message"]["seq"] == 2
    await first.send({"type": "typing", "conversation_id": cid, "text": "typing…"})
    assert (await agent.next("typing.preview"))["text"] == "typing…"

    await first.send({"type": "chat.end", "conversation_id": cid})
    await first.next("ended")
    assert (await second.next("assigned"))["agent"]["id"] == agent_id
    history = await Api(base, first_token).call("GET", f"/api/v1/conversations/{cid}/messages")
    assert [m["seq"] for m in history["messages"]] == [1, 2]


async def test_attachments_ratings_and_left_messages_on_postgres(pg_center):
    import httpx

    base = pg_center.url
    admin = await Api(base).login("admin", ADMIN_PASSWORD)
    group, _, agent = await online_agent_in_new_group(admin, level=1, max_concurrent=1)
    visitor_id, token = await Api(base).new_visitor("pg")
    visitor = await Socket.open(base, "visitor", token)
    await visitor.send({"type": "chat.request", "skill_group": group})
    cid = (await visitor.next("assigned"))["conversation_id"]
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        uploaded = await http.post(f"/api/v1/conversations/{cid}/attachments",
                                   files={"file": ("bill.pdf", pdf, "application/pdf")},
                                   headers={"Authorization": f"Bearer {token}"})
        assert uploaded.status_code == 201, uploaded.text
        attachment = uploaded.json()
        await visitor.send({"type": "message", "conversation_id": cid, "client_msg_id": "att", "body": "",
                            "attachments": [attachment["id"]]})
        await visitor.next("ack", client_msg_id="att")
        carried = (await agent.next("message"))["message"]["attachments"]
        assert [a["id"] for a in carried] == [attachment["id"]]
        assert (await http.get(carried[0]["url"])).content == pdf
    await visitor.send({"type": "message", "conversation_id": cid, "client_msg_id": "again", "body": "x",
                        "attachments": [attachment["id"]]})
    assert (await visitor.next("error"))["code"] == "attachment_used"
    history = await Api(base, token).call("GET", f"/api/v1/conversations/{cid}/messages")
    assert history["messages"][0]["attachments"][0]["name"] == "bill.pdf"

    await visitor.send({"type": "chat.end", "conversation_id": cid})
    await visitor.next("ended")
    await visitor.send({"type": "rating", "conversation_id": cid, "score": 4, "comment": "ok"})
    assert (await visitor.next("rated"))["score"] == 4
    await visitor.send({"type": "rating", "conversation_id": cid, "score": 5})
    assert (await visitor.next("error"))["code"] == "already_rated"
    assert (await admin.call("GET", f"/api/v1/conversations/{cid}"))["rating"]["score"] == 4

    await admin.call("PUT", f"/api/v1/admin/skill-groups/{group}/work-hours", {"timezone": "UTC", "weekly": {}})
    await visitor.send({"type": "chat.request", "skill_group": group})
    left_cid = (await visitor.next("offline"))["conversation_id"]
    await visitor.send({"type": "leave_message", "conversation_id": left_cid, "client_msg_id": "left",
                        "contact": "pg@example.com", "body": "call me"})
    await visitor.next("ack", client_msg_id="left")
    assert (await admin.call("GET", f"/api/v1/conversations/{left_cid}"))["left_contact"]["contact"] == \
        "pg@example.com"
    assert (await admin.call("GET", f"/api/v1/admin/visitors/{visitor_id}"))["contact"] == "pg@example.com"
    await visitor.close()
    await agent.close()
