"""Departments (部门) through the real edge: a tree answered flat, names unique among
siblings, no cycles, no delete while in use, membership of agents and skill groups,
and who may read or change them; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, unique

BASE = "/api/v1/admin/departments"


@pytest.fixture(params=["center", "pg_center"])
def any_center(request):
    return request.getfixturevalue(request.param)


async def department(admin: Api, name: str | None = None, parent_id: int | None = None) -> dict:
    return await admin.call("POST", BASE, {"name": name or unique("d"), "parent_id": parent_id})


async def account(admin: Api, role: str, department_id: int | None = None) -> tuple[str, Api]:
    username = unique(role[:2])
    agent_id = await admin.create_agent(username, {}, 2, role=role, department_id=department_id)
    return agent_id, await Api(admin.base_url).login(username, "secret-pw")


async def test_the_tree_is_listed_flat_renamed_moved_and_deleted(any_center):
    admin = await Api(any_center.url).login("admin", ADMIN_PASSWORD)
    top = await department(admin, unique("Sales"))
    child = await department(admin, "North", top["id"])
    grandchild = await department(admin, "City", child["id"])
    await admin.create_agent(unique("ag"), {}, 1, department_id=child["id"])
    listed = {d["id"]: d for d in (await admin.call("GET", BASE))["departments"]}
    assert listed[child["id"]] == {"id": child["id"], "name": "North", "parent_id": top["id"], "agent_count": 1}
    assert listed[grandchild["id"]]["parent_id"] == child["id"] and listed[top["id"]]["agent_count"] == 0

    # A name is unique among siblings only.
    twin = await admin.call("POST", BASE, {"name": "North", "parent_id": top["id"]}, expect=409)
    assert twin["error"]["code"] == "already_exists"
    top_twin = await admin.call("POST", BASE, {"name": top["name"]}, expect=409)
    assert top_twin["error"]["code"] == "already_exists"
    cousin = await department(admin, "North", grandchild["id"])
    assert cousin["parent_id"] == grandchild["id"]
    orphan = await admin.call("POST", BASE, {"name": "x", "parent_id": 987654}, expect=422)
    assert orphan["error"]["code"] == "unknown_department"

    # Moves: never under its own subtree; to the top with parent_id null.
    cycle = await admin.call("PATCH", f"{BASE}/{top['id']}", {"parent_id": cousin["id"]}, expect=409)
    assert cycle["error"]["code"] == "cycle"
    itself = await admin.call("PATCH", f"{BASE}/{child['id']}", {"parent_id": child["id"]}, expect=409)
    assert itself["error"]["code"] == "cycle"
    moved = await admin.call("PATCH", f"{BASE}/{grandchild['id']}", {"parent_id": None, "name": unique("Top")})
    assert moved["parent_id"] is None
    renamed = await admin.call("PATCH", f"{BASE}/{child['id']}", {"name": "North-East"})
    assert (renamed["name"], renamed["parent_id"]) == ("North-East", top["id"])
    assert (await admin.call("GET", f"{BASE}/{top['id']}"))["name"] == top["name"]

    # Delete is refused while it has sub-departments, agents or skill groups.
    held = await admin.call("DELETE", f"{BASE}/{top['id']}", expect=409)
    assert held["error"]["code"] == "in_use" and "sub-departments" in held["error"]["message"]
    staffed = await admin.call("DELETE", f"{BASE}/{child['id']}", expect=409)
    assert "1 agents" in staffed["error"]["message"]
    group = await admin.create_group(unique("g"), department_id=moved["id"])
    assert group["department_id"] == moved["id"]
    grouped = await admin.call("DELETE", f"{BASE}/{moved['id']}", expect=409)
    assert "skill groups" in grouped["error"]["message"]
    await admin.call("PATCH", f"/api/v1/admin/skill-groups/{group['name']}", {"department_id": None})
    await admin.call("DELETE", f"{BASE}/{cousin['id']}", expect=204)
    await admin.call("DELETE", f"{BASE}/{moved['id']}", expect=204)
    gone = await admin.call("GET", f"{BASE}/{moved['id']}", expect=404)
    assert gone["error"]["code"] == "not_found"
    await admin.call("DELETE", f"{BASE}/{moved['id']}", expect=404)


async def test_accounts_and_groups_join_one_department_and_the_agents_list_filters_by_it(any_center):
    admin = await Api(any_center.url).login("admin", ADMIN_PASSWORD)
    first, second = await department(admin), await department(admin)
    agent_id, _ = await account(admin, "agent", first["id"])
    assert (await admin.call("GET", f"/api/v1/admin/agents/{agent_id}"))["department_id"] == first["id"]
    in_first = await admin.call("GET", f"/api/v1/admin/agents?department_id={first['id']}")
    assert [a["agent_id"] for a in in_first["agents"]] == [agent_id]

    moved = await admin.call("PATCH", f"/api/v1/admin/agents/{agent_id}", {"department_id": second["id"]})
    assert moved["department_id"] == second["id"]
    assert (await admin.call("GET", f"/api/v1/admin/agents?department_id={first['id']}"))["agents"] == []
    # A PATCH that does not name the department leaves it alone; null takes it out.
    kept = await admin.call("PATCH", f"/api/v1/admin/agents/{agent_id}", {"max_concurrent": 3})
    assert kept["department_id"] == second["id"]
    out = await admin.call("PATCH", f"/api/v1/admin/agents/{agent_id}", {"department_id": None})
    assert out["department_id"] is None
    unknown = await admin.call("PATCH", f"/api/v1/admin/agents/{agent_id}", {"department_id": 987654},
                               expect=422)
    assert unknown["error"]["code"] == "unknown_department"

    group = await admin.create_group(unique("g"))
    assert group["department_id"] is None
    joined = await admin.call("PATCH", f"/api/v1/admin/skill-groups/{group['name']}",
                              {"department_id": first["id"], "display_name": "Joined"})
    assert (joined["department_id"], joined["display_name"]) == (first["id"], "Joined")
    bad = await admin.call("PATCH", f"/api/v1/admin/skill-groups/{group['name']}", {"department_id": 987654},
                           expect=422)
    assert bad["error"]["code"] == "unknown_department"
    assert (await admin.call("GET", f"/api/v1/admin/skill-groups/{group['name']}"))["department_id"] == first["id"]


async def test_only_admins_change_departments_and_supervisors_read_their_scope(any_center):
    admin = await Api(any_center.url).login("admin", ADMIN_PASSWORD)
    mine = await department(admin)
    sub = await department(admin, parent_id=mine["id"])
    other = await department(admin)
    _, supervisor = await account(admin, "supervisor", mine["id"])
    _, agent = await account(admin, "agent", mine["id"])
    _, roaming = await account(admin, "supervisor")  # no department: the whole center

    seen = {d["id"] for d in (await supervisor.call("GET", BASE))["departments"]}
    assert seen == {mine["id"], sub["id"]}
    assert (await supervisor.call("GET", f"{BASE}/{sub['id']}"))["parent_id"] == mine["id"]
    hidden = await supervisor.call("GET", f"{BASE}/{other['id']}", expect=404)
    assert hidden["error"]["code"] == "not_found"
    everything = {d["id"] for d in (await roaming.call("GET", BASE))["departments"]}
    assert {mine["id"], sub["id"], other["id"]} <= everything

    for caller in (supervisor, agent):
        refused = await caller.call("POST", BASE, {"name": unique("d")}, expect=403)
        assert refused["error"]["code"] == "forbidden"
        await caller.call("PATCH", f"{BASE}/{mine['id']}", {"name": "mine"}, expect=403)
        await caller.call("DELETE", f"{BASE}/{sub['id']}", expect=403)
    await agent.call("GET", BASE, expect=403)
    await Api(any_center.url).call("GET", BASE, expect=401)
    assert (await admin.call("GET", f"{BASE}/{sub['id']}"))["name"] == sub["name"]
