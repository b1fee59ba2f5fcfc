"""The admin API by resource, through the real edge: every change is live at once,
a setting the router cannot use is refused before it is stored, and roles hold."""

from __future__ import annotations

import pytest

from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, Socket, online_agent_in_new_group, unique

CLOSED = {"timezone": "UTC", "weekly": {}}  # no day has a window: always closed


@pytest.fixture
async def admin(center) -> Api:
    return await Api(center.url).login("admin", ADMIN_PASSWORD)


async def visitor_socket(center) -> Socket:
    _, token = await Api(center.url).new_visitor()
    socket = await Socket.open(center.url, "visitor", token)
    await socket.next("welcome")
    return socket


async def staff(center, admin: Api, role: str, groups: dict[str, int] | None = None) -> Api:
    username = unique(role[:2])
    await admin.create_agent(username, groups or {}, 2, role=role)
    return await Api(center.url).login(username, "secret-pw")


async def test_skill_groups_are_listed_read_changed_and_deleted(center, admin):
    names = [(await admin.create_group(unique("g"), display_name="First"))["name"] for _ in range(3)]
    one = await admin.call("GET", f"/api/v1/admin/skill-groups/{names[0]}")
    assert one["display_name"] == "First" and one["overflow_to"] is None
    changed = await admin.call("PATCH", f"/api/v1/admin/skill-groups/{names[0]}",
                               {"display_name": "Renamed", "queue_timeout_s": 30, "overflow_to": names[1]})
    assert (changed["display_name"], changed["queue_timeout_s"], changed["overflow_to"]) == (
        "Renamed", 30, names[1])
    cleared = await admin.call("PATCH", f"/api/v1/admin/skill-groups/{names[0]}", {"overflow_to": None})
    assert cleared["overflow_to"] is None and cleared["display_name"] == "Renamed"

    # Pages: `limit` rows and the offset of the next page, null on the last one.
    seen, offset = [], 0
    while offset is not None:
        page = await admin.call("GET", f"/api/v1/admin/skill-groups?limit=2&offset={offset}")
        assert len(page["skill_groups"]) <= 2
        seen += [g["name"] for g in page["skill_groups"]]
        offset = page["next_offset"]
    assert set(names) <= set(seen) and len(seen) == len(set(seen))
    too_big = await admin.call("GET", "/api/v1/admin/skill-groups?limit=201", expect=422)
    assert too_big["error"]["code"] == "invalid_request"

    await admin.call("DELETE", f"/api/v1/admin/skill-groups/{names[2]}", expect=204)
    gone = await admin.call("GET", f"/api/v1/admin/skill-groups/{names[2]}", expect=404)
    assert gone["error"]["code"] == "not_found"


async def test_settings_the_router_cannot_use_are_refused_and_nothing_is_stored(center, admin):
    reserved = await admin.call("POST", "/api/v1/admin/skill-groups", {"name": "leave_message"}, expect=422)
    assert reserved["error"]["code"] == "reserved_name"
    unknown = await admin.call("POST", "/api/v1/admin/skill-groups",
                               {"name": unique("g"), "overflow_to": "no-such-group"}, expect=422)
    assert unknown["error"]["code"] == "invalid_setting" and "overflow_to" in unknown["error"]["message"]
    hours = await admin.call("POST", "/api/v1/admin/skill-groups",
                             {"name": unique("g"), "work_hours": {"timezone": "Mars/Olympus"}}, expect=422)
    assert "timezone" in hours["error"]["message"]
    a = (await admin.create_group(unique("g")))["name"]
    b = (await admin.create_group(unique("g"), overflow_to=a))["name"]
    cycle = await admin.call("PATCH", f"/api/v1/admin/skill-groups/{a}", {"overflow_to": b}, expect=422)
    assert "cycle" in cycle["error"]["message"]
    assert (await admin.call("GET", f"/api/v1/admin/skill-groups/{a}"))["overflow_to"] is None
    policy = await admin.call("PATCH", "/api/v1/admin/center", {"selection_policy": "no_such_policy"},
                              expect=422)
    assert policy["error"]["code"] == "invalid_setting"
    loadless = await admin.call("PATCH", "/api/v1/admin/center",
                                {"selection_policy": "nowhere.module:Policy"}, expect=422)
    assert "cannot be loaded" in loadless["error"]["message"]
    default = await admin.call("PATCH", "/api/v1/admin/center", {"default_skill_group": unique("g")},
                               expect=422)
    assert default["error"]["code"] == "invalid_setting"
    rule = await admin.call("POST", "/api/v1/admin/routing-rules",
                            {"when": {}, "then": {"skill_group": unique("g")}}, expect=422)
    assert rule["error"]["code"] == "invalid_setting"
    center_now = await admin.call("GET", "/api/v1/admin/center")
    assert center_now["selection_policy"] != "no_such_policy"

    # A group the router still needs cannot go: the default, an overflow target.
    in_use = await admin.call("DELETE", f"/api/v1/admin/skill-groups/{center_now['default_skill_group']}",
                              expect=409)
    assert in_use["error"]["code"] == "in_use"
    target = await admin.call("DELETE", f"/api/v1/admin/skill-groups/{a}", expect=409)
    assert b in target["error"]["message"] or "overflow" in target["error"]["message"]

    # The center still serves after all of that.
    group, _, agent = await online_agent_in_new_group(admin, level=1, max_concurrent=1)
    guest = await visitor_socket(center)
    await guest.send({"type": "chat.request", "skill_group": group})
    assert (await guest.next(None))["type"] == "assigned"


