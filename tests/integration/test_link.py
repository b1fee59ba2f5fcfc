"""The link between two centers over real gRPC with mutual TLS, both ends in this
process: the handshake, heartbeats and adverts, and every way a stranger is refused."""

from __future__ import annotations

import asyncio
import socket
import time

import pytest

from actors.routing.capacity import Capacity
from federation.certificates import make_ca, make_center_certificate
from federation.config import LinksConfig
from federation.forwarding import Forwarding, new_ids
from federation.links import Links
from federation.offers import Offers
from federation.v1 import link_pb2 as pb

FAST = {"heartbeat_s": 0.1, "dead_after_s": 0.6, "advert_every_s": 0.3, "advert_ttl_s": 0.8}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("certs")
    make_ca(folder)
    for name in ("hq", "branch", "mallory"):
        make_center_certificate(folder, name)
    other = folder / "other-ca"
    make_ca(other, "somebody else's CA")
    make_center_certificate(other, "hq")
    return folder


def config(certs, name: str, links: list[dict], listen: int | None = None, cert_name: str | None = None,
           cert_folder=None) -> LinksConfig:
    folder = cert_folder or certs
    return LinksConfig.model_validate({
        "name": name, "listen": f"127.0.0.1:{listen}" if listen else None,
        "certificate": folder / f"{cert_name or name}.pem", "key": folder / f"{cert_name or name}-key.pem",
        "ca": certs / "ca.pem", "links": links, **FAST})


class Queue:
    """What a business can take, as the skill group would say."""

    def __init__(self) -> None:
        self.waiting = 0

    async def __call__(self, business: str) -> Capacity | None:
        return Capacity(business, self.waiting, 2, 3, 5.0 * self.waiting, True)


async def until(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


async def test_linked_centers_meet_measure_and_advertise(certs):
    port = free_port()
    queue = Queue()
    branch = await Links(config(certs, "branch", [{"peer": "hq", "role": "parent", "accept": ["aftersales"]}],
                                listen=port), queue).start()
    hq = await Links(config(certs, "hq", [{"peer": "branch", "address": f"127.0.0.1:{port}", "role": "child",
                                           "forward": ["aftersales"]}]), Queue()).start()
    try:
        link = hq.peers["branch"]
        await until(lambda: link.status.up and branch.peers["hq"].status.up)
        await until(lambda: link.status.rtt_ms is not None)
        assert 0 <= link.status.rtt_ms < 500
        await until(lambda: link.advert("aftersales") is not None)
        assert link.advert("aftersales").agents_available == 2
        queue.waiting = 4  # a change goes out at once, not at the next period
        await until(lambda: link.advert("aftersales").queue_length == 4, timeout=0.5)
        assert link.advert("aftersales").expected_wait_s == 20.0
        assert link.advert("presales") is None  # never advertised
        assert [s.peer for s in hq.status()] == ["branch"] and hq.status()[0].advert_age_s["aftersales"] < 1

        # The branch goes away: the link is down within dead_after_s, its advert unused past
        # its TTL; back, and the dialler finds it again.
        await branch.stop()
        await until(lambda: not link.status.up, timeout=2)
        await until(lambda: link.advert("aftersales") is None, timeout=2)
        branch = await Links(config(certs, "branch", [{"peer": "hq", "accept": ["aftersales"]}], listen=port),
                             queue).start()
        await until(lambda: link.status.up and link.advert("aftersales") is not None, timeout=5)
        assert link.status.streams >= 2
    finally:
        await hq.stop()
        await branch.stop()


async def test_strangers_and_impostors_get_no_link(certs, caplog):
    port = free_port()
    branch = await Links(config(certs, "branch", [{"peer": "hq", "accept": ["aftersales"]}], listen=port),
                         Queue()).start()
    target = [{"peer": "branch", "address": f"127.0.0.1:{port}", "forward": ["aftersales"]}]
    # A certificate of another CA, a name the branch is not linked to, and a center whose
    # certificate says hq while it calls itself hqx.
    dialers = [Links(config(certs, "hq", target, cert_folder=certs / "other-ca"), Queue()),
               Links(config(certs, "mallory", target), Queue()),
               Links(config(certs, "hqx", target, cert_name="hq"), Queue())]
    try:
        for dialer in dialers:
            await dialer.start()
        await asyncio.sleep(1.5)
        assert not any(d.peers["branch"].status.up for d in dialers)
        assert not branch.peers["hq"].status.up
        assert "not a configured peer" in caplog.text  # mallory, refused and logged
        assert "the hello says 'hqx'" in caplog.text
    finally:
        for dialer in dialers:
            await dialer.stop()
        await branch.stop()


async def test_offers_that_loop_pass_the_hop_limit_or_are_not_allowed_are_declined(certs):
    """Declined before anything is stored: a center already on the offer's path (a loop),
    more hops than max_hops, a business the link does not accept, a passed deadline, and
    anything while the link is isolated."""
    port = free_port()
    branch = await Links(config(certs, "branch", [{"peer": "hq", "accept": ["aftersales"]}], listen=port),
                         Queue()).start()
    hq = await Links(config(certs, "hq", [{"peer": "branch", "address": f"127.0.0.1:{port}",
                                           "forward": ["aftersales"]}]), Queue()).start()
    # The parts an offer reaches before its checks pass are not needed: no directory,
    # bus or database (a declined offer touches none of them).
    hq_forwards = Forwarding("hq", "hq", hq.peers, None, None, None)
    Offers(branch.config, Forwarding("branch", "branch", branch.peers, None, None, None))
    link = hq.peers["branch"]

    async def answer(business="aftersales", hops=("hq",), deadline_s=2.0) -> str:
        offer_id, forward_id = new_ids()
        offer = pb.Offer(offer_id=offer_id, forward_id=forward_id, business=business, hops=list(hops),
                         deadline_ms=int((time.time() + deadline_s) * 1000), visitor=pb.Visitor(id="v1"))
        got = await hq_forwards.ask_peer(link, offer, 2.0, f"c_{offer_id}")
        assert got is not None and got.WhichOneof("outcome") == "declined"
        return got.declined.reason

    try:
        await until(lambda: link.status.up and branch.peers["hq"].status.up)
        assert await answer(hops=("hq", "branch")) == "loop"
        assert await answer(hops=("a", "b", "c", "d", "hq")) == "hop_limit"  # max_hops 4
        assert await answer(business="presales") == "not_allowed"
        assert await answer(deadline_s=-1) == "too_late"
        branch.peers["hq"].isolate(True)
        await until(lambda: link.isolated_by_peer)  # hq is told, and would offer nothing more
        assert await answer() == "isolated"
        assert not hq_forwards.open and not hq_forwards.by_conversation  # declined offers leave nothing
    finally:
        await hq.stop()
        await branch.stop()
