"""Data isolation by department (部门数据隔离) through the real edge and sockets: two
departments (one with a sub-department), a supervisor of each, conversations served by
agents of each and one waiting in a group of one; every list, read, report and staff
frame shows each supervisor only their own (the sub-department inside its parent), and
the rest as not found; an admin sees both. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode

import httpx
import pytest

from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, Socket, staff_member, unique


@pytest.fixture(params=["center", "pg_center"])
def any_center(request):
    return request.getfixturevalue(request.param)


@dataclass
class Supervisor:
    id: str
    api: Api
    socket: Socket


@dataclass
class World:
    admin: Api
    sup_a: Supervisor  # of department A (with sub-department A1)
    sup_b: Supervisor  # of department B
    agents: dict[str, tuple[str, Socket]]  # "a", "a1", "b" -> (agent id, socket)
    groups: dict[str, str]  # "a", "a1", "b", "b_wait" -> group name
    conversations: dict[str, str]  # "a", "a1", "b" served; "b_wait" queued in B's group
    since: datetime
    departments: dict[str, int]  # "a", "a1", "b", "b_wait" -> department id (A1 is inside A)


async def supervisor(admin: Api, department_id: int) -> Supervisor:
    username = unique("su")
    agent_id = await admin.create_agent(username, {}, 2, role="supervisor", department_id=department_id)
    api = await Api(admin.base_url).login(username, "secret-pw")
    socket = await Socket.open(admin.base_url, "agent", api.token)
    await socket.next("welcome")
    return Supervisor(agent_id, api, socket)


async def ask(base: str, group: str, answer: str) -> str:
    _, token = await Api(base).new_visitor(unique("v"))
    socket = await Socket.open(base, "visitor", token)
    await socket.next("welcome")
    await socket.send({"type": "chat.request", "skill_group": group})
    cid = (await socket.next(answer))["conversation_id"]
    await socket.message(cid, "hello")
    return cid


async def world(base: str) -> World:
    since = datetime.now(timezone.utc) - timedelta(seconds=1)
    admin = await Api(base).login("admin", ADMIN_PASSWORD)
    dept = {"a": (await admin.call("POST", "/api/v1/admin/departments", {"name": unique("A")}))["id"],
            "b": (await admin.call("POST", "/api/v1/admin/departments", {"name": unique("B")}))["id"]}
    dept["a1"] = (await admin.call("POST", "/api/v1/admin/departments",
                                   {"name": unique("A1"), "parent_id": dept["a"]}))["id"]
    dept["b_wait"] = dept["b"]
    groups = {key: (await admin.create_group(unique("g"), department_id=dept[key]))["name"]
              for key in ("a", "a1", "b", "b_wait")}
    agents = {key: await staff_member(admin, {groups[key]: 1}, 3, department_id=dept[key])
              for key in ("a", "a1", "b")}
    conversations = {}
    for key, (_, socket) in agents.items():
        conversations[key] = await ask(base, groups[key], "assigned")
        await socket.next("assigned", conversation_id=conversations[key])
    conversations["b_wait"] = await ask(base, groups["b_wait"], "queued")  # nobody in that group
    return World(admin, await supervisor(admin, dept["a"]), await supervisor(admin, dept["b"]),
                 agents, groups, conversations, since, dept)


def ids(answer: dict, key: str = "conversations", field: str = "conversation_id") -> set[str]:
    return {row[field] for row in answer[key]}


async def test_lists_reads_events_queue_and_agents_stay_inside_each_department(any_center):
    w = await world(any_center.url)
    c = w.conversations
    mine_a, mine_b = {c["a"], c["a1"]}, {c["b"], c["b_wait"]}
    for sup, mine, theirs in ((w.sup_a, mine_a, mine_b), (w.sup_b, mine_b, mine_a)):
        listed = ids(await sup.api.call("GET", "/api/v1/conversations?limit=200"))
        assert mine <= listed and not theirs & listed
        # Filters narrow inside the scope; they never widen it.
        other_group = w.groups["b"] if sup is w.sup_a else w.groups["a"]
        assert ids(await sup.api.call("GET", f"/api/v1/conversations?skill_group={other_group}")) == set()
        for cid in mine:
            assert (await sup.api.call("GET", f"/api/v1/conversations/{cid}"))["conversation_id"] == cid
            assert (await sup.api.call("GET", f"/api/v1/conversations/{cid}/messages"))["messages"]
            events = await sup.api.call("GET", f"/api/v1/events?conversation_id={cid}")
            assert "ConversationRequested" in {e["type"] for e in events["events"]}
        for cid in theirs:
            for path in (f"/api/v1/conversations/{cid}", f"/api/v1/conversations/{cid}/messages"):
                assert (await sup.api.call("GET", path, expect=404))["error"]["code"] == "not_found"
            assert (await sup.api.call("GET", f"/api/v1/events?conversation_id={cid}"))["events"] == []
        async with httpx.AsyncClient(base_url=sup.api.base_url, timeout=30) as http:
            upload = await http.post(f"/api/v1/conversations/{sorted(theirs)[0]}/attachments",
                                     files={"file": ("a.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")},
                                     headers={"Authorization": f"Bearer {sup.api.token}"})
        assert upload.status_code == 404 and upload.json()["error"]["code"] == "not_found"
        logged = await sup.api.call("GET", "/api/v1/events?" + urlencode(
            {"from": w.since.isoformat(), "limit": 500}))
        assert not theirs & {e["conversation_id"] for e in logged["events"]}

    admin_listed = ids(await w.admin.call("GET", "/api/v1/conversations?limit=200"))
    assert mine_a | mine_b <= admin_listed
    assert (await w.admin.call("GET", f"/api/v1/conversations/{c['b']}"))["agent_id"] == w.agents["b"][0]

    # The waiting lists: B's supervisor sees the visitor waiting in B's group, A's not the group.
    queue_b = {g["skill_group"]: g for g in (await w.sup_b.api.call("GET", "/api/v1/queue"))["skill_groups"]}
    assert [e["conversation_id"] for e in queue_b[w.groups["b_wait"]]["entries"]] == [c["b_wait"]]
    queue_a = {g["skill_group"] for g in (await w.sup_a.api.call("GET", "/api/v1/queue"))["skill_groups"]}
    assert {w.groups["a"], w.groups["a1"]} <= queue_a and not {w.groups["b"], w.groups["b_wait"]} & queue_a
    assert w.groups["b_wait"] in {g["skill_group"] for g in
                                  (await w.admin.call("GET", "/api/v1/queue"))["skill_groups"]}

    # Agents: A's supervisor sees A's and A1's, and B's agent is not found.
    listed_a = ids(await w.sup_a.api.call("GET", "/api/v1/admin/agents?limit=200"), "agents", "agent_id")
    assert {w.agents["a"][0], w.agents["a1"][0], w.sup_a.id} <= listed_a
    assert not {w.agents["b"][0], w.sup_b.id} & listed_a
    await w.sup_a.api.call("GET", f"/api/v1/admin/agents/{w.agents['b'][0]}", expect=404)
    assert (await w.sup_b.api.call("GET", f"/api/v1/admin/agents/{w.agents['b'][0]}"))["agent_id"]
    assert w.agents["b"][0] in ids(await w.admin.call("GET", "/api/v1/admin/agents?limit=200"),
                                   "agents", "agent_id")

    # An agent of B who takes part in A's conversation puts it in B's scope too.
    owner = w.agents["a"][1]
    await owner.send({"type": "participant.invite", "conversation_id": c["a"], "agent_id": w.agents["b"][0]})
    await owner.next("done", conversation_id=c["a"], request="participant.invite")
    assert (await w.sup_b.api.call("GET", f"/api/v1/conversations/{c['a']}"))["conversation_id"] == c["a"]
    assert c["a"] in ids(await w.sup_b.api.call("GET", "/api/v1/conversations?limit=200"))


async def answered(socket: Socket, frame: dict) -> dict:
    """The error that answers `frame` (matched by its request id)."""
    request_id = unique("r")
    await socket.send({**frame, "request_id": request_id})
    return await socket.next("error", request_id=request_id)


async def test_staff_frames_reach_only_conversations_and_agents_in_scope(any_center):
    w = await world(any_center.url)
    c, a_id, b_id = w.conversations, w.agents["a"][0], w.agents["b"][0]
    out_of_scope = [{"type": "supervise", "conversation_id": c["a"], "mode": "monitor"},
                    {"type": "takeover", "conversation_id": c["a1"]},
                    {"type": "transfer", "conversation_id": c["a"], "to": {"agent_id": b_id}},
                    {"type": "participant.invite", "conversation_id": c["a"], "agent_id": b_id},
                    {"type": "chat.end", "conversation_id": c["a"]},
                    {"type": "resume", "conversation_id": c["a"], "after_seq": 0},
                    {"type": "pick", "conversation_id": c["b_wait"]}]
    for frame in out_of_scope:
        sup = w.sup_a if frame["type"] == "pick" else w.sup_b
        answer = await answered(sup.socket, frame)
        assert answer["code"] == "not_found", (frame, answer)

    # A's supervisor may not hand A's conversation to B's agent, nor invite them.
    for frame in ({"type": "transfer", "conversation_id": c["a"], "to": {"agent_id": b_id}},
                  {"type": "participant.invite", "conversation_id": c["a"], "agent_id": b_id}):
        assert (await answered(w.sup_a.socket, frame))["message"] == "no such agent"

    # In scope, the same frames are carried out (A1 is inside A).
    await w.sup_a.socket.send({"type": "supervise", "conversation_id": c["a1"], "mode": "monitor"})
    await w.sup_a.socket.next("done", conversation_id=c["a1"], request="supervise")
    await w.sup_a.socket.send({"type": "transfer", "conversation_id": c["a1"], "to": {"agent_id": a_id}})
    await w.sup_a.socket.next("done", conversation_id=c["a1"], request="transfer")
    await w.agents["a"][1].next("assigned", conversation_id=c["a1"])
    await w.sup_b.socket.send({"type": "takeover", "conversation_id": c["b"]})
    await w.sup_b.socket.next("done", conversation_id=c["b"], request="takeover")
    await w.sup_b.socket.send({"type": "chat.end", "conversation_id": c["b"]})
    await w.sup_b.socket.next("ended", conversation_id=c["b"])
    ended = await w.admin.call("GET", f"/api/v1/conversations/{c['b']}")
    # Ended by the supervisor who took it over: still B's (the last owner is B's supervisor).
    assert ended["agent_id"] == w.sup_b.id
    assert (await w.sup_b.api.call("GET", f"/api/v1/conversations/{c['b']}"))["conversation_id"] == c["b"]
    await w.sup_a.api.call("GET", f"/api/v1/conversations/{c['b']}", expect=404)


async def test_reports_count_only_the_departments_in_scope(any_center):
    w = await world(any_center.url)
    window = {"since": w.since.isoformat(), "until": (datetime.now(timezone.utc) + timedelta(minutes=1)).isoformat()}

    async def conversations(api: Api, group: str) -> int:
        report = await api.call("GET", "/api/v1/reports/conversations?" + urlencode({**window, "skill_group": group}))
        return report["total"]["conversations"]

    assert await conversations(w.sup_a.api, w.groups["a"]) == 1
    assert await conversations(w.sup_a.api, w.groups["a1"]) == 1
    assert await conversations(w.sup_a.api, w.groups["b"]) == 0
    assert await conversations(w.sup_b.api, w.groups["a"]) == 0
    assert await conversations(w.sup_b.api, w.groups["b_wait"]) == 1
    assert await conversations(w.admin, w.groups["b"]) == 1

    def groups(report: dict) -> set[str]:
        return {row["skill_group"] for row in report["rows"]}

    # The skill groups report: a supervisor gets the groups of their departments only.
    of_a = groups(await w.sup_a.api.call("GET", "/api/v1/reports/skill-groups?" + urlencode(window)))
    assert {w.groups["a"], w.groups["a1"]} <= of_a and not {w.groups["b"], w.groups["b_wait"]} & of_a
    of_b = groups(await w.sup_b.api.call("GET", "/api/v1/reports/skill-groups?" + urlencode(window)))
    assert w.groups["b"] in of_b and not {w.groups["a"], w.groups["a1"]} & of_b
    assert {w.groups["a"], w.groups["b"]} <= groups(await w.admin.call(
        "GET", "/api/v1/reports/skill-groups?" + urlencode(window)))

    def agent_ids(report: dict) -> set[str]:
        return {row["agent_id"] for row in report["rows"]}

    of_a = agent_ids(await w.sup_a.api.call("GET", "/api/v1/reports/agents?" + urlencode(window)))
    assert {w.agents["a"][0], w.agents["a1"][0]} <= of_a and w.agents["b"][0] not in of_a
    of_b = agent_ids(await w.sup_b.api.call("GET", "/api/v1/reports/agents?" + urlencode(window)))
    assert w.agents["b"][0] in of_b and not {w.agents["a"][0], w.agents["a1"][0]} & of_b
    everyone = agent_ids(await w.admin.call("GET", "/api/v1/reports/agents?" + urlencode(window)))
    assert {w.agents["a"][0], w.agents["b"][0]} <= everyone


async def test_a_report_filtered_by_department_counts_its_subtree_within_the_callers_scope(any_center):
    w = await world(any_center.url)
    dept = w.departments
    window = {"since": w.since.isoformat(), "until": (datetime.now(timezone.utc) + timedelta(minutes=1)).isoformat()}

    async def report(api: Api, kind: str, department: int, expect: int = 200) -> dict:
        return await api.call("GET", f"/api/v1/reports/{kind}?" + urlencode({**window, "department_id": department}),
                              expect=expect)

    # This world's conversations only: the shared center holds other tests' too, so the
    # counts go by skill group rows.
    async def by_group(api: Api, department: int) -> dict[str, int]:
        answer = await api.call("GET", "/api/v1/reports/conversations?" + urlencode(
            {**window, "department_id": department, "group_by": "skill_group"}))
        assert answer["filters"]["department_id"] == department
        return {row["key"]: row["conversations"] for row in answer["rows"] if row["key"] in w.groups.values()}

    # A holds A1: the admin filtering by A gets both, by A1 only A1's.
    assert await by_group(w.admin, dept["a"]) == {w.groups["a"]: 1, w.groups["a1"]: 1}
    assert await by_group(w.admin, dept["a1"]) == {w.groups["a1"]: 1}
    assert await by_group(w.admin, dept["b"]) == {w.groups["b"]: 1, w.groups["b_wait"]: 1}
    assert await by_group(w.sup_a.api, dept["a1"]) == {w.groups["a1"]: 1}
    agents = {row["agent_id"] for row in (await report(w.admin, "agents", dept["a1"]))["rows"]}
    assert w.agents["a1"][0] in agents and not {w.agents["a"][0], w.agents["b"][0]} & agents
    # Another's department is not the supervisor's to name, on every report; nor one that is not.
    for kind in ("conversations", "agents", "skill-groups", "customers", "left-messages"):
        refused = await report(w.sup_a.api, kind, dept["b"], expect=404)
        assert refused["error"]["code"] == "not_found", kind
    await report(w.admin, "conversations", 10**9, expect=404)


async def test_the_monitor_shows_each_supervisor_their_departments_only(any_center):
    w = await world(any_center.url)
    agent_ids = {key: agent_id for key, (agent_id, _) in w.agents.items()}
    snapshot = await w.sup_a.api.call("GET", "/api/v1/monitor")
    assert {agent_ids["a"], agent_ids["a1"]} <= {a["agent_id"] for a in snapshot["agents"]}
    assert agent_ids["b"] not in {a["agent_id"] for a in snapshot["agents"]}
    groups = {g["skill_group"]: g for g in snapshot["skill_groups"]}
    assert {w.groups["a"], w.groups["a1"]} <= set(groups) and not {w.groups["b"], w.groups["b_wait"]} & set(groups)
    # Totals are the scope's own groups', and what is counted center-wide only is left out.
    assert snapshot["totals"]["conversations"] == sum(g["conversations"] for g in groups.values())
    assert snapshot["totals"]["messages"] is None and snapshot["trend"] == [] and snapshot["heatmap"] == []
    # Pushed frames are cut the same way.
    await w.sup_b.socket.send({"type": "monitor.watch"})
    pushed = await w.sup_b.socket.next("monitor")
    pushed_groups = {g["skill_group"]: g for g in pushed["skill_groups"]}
    assert pushed_groups[w.groups["b_wait"]]["waiting_now"] == 1 and w.groups["a"] not in pushed_groups
    assert agent_ids["a"] not in {a["agent_id"] for a in pushed["agents"]}
    # The admin sees the whole center.
    everything = await w.admin.call("GET", "/api/v1/monitor")
    assert set(agent_ids.values()) <= {a["agent_id"] for a in everything["agents"]}
    assert len(everything["trend"]) == 24


async def test_the_monitor_counts_each_department_with_its_sub_departments(any_center):
    w = await world(any_center.url)
    dept = w.departments

    def rows(snapshot: dict) -> dict[int, dict]:
        return {d["department_id"]: d for d in snapshot["departments"]}

    # A holds A1: two served conversations and two agents with one chat each; B has a visitor waiting.
    def settled(snapshot: dict) -> bool:
        found = rows(snapshot)
        return (dept["a"] in found and found[dept["a"]]["conversations"] == 2
                and found.get(dept["b"], {}).get("waiting_now") == 1)

    everything = await monitor_until(w.admin, settled)
    found = rows(everything)
    assert (found[dept["a"]]["depth"], found[dept["a1"]]["depth"]) == (0, 1)
    assert (found[dept["a1"]]["conversations"], found[dept["a1"]]["load"], found[dept["a1"]]["capacity"]) == (1, 1, 3)
    # A's own agent and A1's (A's supervisor is an account of A too: at least their caps).
    assert found[dept["a"]]["load"] == 2 and found[dept["a"]]["capacity"] >= 6
    assert found[dept["a"]]["agents_by_state"]["online"] >= 2
    assert (found[dept["b"]]["conversations"], found[dept["b"]]["waiting_now"]) == (2, 1)
    order = [d["department_id"] for d in everything["departments"]]
    assert order.index(dept["a"]) + 1 == order.index(dept["a1"])  # the child right under its parent

    # A's supervisor: A and A1 only, A at the top; the pushed frame carries the same rows.
    mine = await w.sup_a.api.call("GET", "/api/v1/monitor")
    assert [(d["department_id"], d["depth"]) for d in mine["departments"]] == [(dept["a"], 0), (dept["a1"], 1)]
    await w.sup_b.socket.send({"type": "monitor.watch"})
    pushed = await w.sup_b.socket.next("monitor")
    assert [d["department_id"] for d in pushed["departments"]] == [dept["b"]]


async def monitor_until(api: Api, condition, timeout_s: float = 10.0) -> dict:
    """The monitor's snapshot once it shows `condition` (its figures follow the bus)."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while True:
        snapshot = await api.call("GET", "/api/v1/monitor")
        if condition(snapshot):
            return snapshot
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"the monitor never showed it: {snapshot['departments']}")
        await asyncio.sleep(0.1)
