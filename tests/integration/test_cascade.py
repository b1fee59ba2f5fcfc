"""Cascading centers (级联) end to end: `hq` forwards business `aftersales` to its child
`branch`, each center its own process and Ray, linked over gRPC with mutual TLS through
a TCP relay the test can cut (federation/link_relay.py). The visitor uses only PROTOCOL.md on hq's edge."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
import os
import uuid

import pytest
from PIL import Image

from federation.attachments import CHUNK_BYTES
from federation.certificates import make_ca, make_center_certificate
from federation.config import LinksConfig
from federation.link_relay import LinkRelay
from federation.links import Links
from tests.integration.linked_centers import ADMIN_PASSWORD, LinkedCenter, make_certificates
from tests.integration.protocol_client import Api, Socket, staff_member, unique
from tests.integration.test_attachments import PDF, fetch, upload

BUSINESS = "aftersales"
PRESALES = "presales"
WARRANTY = "warranty"  # a chain: hq -> branch -> partner (and partner's rule back to hq is a loop)


@pytest.fixture(scope="module")
def centers(tmp_path_factory):
    """hq, its child branch (owns aftersales, reached through the test's relay) and a
    partner (hq forwards presales to it on overflow and out of hours)."""
    folder = tmp_path_factory.mktemp("linked")
    make_certificates(folder, ["hq", "branch", "partner"])
    partner = LinkedCenter("partner", 2, folder, links=[
        {"peer": "hq", "accept": [PRESALES], "forward": [WARRANTY]},
        {"peer": "branch", "accept": [WARRANTY]}])
    branch = LinkedCenter("branch", 1, folder, links=[
        {"peer": "hq", "role": "parent", "accept": [BUSINESS, WARRANTY]},
        {"peer": "partner", "address": f"127.0.0.1:{partner.link_port}", "forward": [WARRANTY]}])
    hq = LinkedCenter("hq", 0, folder, links=[
        {"peer": "branch", "address": f"127.0.0.1:{branch.link_port + 10}", "role": "child",
         "forward": [BUSINESS, WARRANTY]},
        {"peer": "partner", "address": f"127.0.0.1:{partner.link_port}", "accept": [WARRANTY], "forward": [
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


@pytest.fixture(scope="module")
async def relay(linked):
    """One for the module: a relay stopped between tests would leave hq's link down
    (with gRPC's reconnect backoff) while the next test's first look still saw it up."""
    hq, branch = linked
    relay = await LinkRelay(branch.link_port).start(branch.link_port + 10)
    yield relay
    await relay.stop()


async def link_state(admin: Api, peer: str, check, timeout: float = 30) -> dict:
    """The admin's center's link to `peer` once `check(link)` holds."""
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


async def both_ends(visitor: Socket, agent: Socket, agent_id: str, agent_name: str,
                    visitor_name: str) -> tuple[str, str]:
    """The conversation's id on the visitor's center and on the serving one, once the
    visitor hears who serves them (`agent_id` as the visitor's center names them) and the
    agent hears whom they serve."""
    assigned = await visitor.next("assigned", timeout=20)
    assert assigned["agent"] == {"id": agent_id, "display_name": agent_name}
    served = await agent.next("assigned", timeout=15)
    assert served["visitor"]["name"] == visitor_name
    return assigned["conversation_id"], served["conversation_id"]


async def test_a_visitor_on_hq_chats_with_a_branch_agent_through_hqs_edge(linked, relay):
    hq, branch = linked
    hq_admin, branch_admin = await admins_with_aftersales(hq, branch)
    agent_id, agent = await staff_member(branch_admin, {BUSINESS: 5}, 3, display_name="Branch Bo")
    token, visitor = await chat_request(hq, BUSINESS, "Vivian")
    try:
        cid, remote_cid = await both_ends(visitor, agent, f"branch:{agent_id}", "Branch Bo", "Vivian")

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

        # Files cross too (a photo of several chunks one way, a document the other), each
        # center keeping its own copy, judged by its own rules and served by its own edge.
        noisy = io.BytesIO()
        Image.frombytes("RGB", (600, 600), os.urandom(600 * 600 * 3)).save(noisy, "PNG")
        photo = noisy.getvalue()
        assert len(photo) > 3 * CHUNK_BYTES
        uploaded = (await upload(hq.url, token, cid, "leak.png", photo)).json()
        await visitor.send({"type": "message", "conversation_id": cid, "client_msg_id": uuid.uuid4().hex,
                            "body": "the leak", "attachments": [uploaded["id"]]})
        got = (await agent.next("message", timeout=15))["message"]
        assert got["body"] == "the leak"
        assert [(a["name"], a["content_type"], a["size"]) for a in got["attachments"]] == [
            ("leak.png", "image/png", len(photo))]
        assert (await fetch(branch.url, got["attachments"][0]["url"])).content == photo
        assert (await fetch(branch.url, got["attachments"][0]["thumbnail_url"])).status_code == 200
        manual = (await upload(branch.url, agent.token, remote_cid, "manual.pdf", PDF)).json()
        await agent.send({"type": "message", "conversation_id": remote_cid, "client_msg_id": uuid.uuid4().hex,
                          "body": "", "attachments": [manual["id"]]})
        back = (await visitor.next("message", timeout=15))["message"]
        assert [(a["name"], a["content_type"]) for a in back["attachments"]] == [("manual.pdf", "application/pdf")]
        assert back["attachments"][0]["id"] != manual["id"]  # hq's own copy
        assert (await fetch(hq.url, back["attachments"][0]["url"])).content == PDF

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


async def test_link_resets_and_a_black_hole_under_traffic_lose_and_double_nothing(linked, relay):
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
            if n == 7:
                relay.black_hole()  # the stream stays open and carries nothing: heartbeats find out
            elif n % 3 == 1:
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


async def admins(centers) -> dict[str, Api]:
    return {name: await Api(center.url).login("admin", ADMIN_PASSWORD) for name, center in centers.items()}


async def test_a_chain_hq_branch_partner_serves_through_two_links_and_refuses_the_loop(centers, relay):
    """hq forwards warranty to branch, branch forwards it on to partner; partner's rule
    would send it back to hq, a loop, so partner serves it. The visitor on hq chats with
    partner's agent through both links."""
    hq, branch = centers["hq"], centers["branch"]
    admin = await admins(centers)
    for each in admin.values():
        await each.call("POST", "/api/v1/admin/skill-groups", {"name": WARRANTY}, expect=None)
    await link_up(hq, admin["hq"])
    await link_up(branch, admin["branch"], "partner")
    legs = (("hq", "branch"), ("branch", "partner"), ("branch", "hq"))
    # Earlier tests of the module may leave forwards open: this one's are counted on top.
    before = {leg: (await link_state(admin[leg[0]], leg[1], lambda link: True))["open_forwards"] for leg in legs}
    agent_id, agent = await staff_member(admin["partner"], {WARRANTY: 5}, 3, display_name="Partner Pat")
    token, visitor = await chat_request(hq, WARRANTY, "Chained Chen")
    try:
        cid, far_cid = await both_ends(visitor, agent, f"branch:partner:{agent_id}", "Partner Pat", "Chained Chen")

        await visitor.message(cid, "my warranty card is lost")
        assert (await agent.next("message", timeout=10))["message"]["body"] == "my warranty card is lost"
        await visitor.send({"type": "typing", "conversation_id": cid, "text": "bought in ma"})
        assert (await agent.next("typing.preview", timeout=10))["text"] == "bought in ma"
        await agent.send({"type": "typing", "conversation_id": far_cid})
        assert (await visitor.next("typing.indicator", timeout=10))["sender"]["id"] == f"branch:partner:{agent_id}"
        await agent.message(far_cid, "the serial number is enough")
        reply = (await visitor.next("message", timeout=10))["message"]
        assert (reply["body"], reply["sender"]["id"]) == ("the serial number is enough", f"branch:partner:{agent_id}")

        # All three keep the whole history; the middle one has the conversation too.
        bodies = ["my warranty card is lost", "the serial number is enough"]
        here = await Api(hq.url, token).call("GET", f"/api/v1/conversations/{cid}/messages")
        there = await admin["partner"].call("GET", f"/api/v1/conversations/{far_cid}/messages")
        assert [m["body"] for m in here["messages"]] == [m["body"] for m in there["messages"]] == bodies
        middle = await link_state(admin["branch"], "partner",
                                  lambda link: link["open_forwards"] == before[("branch", "partner")] + 1)
        assert middle["forwarded"] >= 1
        # The loop: partner never offered it back to hq (hq is on its path).
        back = await link_state(admin["partner"], "hq", lambda link: True)
        assert back["forwarded"] == back["declined"] == 0

        await agent.send({"type": "chat.end", "conversation_id": far_cid})
        assert (await visitor.next("ended", timeout=10))["conversation_id"] == cid
        for leg in legs:
            await link_state(admin[leg[0]], leg[1], lambda link: link["open_forwards"] == before[leg], timeout=10)
    finally:
        await visitor.close()
        await agent.close()


async def test_the_isolate_switch_stops_new_offers_both_ways_and_is_told_to_the_peer(centers):
    hq = centers["hq"]
    admin = await admins(centers)
    for name in ("hq", "partner"):
        await admin[name].call("POST", "/api/v1/admin/skill-groups", {"name": PRESALES}, expect=None)
    partner_agent_id, partner_agent = await staff_member(admin["partner"], {PRESALES: 5}, 3)
    await link_state(admin["hq"], "partner", lambda link: PRESALES in link["advert_age_s"])
    sockets = [partner_agent]
    try:
        await admin["hq"].call("PUT", "/api/v1/admin/links/partner/isolation", {"isolated": True})
        before = await link_state(admin["hq"], "partner", lambda link: link["isolated"])
        await link_state(admin["partner"], "hq", lambda link: link["isolated_by_peer"], timeout=10)
        # Isolated: the overflow rule would send it (nobody here), but it waits here.
        _, waiting = await chat_request(hq, PRESALES, "Isolated Ida")
        sockets.append(waiting)
        queued = await waiting.next("queued", timeout=15)
        after = await link_state(admin["hq"], "partner", lambda link: True)
        assert after["forwarded"] == before["forwarded"]
        await waiting.send({"type": "chat.end", "conversation_id": queued["conversation_id"]})
        await waiting.next("ended", timeout=10)
        await admin["hq"].call("PUT", "/api/v1/admin/links/nobody/isolation", {"isolated": True}, expect=404)

        await admin["hq"].call("PUT", "/api/v1/admin/links/partner/isolation", {"isolated": False})
        await link_state(admin["partner"], "hq", lambda link: not link["isolated_by_peer"], timeout=10)
        _, sent = await chat_request(hq, PRESALES, "Open Olli")
        sockets.append(sent)
        assigned = await sent.next("assigned", timeout=15)
        assert assigned["agent"]["id"] == f"partner:{partner_agent_id}"
        await sent.send({"type": "chat.end", "conversation_id": assigned["conversation_id"]})
        await sent.next("ended", timeout=10)
    finally:
        for socket in sockets:
            with contextlib.suppress(Exception):
                await socket.close()


async def test_a_running_center_refuses_strangers_and_other_cas_and_keeps_its_links(centers, tmp_path):
    """The test process dials hq's link port as a center hq does not know (a certificate
    of hq's CA naming mallory) and as partner with another CA's certificate: neither
    gets a link, and hq's real link to partner is neither replaced nor dropped."""
    hq = centers["hq"]
    admin = await Api(hq.url).login("admin", ADMIN_PASSWORD)
    steady = await link_state(admin, "partner", lambda link: link["up"])
    certs = hq.folder / "certs"
    make_center_certificate(certs, "mallory")
    other = tmp_path / "other-ca"
    make_ca(other, "somebody else's CA")
    make_center_certificate(other, "partner")

    def dialler(name: str, folder) -> Links:
        return Links(LinksConfig.model_validate({
            "name": name, "certificate": folder / f"{name}.pem", "key": folder / f"{name}-key.pem",
            "ca": certs / "ca.pem", "links": [{"peer": "hq", "address": f"127.0.0.1:{hq.link_port}",
                                               "accept": [PRESALES]}]}), lambda business: None)

    strangers = [dialler("mallory", certs), dialler("partner", other)]
    try:
        for stranger in strangers:
            await stranger.start()
        report = await admin.call("GET", "/api/v1/admin/links")
        deadline = asyncio.get_running_loop().time() + 10
        while report["strangers_refused"] < 1 and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.2)
            report = await admin.call("GET", "/api/v1/admin/links")
        assert report["strangers_refused"] >= 1  # mallory
        await asyncio.sleep(1.0)  # let the other CA's handshakes fail a few times too
        assert not any(stranger.peers["hq"].status.up for stranger in strangers)
        now = await link_state(admin, "partner", lambda link: True)
        assert now["up"] and now["streams"] == steady["streams"] and now["peer_epoch"] == steady["peer_epoch"]
    finally:
        for stranger in strangers:
            await stranger.stop()


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