async def test_a_new_group_is_routable_at_once_and_its_hours_count_from_the_next_request(center, admin):
    group, _, agent = await online_agent_in_new_group(admin, level=1, max_concurrent=3)
    await admin.call("PUT", f"/api/v1/admin/skill-groups/{group}/work-hours", CLOSED)
    closed = await visitor_socket(center)
    await closed.send({"type": "chat.request", "skill_group": group})
    offline = await closed.next(None)
    assert offline["type"] == "offline" and offline["reason"] == "outside_work_hours"

    assert (await admin.call("DELETE", f"/api/v1/admin/skill-groups/{group}/work-hours"))["work_hours"] is None
    opened = await visitor_socket(center)
    await opened.send({"type": "chat.request", "skill_group": group})
    assert (await opened.next(None))["type"] == "assigned"


async def test_a_lowered_cap_counts_from_the_next_offer_and_a_raised_one_serves_the_line(center, admin):
    group, agent_id, agent = await online_agent_in_new_group(admin, level=1, max_concurrent=2)
    first = await visitor_socket(center)
    await first.send({"type": "chat.request", "skill_group": group})
    assert (await first.next(None))["type"] == "assigned"

    lowered = await admin.call("PATCH", f"/api/v1/admin/agents/{agent_id}", {"max_concurrent": 1})
    assert lowered["max_concurrent"] == 1
    second = await visitor_socket(center)
    await second.send({"type": "chat.request", "skill_group": group})
    queued = await second.next(None)
    assert queued["type"] == "queued" and queued["position"] == 1

    await admin.call("PATCH", f"/api/v1/admin/agents/{agent_id}", {"max_concurrent": 2})
    assigned = await second.next("assigned")
    assert assigned["agent"]["id"] == agent_id


async def test_an_agent_moved_to_another_group_is_offered_there_and_no_longer_here(center, admin):
    old, agent_id, agent = await online_agent_in_new_group(admin, level=1, max_concurrent=2)
    new = (await admin.create_group(unique("g")))["name"]
    moved = await admin.call("PATCH", f"/api/v1/admin/agents/{agent_id}",
                             {"skill_groups": [{"name": new, "level": 2}]})
    assert moved["skill_groups"] == [{"name": new, "level": 2}]
    here = await visitor_socket(center)
    await here.send({"type": "chat.request", "skill_group": old})
    assert (await here.next(None))["type"] == "queued"
    there = await visitor_socket(center)
    await there.send({"type": "chat.request", "skill_group": new})
    assert (await there.next(None))["agent"]["id"] == agent_id


