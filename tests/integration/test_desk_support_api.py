"""What the web UIs read besides conversations: the widget's settings and embed code,
canned replies (personal and public), the staff directory with status and load, and
`agents/me`. Roles are checked on the server for each."""

from __future__ import annotations

import pytest

from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, Socket, online_agent_in_new_group, staff_member, unique


@pytest.fixture
async def admin(center) -> Api:
    return await Api(center.url).login("admin", ADMIN_PASSWORD)


async def login_as(center, admin: Api, role: str, groups: dict[str, int] | None = None) -> tuple[str, Api]:
    username = unique(role[:2])
    agent_id = await admin.create_agent(username, groups or {}, 2, role=role)
    return agent_id, await Api(center.url).login(username, "secret-pw")


async def test_widget_settings_are_public_to_read_and_admin_to_change(center, admin):
    anyone = Api(center.url)
    default = await anyone.call("GET", "/api/v1/widget/config")
    assert default["position"] in ("right", "left") and default["color"].startswith("#")
    try:
        stored = await admin.call("PUT", "/api/v1/admin/widget", {
            "title": "Lotus <b>Tea</b>", "color": "#aa3300", "position": "left",
            "greeting": "欢迎光临", "logo_url": "https://example.com/logo.png"})
        assert stored["title"] == "Lotus <b>Tea</b>" and stored["position"] == "left"
        config = await anyone.call("GET", "/api/v1/widget/config")
        assert (config["title"], config["color"], config["greeting"], config["agent_icon_url"]) == (
            "Lotus <b>Tea</b>", "#aa3300", "欢迎光临", None)
        for bad in ({"color": "red"}, {"logo_url": "javascript:alert(1)"}, {"logo_url": "//evil.test/x.png"},
                    {"position": "top"}, {"title": ""}, {"surprise": 1}):
            refused = await admin.call("PUT", "/api/v1/admin/widget", bad, expect=422)
            assert refused["error"]["code"] == "invalid_request", bad
        _, supervisor = await login_as(center, admin, "supervisor")
        assert (await supervisor.call("GET", "/api/v1/admin/widget"))["color"] == "#aa3300"
        assert (await supervisor.call("PUT", "/api/v1/admin/widget", {}, expect=403))["error"]["code"] == "forbidden"
        # Another section of the center's settings is untouched by the widget's.
        limits = (await admin.call("GET", "/api/v1/admin/center"))["limits"]
        assert "widget" not in limits
    finally:
        await admin.call("PUT", "/api/v1/admin/widget", {})
    assert (await anyone.call("GET", "/api/v1/widget/config"))["title"] is None


async def test_the_navigation_menu_names_existing_groups_in_both_languages(center, admin):
    group = (await admin.create_group(unique("g")))["name"]
    try:
        entry = {"skill_group": group, "label": "Refunds <i>", "label_zh": "退款"}
        stored = await admin.call("PUT", "/api/v1/admin/widget", {"menu": [entry, {"skill_group": group,
                                                                                    "label": "Orders"}]})
        assert stored["menu"] == [entry, {"skill_group": group, "label": "Orders", "label_zh": None}]
        assert (await Api(center.url).call("GET", "/api/v1/widget/config"))["menu"] == stored["menu"]
        for bad in ([{"skill_group": unique("nope"), "label": "x"}],):
            refused = await admin.call("PUT", "/api/v1/admin/widget", {"menu": bad}, expect=422)
            assert refused["error"]["code"] == "unknown_skill_group"
        for bad in ([{"skill_group": group, "label": ""}], [{"skill_group": group}], [entry] * 21):
            refused = await admin.call("PUT", "/api/v1/admin/widget", {"menu": bad}, expect=422)
            assert refused["error"]["code"] == "invalid_request"
        # What was refused changed nothing.
        assert len((await admin.call("GET", "/api/v1/admin/widget"))["menu"]) == 2
    finally:
        await admin.call("PUT", "/api/v1/admin/widget", {})
    assert (await Api(center.url).call("GET", "/api/v1/widget/config"))["menu"] == []


