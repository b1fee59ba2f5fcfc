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
from federation.links import Links

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
        assert [s.peer for s in hq.status()] == ["branch"] and hq.status()[0].adverts["aftersales"] < 1

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
