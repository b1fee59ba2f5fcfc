"""Cascading centers (级联) end to end: `hq` forwards business `aftersales` to its child
`branch`, each center its own process and Ray, linked over gRPC with mutual TLS through
a TCP relay the test can cut. The visitor uses only PROTOCOL.md on hq's edge."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import uuid

import pytest

from tests.integration.linked_centers import ADMIN_PASSWORD, LinkedCenter, make_certificates
from tests.integration.protocol_client import Api, Socket, staff_member, unique

BUSINESS = "aftersales"
PRESALES = "presales"


class Relay:
    """A TCP relay between two centers' link ports; `cut()` drops every connection (a
    link reset: both ends see their stream die) and new ones are taken again at once."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.writers: list[asyncio.StreamWriter] = []
        self.server: asyncio.AbstractServer | None = None
        self.connections = 0

    async def start(self, port: int) -> None:
        self.server = await asyncio.start_server(self._pipe, "127.0.0.1", port)

    async def _pipe(self, reader, writer) -> None:
        self.connections += 1
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.close()
            return
        self.writers += [writer, up_writer]

        async def copy(source, sink) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                sink.close()

        await asyncio.gather(copy(reader, up_writer), copy(up_reader, writer))

    def cut(self) -> None:
        for writer in self.writers:
            writer.transport.abort()
        self.writers.clear()

    async def stop(self) -> None:
        self.cut()
        if self.server is not None:
            self.server.close()


@pytest.fixture(scope="module")
def centers(tmp_path_factory):
    """hq, its child branch (owns aftersales, reached through the test's relay) and a
    partner (hq forwards presales to it on overflow and out of hours)."""
    folder = tmp_path_factory.mktemp("linked")
    make_certificates(folder, ["hq", "branch", "partner"])
    branch = LinkedCenter("branch", 1, folder, links=[{"peer": "hq", "role": "parent", "accept": [BUSINESS]}])
    partner = LinkedCenter("partner", 2, folder, links=[{"peer": "hq", "accept": [PRESALES]}])
    hq = LinkedCenter("hq", 0, folder, links=[
        {"peer": "branch", "address": f"127.0.0.1:{branch.link_port + 10}", "role": "child", "forward": [BUSINESS]},
        {"peer": "partner", "address": f"127.0.0.1:{partner.link_port}", "forward": [
            {"business": PRESALES, "when": ["overflow", "out_of_hours"], "margin_s": 30}]}],
        settings={"take_back_after_s": 3})
    everyone = (branch, partner, hq)
    for center in everyone:
        center.start()
    try:
        for center in everyone:
            center.wait_ready()
        yield {c.name: c for c in everyone}
    finally:
        for center in everyone:
            center.stop()


@pytest.fixture(scope="module")
def linked(centers):
    return centers["hq"], centers["branch"]


@pytest.fixture
async def relay(linked):
    hq, branch = linked
    relay = Relay(branch.link_port)
    await relay.start(branch.link_port + 10)
    yield relay
    await relay.stop()


async def link_state(admin: Api, peer: str, check, timeout: float = 30) -> dict:
    """hq's link to `peer` once `check(link)` holds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        links = await admin.call("GET", "/api/v1/admin/links")
        link = next(entry for entry in links["links"] if entry["peer"] == peer)
        if check(link):
            return link
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"the link to {peer} is not as expected: {link}")
        await asyncio.sleep(0.2)


async def link_up(hq: LinkedCenter, admin: Api, peer: str = "branch") -> dict:
    return await link_state(admin, peer, lambda link: link["up"])


async def admins_with_aftersales(hq: LinkedCenter, branch: LinkedCenter) -> tuple[Api, Api]:
    """hq's and branch's admins, once hq's link to branch is up and both have the group."""
    hq_admin = await Api(hq.url).login("admin", ADMIN_PASSWORD)
    branch_admin = await Api(branch.url).login("admin", ADMIN_PASSWORD)
    await link_up(hq, hq_admin)
    for admin in (hq_admin, branch_admin):
        await admin.call("POST", "/api/v1/admin/skill-groups", {"name": BUSINESS}, expect=None)
    return hq_admin, branch_admin