async def test_a_rule_added_routes_the_next_request_and_removed_stops(center, admin):
    asked = (await admin.create_group(unique("g")))["name"]
    served, agent_id, agent = await online_agent_in_new_group(admin, level=1, max_concurrent=5)
    rule = await admin.call("POST", "/api/v1/admin/routing-rules", {
        "when": {"requested_groups": [asked]}, "then": {"skill_group": served, "priority_bonus": 1}})
    position = rule["position"]
    try:
        assert (await admin.call("GET", f"/api/v1/admin/routing-rules/{position}"))["then"]["skill_group"] == served
        guest = await visitor_socket(center)
        await guest.send({"type": "chat.request", "skill_group": asked})
        assigned = await guest.next(None)
        assert assigned["type"] == "assigned" and assigned["agent"]["id"] == agent_id
    finally:
        await admin.call("DELETE", f"/api/v1/admin/routing-rules/{position}", expect=204)
    rules = (await admin.call("GET", "/api/v1/admin/routing-rules"))["routing_rules"]
    assert all(r["then"].get("skill_group") != served for r in rules)
    after = await visitor_socket(center)
    await after.send({"type": "chat.request", "skill_group": asked})
    assert (await after.next(None))["type"] == "queued"
    missing = await admin.call("GET", f"/api/v1/admin/routing-rules/{len(rules) + 1}", expect=404)
    assert missing["error"]["code"] == "not_found"


async def test_agents_and_visitors_are_listed_and_read(center, admin):
    group = (await admin.create_group(unique("g")))["name"]
    username = unique("ag")
    created = await admin.call("POST", "/api/v1/admin/agents", {
        "username": username, "password": "secret-pw", "display_name": "Xiao", "max_concurrent": 3,
        "skill_groups": [{"name": group, "level": 2}]})
    assert created["agent_id"] and created["username"] == username and not created["disabled"]
    one = await admin.call("GET", f"/api/v1/admin/agents/{created['agent_id']}")
    assert one["skill_groups"] == [{"name": group, "level": 2}] and one["role"] == "agent"
    found, offset = False, 0
    while offset is not None and not found:
        page = await admin.call("GET", f"/api/v1/admin/agents?limit=50&offset={offset}")
        found = any(a["agent_id"] == created["agent_id"] for a in page["agents"])
        offset = page["next_offset"]
    assert found
    visitor_id, _ = await Api(center.url).new_visitor("Mei")
    assert (await admin.call("GET", f"/api/v1/admin/visitors/{visitor_id}"))["name"] == "Mei"
    newest = await admin.call("GET", "/api/v1/admin/visitors?limit=5")
    assert visitor_id in [v["visitor_id"] for v in newest["visitors"]]


async def test_an_agent_cannot_administer_and_a_supervisor_only_reads(center, admin):
    group = (await admin.create_group(unique("g")))["name"]
    agent = await staff(center, admin, "agent", {group: 1})
    supervisor = await staff(center, admin, "supervisor")
    reads = ["/api/v1/admin/skill-groups", f"/api/v1/admin/skill-groups/{group}", "/api/v1/admin/agents",
             "/api/v1/admin/routing-rules", "/api/v1/admin/work-hours", "/api/v1/admin/center",
             "/api/v1/admin/visitors"]
    for path in reads:
        assert (await agent.call("GET", path, expect=403))["error"]["code"] == "forbidden", path
        await supervisor.call("GET", path, expect=200)
    writes = [("POST", "/api/v1/admin/skill-groups", {"name": unique("g")}),
              ("PATCH", f"/api/v1/admin/skill-groups/{group}", {"display_name": "x"}),
              ("DELETE", f"/api/v1/admin/skill-groups/{group}", None),
              ("PUT", "/api/v1/admin/work-hours", CLOSED),
              ("POST", "/api/v1/admin/routing-rules", {"when": {}, "then": {}}),
              ("PATCH", "/api/v1/admin/center", {"sticky_agent": False}),
              ("POST", "/api/v1/admin/agents", {"username": unique("u"), "password": "secret-pw",
                                                "display_name": "U", "max_concurrent": 1})]
    for method, path, body in writes:
        for caller in (agent, supervisor):
            assert (await caller.call(method, path, body, expect=403))["error"]["code"] == "forbidden"
    # Nothing was changed by the refused calls.
    assert (await admin.call("GET", "/api/v1/admin/work-hours"))["work_hours"] is None
    assert (await admin.call("GET", "/api/v1/admin/center"))["sticky_agent"] is True
    assert (await admin.call("GET", f"/api/v1/admin/skill-groups/{group}"))["display_name"] == group
    # Chat records: an agent sees only their own; a visitor none.
    own = await agent.call("GET", "/api/v1/conversations")
    assert own["conversations"] == []
    _, visitor_token = await Api(center.url).new_visitor()
    await Api(center.url, visitor_token).call("GET", "/api/v1/conversations", expect=403)
