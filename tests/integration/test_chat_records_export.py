"""Chat records (会话记录) beyond the search page, through the real edge: every match as a
CSV or XLSX download with headers in either language and the searched words' snippets;
the snippets in pieces with those words marked; and what a supervisor of a department
sees of a conversation's visitor (their trail, their earlier conversations), whom they
may hand it to, and what they export: only their departments'."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from urllib.parse import urlencode

import httpx
from openpyxl import load_workbook

from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, Socket, online_agent_in_new_group, staff_member
from tests.integration.test_chat_records_search import searchable, served
from tests.integration.test_department_scope import answered, world
from tests.integration.test_tracking import SHOP, until


async def download(api: Api, query: dict, expect: int = 200) -> httpx.Response:
    async with httpx.AsyncClient(base_url=api.base_url, timeout=60) as http:
        response = await http.get(f"/api/v1/conversations?{urlencode(query)}",
                                  headers={"Authorization": f"Bearer {api.token}"})
    assert response.status_code == expect, response.text
    return response


def csv_rows(response: httpx.Response) -> list[list[str]]:
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


async def test_every_match_downloads_as_csv_and_xlsx_in_both_languages(center):
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    group, agent_id, agent = await online_agent_in_new_group(admin, level=1, max_concurrent=4)
    first, first_visitor = await served(center, group, agent)
    second, second_visitor = await served(center, group, agent, channel="wechat")
    third, third_visitor = await served(center, group, agent)
    await first_visitor.message(first, "我想退货，订单 =SUM(A1)")
    await second_visitor.message(second, "请开发票")
    await third_visitor.message(third, "退货怎么办？退货要多久")
    await searchable(admin, group, "退货", [third, first])

    # A page of one is asked for; the download holds every match regardless.
    everything = await download(admin, {"skill_group": group, "format": "csv", "limit": 1})
    assert everything.headers["content-disposition"].startswith('attachment; filename="kefu-records-')
    assert (everything.headers["x-kefu-rows"], everything.headers["x-kefu-truncated"]) == ("3", "false")
    lines = csv_rows(everything)
    assert lines[0][:5] == ["Conversation ID", "Requested (UTC)", "Ended (UTC)", "Status", "Skill group"]
    assert "Matching message" not in lines[0]
    assert [line[0] for line in lines[1:]] == [third, second, first]  # newest first
    by_header = [dict(zip(lines[0], line)) for line in lines[1:]]
    assert {(r["Status"], r["Agent ID"], r["Visitor"]) for r in by_header} == {("Being served", agent_id, "Vera")}
    assert [r["Channel"] for r in by_header] == ["web", "wechat", "web"]

    chinese = csv_rows(await download(admin, {"skill_group": group, "q": "退货", "format": "csv",
                                              "lang": "zh-CN"}))
    assert chinese[0][:4] == ["会话ID", "发起时间(UTC)", "结束时间(UTC)", "状态"] and chinese[0][-1] == "匹配消息"
    assert [(line[0], line[3], line[-1]) for line in chinese[1:]] == [
        (third, "接待中", "退货怎么办？退货要多久"),
        (first, "接待中", "我想退货，订单 =SUM(A1)")]

    book = await download(admin, {"skill_group": group, "format": "xlsx", "status": "assigned"})
    assert book.headers["x-kefu-rows"] == "3"
    rows = list(load_workbook(io.BytesIO(book.content), read_only=True).active.iter_rows(values_only=True))
    assert rows[0][0] == "Conversation ID" and [r[0] for r in rows[1:]] == [third, second, first]
    assert isinstance(rows[1][1], datetime) and rows[1][2] is None

    # The same search, paged, carries the snippet in pieces: the words searched marked.
    page = await admin.call("GET", f"/api/v1/conversations?{urlencode({'skill_group': group, 'q': '退货'})}")
    assert page["conversations"][0]["snippet_parts"] == [
        {"text": "退货", "match": True}, {"text": "怎么办？", "match": False},
        {"text": "退货", "match": True}, {"text": "要多久", "match": False}]
    assert [c["snippet_parts"] for c in (await admin.call(
        "GET", f"/api/v1/conversations?skill_group={group}"))["conversations"]] == [None] * 3

    # An agent's download holds only theirs; a format the center does not know is refused.
    _, other = await staff_member(admin, {group: 1}, 2)
    agent_api = Api(center.url, other.token)
    assert csv_rows(await download(agent_api, {"skill_group": group, "format": "csv"}))[1:] == []
    refused = await download(admin, {"format": "pdf"}, expect=422)
    assert refused.json()["error"]["code"] == "invalid_request"
    for socket in (agent, other, first_visitor, second_visitor, third_visitor):
        await socket.close()


async def test_a_supervisor_sees_the_trail_targets_and_exports_of_their_departments_only(center):
    w = await world(center.url)
    # A visitor of department A's group who browsed two pages before asking.
    answer = await Api(center.url).call("POST", "/api/v1/visitors", {"name": "Trail"})
    visitor_id, visitor = answer["visitor_id"], await Socket.open(center.url, "visitor", answer["token"])
    await visitor.next("welcome")
    for path, title in (("/tea", "Tea"), ("/tea/puer", "普洱")):
        await visitor.send({"type": "page.view", "url": SHOP + path, "title": title})
    await visitor.send({"type": "chat.request", "skill_group": w.groups["a"]})
    cid = (await visitor.next("assigned"))["conversation_id"]

    async def trail_of(api: Api) -> dict | None:
        profile = await api.call("GET", f"/api/v1/visitors/{visitor_id}/profile")
        return profile if len(profile["pages"]) == 2 else None

    profile = await until(lambda: trail_of(w.sup_a.api))
    assert [p["title"] for p in profile["pages"]] == ["普洱", "Tea"]
    assert [c["conversation_id"] for c in profile["conversations"]] == [cid]
    # Department B's supervisor finds no such visitor, nor A's other visitors; the admin does.
    await w.sup_b.api.call("GET", f"/api/v1/visitors/{visitor_id}/profile", expect=404)
    a_visitor = (await w.admin.call("GET", f"/api/v1/conversations/{w.conversations['a']}"))["visitor_id"]
    await w.sup_b.api.call("GET", f"/api/v1/visitors/{a_visitor}/profile", expect=404)
    assert (await w.admin.call("GET", f"/api/v1/visitors/{visitor_id}/profile"))["visitor_id"] == visitor_id

    # Whom A's supervisor may hand conversations to: A's and A1's agents and groups.
    directory = await w.sup_a.api.call("GET", "/api/v1/directory")
    names = {g["name"] for g in directory["groups"]}
    agents = {a["agent_id"] for g in directory["groups"] for a in g["agents"]}
    assert {w.groups["a"], w.groups["a1"]} <= names and not names & {w.groups["b"], w.groups["b_wait"]}
    assert {w.agents["a"][0], w.agents["a1"][0]} <= agents and w.agents["b"][0] not in agents
    refused = await answered(w.sup_a.socket, {"type": "transfer", "conversation_id": cid,
                                              "to": {"skill_group": w.groups["b"]}})
    assert refused["code"] == "unknown_skill_group"
    await w.sup_a.socket.send({"type": "transfer", "conversation_id": cid, "to": {"skill_group": w.groups["a1"]}})
    await w.sup_a.socket.next("done", conversation_id=cid, request="transfer")
    await w.agents["a1"][1].next("assigned", conversation_id=cid)

    # Exports follow the same scope.
    exported_a = {line[0] for line in csv_rows(await download(w.sup_a.api, {"format": "csv",
                                                                            "from": w.since.isoformat()}))[1:]}
    exported_b = {line[0] for line in csv_rows(await download(w.sup_b.api, {"format": "csv",
                                                                            "from": w.since.isoformat()}))[1:]}
    assert {cid, w.conversations["a"], w.conversations["a1"]} <= exported_a
    assert not exported_a & {w.conversations["b"], w.conversations["b_wait"]}
    assert {w.conversations["b"], w.conversations["b_wait"]} <= exported_b and cid not in exported_b
    await visitor.close()