async def test_a_visitor_on_hq_chats_with_a_branch_agent_through_hqs_edge(linked, relay):
    hq, branch = linked
    hq_admin, branch_admin = await admins_with_aftersales(hq, branch)
    agent_id, agent = await staff_member(branch_admin, {BUSINESS: 5}, 3, display_name="Branch Bo")
    token, visitor = await chat_request(hq, BUSINESS, "Vivian")
    try:
        assigned = await visitor.next("assigned", timeout=15)
        cid = assigned["conversation_id"]
        assert assigned["agent"] == {"id": f"branch:{agent_id}", "display_name": "Branch Bo"}
        served = await agent.next("assigned", timeout=15)
        remote_cid = served["conversation_id"]
        assert served["visitor"]["name"] == "Vivian"

        assert (await visitor.message(cid, "my kettle leaks"))["seq"] >= 1
        got = (await agent.next("message", timeout=10))["message"]
        assert (got["body"], got["sender"]["kind"]) == ("my kettle leaks", "visitor")
        await visitor.send({"type": "typing", "conversation_id": cid, "text": "it is the 2019 mo"})
        assert (await agent.next("typing.preview", timeout=10))["text"] == "it is the 2019 mo"
        await agent.send({"type": "typing", "conversation_id": remote_cid})
        indicator = await visitor.next("typing.indicator", timeout=10)
        assert indicator["sender"]["id"] == f"branch:{agent_id}"
        await agent.message(remote_cid, "sorry to hear it: send a photo?")
        reply = (await visitor.next("message", timeout=10))["message"]
        assert (reply["body"], reply["sender"]) == ("sorry to hear it: send a photo?",
                                                    {"kind": "agent", "id": f"branch:{agent_id}"})

        # Both centers keep the history.
        upstream = await Api(hq.url, token).call("GET", f"/api/v1/conversations/{cid}/messages")
        downstream = await branch_admin.call("GET", f"/api/v1/conversations/{remote_cid}/messages")
        assert [m["body"] for m in upstream["messages"]] == [m["body"] for m in downstream["messages"]] == [
            "my kettle leaks", "sorry to hear it: send a photo?"]

        await agent.send({"type": "chat.end", "conversation_id": remote_cid})
        assert (await visitor.next("ended", timeout=10))["conversation_id"] == cid
        links = await hq_admin.call("GET", "/api/v1/admin/links")
        assert links["name"] == "hq"
        to_branch = next(link for link in links["links"] if link["peer"] == "branch")
        assert to_branch["forwarded"] >= 1 and to_branch["open_forwards"] == 0
    finally:
        await visitor.close()
        await agent.close()


def transcript(messages: list[dict], prefix: str) -> str:
    """One side's messages as the other center has them, in order, hashed."""
    return hashlib.sha256("\n".join(m["body"] for m in messages if m["body"].startswith(prefix)).encode()).hexdigest()


async def test_link_resets_under_traffic_lose_and_double_nothing(linked, relay):
    hq, branch = linked
    hq_admin, branch_admin = await admins_with_aftersales(hq, branch)
    _, agent = await staff_member(branch_admin, {BUSINESS: 5}, 3)
    token, visitor = await chat_request(hq, BUSINESS, unique("v"))
    try:
        cid = (await visitor.next("assigned", timeout=15))["conversation_id"]
        remote_cid = (await agent.next("assigned", timeout=15))["conversation_id"]
        rounds = 12
        for n in range(rounds):
            await visitor.send({"type": "message", "conversation_id": cid, "client_msg_id": uuid.uuid4().hex,
                                "body": f"visitor {n}"})
            await agent.send({"type": "message", "conversation_id": remote_cid,
                              "client_msg_id": uuid.uuid4().hex, "body": f"agent {n}"})
            if n % 3 == 1:
                relay.cut()  # mid-traffic: both streams die, hq dials again
            await asyncio.sleep(0.05)

        async def all_arrived(socket: Socket, prefix: str) -> None:
            while len({f["message"]["body"] for f in socket.all("message")
                       if f["message"]["body"].startswith(prefix)}) < rounds:
                await socket.next("message", timeout=20)

        await all_arrived(agent, "visitor ")
        await all_arrived(visitor, "agent ")
        await link_up(hq, hq_admin)
        upstream = (await Api(hq.url, token).call("GET", f"/api/v1/conversations/{cid}/messages"))["messages"]
        downstream = (await branch_admin.call("GET", f"/api/v1/conversations/{remote_cid}/messages"))["messages"]
        for side in (upstream, downstream):
            bodies = [m["body"] for m in side]
            assert len(bodies) == len(set(bodies)) == 2 * rounds, bodies  # none lost, none twice
            # Each side's own messages keep their order, and so do the other side's.
            for prefix in ("visitor ", "agent "):
                assert [b for b in bodies if b.startswith(prefix)] == [f"{prefix}{n}" for n in range(rounds)]
        for prefix in ("visitor ", "agent "):
            assert transcript(upstream, prefix) == transcript(downstream, prefix)
        assert relay.connections >= 3
    finally:
        await visitor.close()
        await agent.close()