async def test_the_embed_code_names_the_center_and_escapes_what_it_is_given(center, admin):
    code = await admin.call("GET", "/api/v1/admin/widget/embed-code?skill_group=pre%22sales&lang=zh-CN")
    assert code["html"].startswith(f'<script async src="{center.url}/widget.js" data-center="{center.url}"')
    assert 'data-skill-group="pre&quot;sales"' in code["html"] and 'data-lang="zh-CN"' in code["html"]
    assert code["chat_url"] == f"{center.url}/chat?skill_group=pre%22sales&lang=zh-CN"
    _, agent = await login_as(center, admin, "agent")
    await agent.call("GET", "/api/v1/admin/widget/embed-code", expect=403)


async def test_canned_replies_are_personal_or_public_and_owners_only_change_them(center, admin):
    agent_id, agent = await login_as(center, admin, "agent")
    _, other = await login_as(center, admin, "agent")
    _, supervisor = await login_as(center, admin, "supervisor")
    mine = await agent.call("POST", "/api/v1/canned-replies",
                            {"category": "Greetings", "title": "hi", "body": "您好，请问有什么可以帮您？"}, expect=201)
    assert mine["scope"] == "personal"
    refused = await agent.call("POST", "/api/v1/canned-replies", {"scope": "public", "body": "x"}, expect=403)
    assert refused["error"]["code"] == "forbidden"
    public = await supervisor.call("POST", "/api/v1/canned-replies",
                                   {"scope": "public", "category": "Shipping", "body": "We ship within 24 h."},
                                   expect=201)
    seen = {r["id"]: r for r in (await agent.call("GET", "/api/v1/canned-replies"))["replies"]}
    assert mine["id"] in seen and public["id"] in seen and seen[public["id"]]["scope"] == "public"
    others = {r["id"] for r in (await other.call("GET", "/api/v1/canned-replies"))["replies"]}
    assert public["id"] in others and mine["id"] not in others
    # Someone else's personal reply does not exist for them; a public one is read-only to agents.
    await other.call("PATCH", f"/api/v1/canned-replies/{mine['id']}", {"body": "stolen"}, expect=404)
    await other.call("DELETE", f"/api/v1/canned-replies/{mine['id']}", expect=404)
    await agent.call("PATCH", f"/api/v1/canned-replies/{public['id']}", {"body": "no"}, expect=403)
    changed = await agent.call("PATCH", f"/api/v1/canned-replies/{mine['id']}", {"title": " hello "})
    assert (changed["title"], changed["body"]) == ("hello", mine["body"])
    await agent.call("DELETE", f"/api/v1/canned-replies/{mine['id']}", expect=204)
    assert mine["id"] not in {r["id"] for r in (await agent.call("GET", "/api/v1/canned-replies"))["replies"]}
    await supervisor.call("DELETE", f"/api/v1/canned-replies/{public['id']}", expect=204)
    _, visitor_token = await Api(center.url).new_visitor()
    await Api(center.url, visitor_token).call("GET", "/api/v1/canned-replies", expect=403)


async def test_the_directory_shows_groups_with_each_agents_status_and_load(center, admin):
    group, busy_id, busy = await online_agent_in_new_group(admin, 1, 3)
    away_id, away = await staff_member(admin, {group: 1}, 2)
    await away.send({"type": "status", "status": "away"})
    await away.next("status", status="away")
    _, visitor_token = await Api(center.url).new_visitor()
    visitor = await Socket.open(center.url, "visitor", visitor_token)
    await visitor.next("welcome")
    await visitor.send({"type": "chat.request", "skill_group": group})
    await visitor.next("assigned")
    agent = await Api(center.url).login(*await _credentials(admin, busy_id))
    tree = (await agent.call("GET", "/api/v1/directory"))["groups"]
    listed = {a["agent_id"]: a for g in tree if g["name"] == group for a in g["agents"]}
    assert (listed[busy_id]["status"], listed[busy_id]["active"], listed[busy_id]["max_concurrent"]) == (
        "online", 1, 3)
    assert (listed[away_id]["status"], listed[away_id]["active"]) == ("away", 0)
    me = await agent.call("GET", "/api/v1/agents/me")
    assert me["agent_id"] == busy_id and me["skill_groups"] == [{"name": group, "level": 1}]
    await Api(center.url, visitor_token).call("GET", "/api/v1/directory", expect=403)
    for socket in (visitor, busy, away):
        await socket.close()


async def _credentials(admin: Api, agent_id: str) -> tuple[str, str]:
    record = await admin.call("GET", f"/api/v1/admin/agents/{agent_id}")
    return record["username"], "secret-pw"