async def chat_request(center: LinkedCenter, group: str, name: str) -> tuple[str, Socket]:
    _, token = await Api(center.url).new_visitor(name)
    visitor = await Socket.open(center.url, "visitor", token)
    await visitor.next("welcome")
    await visitor.send({"type": "chat.request", "skill_group": group})
    return token, visitor


async def test_overflow_goes_to_the_partner_only_on_a_real_gain_and_comes_home_when_it_dies(centers):
    hq, partner = centers["hq"], centers["partner"]
    hq_admin = await Api(hq.url).login("admin", ADMIN_PASSWORD)
    partner_admin = await Api(partner.url).login("admin", ADMIN_PASSWORD)
    for admin in (hq_admin, partner_admin):
        await admin.call("POST", "/api/v1/admin/skill-groups", {"name": PRESALES}, expect=None)
    partner_agent_id, partner_agent = await staff_member(partner_admin, {PRESALES: 5}, 3)
    local_id, local = await staff_member(hq_admin, {PRESALES: 5}, 3, online=False)
    # The partner advertises presales (an agent free, no wait).
    await link_state(hq_admin, "partner", lambda link: PRESALES in link["advert_age_s"])
    sockets = [partner_agent, local]
    try:
        # Nobody staffed here: the partner's wait beats ours by far more than the margin.
        token, visitor = await chat_request(hq, PRESALES, "Overflowing Olga")
        sockets.append(visitor)
        assigned = await visitor.next("assigned", timeout=15)
        cid = assigned["conversation_id"]
        assert assigned["agent"]["id"] == f"partner:{partner_agent_id}"
        remote_cid = (await partner_agent.next("assigned", timeout=15))["conversation_id"]
        await visitor.message(cid, "do you have the green one?")
        assert (await partner_agent.next("message", timeout=10))["message"]["body"] == "do you have the green one?"
        await partner_agent.message(remote_cid, "yes, in stock")
        assert (await visitor.next("message", timeout=10))["message"]["body"] == "yes, in stock"

        # Our own agent free: no gain in sending anyone away (2 s hand-off, 30 s margin).
        await local.send({"type": "status", "status": "online"})
        await local.next("status", status="online")
        _, here = await chat_request(hq, PRESALES, "Local Lu")
        sockets.append(here)
        assert (await here.next("assigned", timeout=15))["agent"]["id"] == local_id
        await local.send({"type": "status", "status": "offline"})
        await local.next("status", status="offline")

        # The partner dies mid-chat: what the visitor writes meanwhile is kept, the link is
        # down within seconds, and after take_back_after_s (3 s) the conversation is back
        # in hq's queue with its history.
        partner.stop(kill=True)
        await visitor.message(cid, "hello? still there?")
        await link_state(hq_admin, "partner", lambda link: not link["up"], timeout=10)
        handed = await visitor.next("transferred", timeout=15)  # back to hq's presales line
        assert (handed["from"], handed["to"]) == ({"agent_id": f"partner:{partner_agent_id}"}, {"skill_group": PRESALES})
        requeued = await visitor.next("queued", timeout=5)
        assert requeued["conversation_id"] == cid
        await local.send({"type": "status", "status": "online"})
        await local.next("status", status="online")
        back = await local.next("assigned", timeout=15)
        assert back["conversation_id"] == cid
        history = (await Api(hq.url, token).call("GET", f"/api/v1/conversations/{cid}/messages"))["messages"]
        assert [m["body"] for m in history] == ["do you have the green one?", "yes, in stock", "hello? still there?"]
        # New offers are served here at once: the partner's link is down.
        _, later = await chat_request(hq, PRESALES, "Later Li")
        sockets.append(later)
        assert (await later.next("assigned", timeout=15))["agent"]["id"] == local_id
    finally:
        for socket in sockets:
            with contextlib.suppress(Exception):
                await socket.close()
