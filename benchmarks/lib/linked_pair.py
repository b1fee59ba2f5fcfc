"""Two linked centers for the federation benchmark (federation/local_centers.py starts
them): `hq`, where the visitors come, and its child `branch`, which owns business
BUSINESS; hq dials branch through a TCP relay of its own process
(federation/link_relay.py) that the benchmark cuts to reset the link. Each center its
own `python -m serve.main`, Ray instance (KEFU_INSTANCE kefu-bench-<name>) and data
folder, on the benchmark's ports (benchmarks/lib/ports.py); the links file keeps the
product's defaults (heartbeat 0.5 s, dead after 2.5 s, offer timeout 2 s) but for the
take-back, see TAKE_BACK_AFTER_S.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from benchmarks.lib.kefu_client import Rest
from benchmarks.lib.local_center import ADMIN_PASSWORD, load_environment
from benchmarks.lib.ports import FEDERATION_HTTP, FEDERATION_LINKS, FEDERATION_SIDE_PORTS
from federation.local_centers import PROJECT, CenterProcess, make_certificates

BUSINESS = "fedbench"  # hq forwards it to branch, always (the branch owns it)
LOCAL_GROUP = "localbench"  # hq serves it itself: the local baseline
RELAY_PORT = FEDERATION_LINKS + 2
PUMP_PORT = FEDERATION_LINKS + 3
# The partner is killed and started again within the run, and the messages its
# forwarded conversations got meanwhile must then arrive: the product's 30 s would
# take those conversations back first (a different story, not measured here).
TAKE_BACK_AFTER_S = 600
START_TIMEOUT_S = 240.0
LINK_UP_TIMEOUT_S = 60.0


@dataclass
class LinkedPair:
    folder: Path
    hq: CenterProcess
    branch: CenterProcess
    relay: subprocess.Popen | None = None

    @property
    def certs(self) -> Path:
        return self.folder / "certs"

    def start_relay(self) -> None:
        self.relay = subprocess.Popen(
            [sys.executable, "-m", "federation.link_relay", str(RELAY_PORT), str(self.branch.link_port)],
            cwd=PROJECT, stdout=subprocess.PIPE, text=True, start_new_session=True)
        if self.relay.stdout.readline().strip() != "relaying":
            raise RuntimeError("the link relay did not start")

    async def cut_link(self) -> None:
        """A link reset: the relay drops hq's connection to branch (SIGUSR1); returns once
        it has."""
        self.relay.send_signal(signal.SIGUSR1)
        if (await asyncio.to_thread(self.relay.stdout.readline)).strip() != "cut":
            raise RuntimeError("the link relay did not cut")

    def start_centers(self, *centers: CenterProcess) -> None:
        for center in centers:
            center.start(ADMIN_PASSWORD)
        for center in centers:
            center.wait_serving(START_TIMEOUT_S)

    def stop(self) -> None:
        for center in (self.hq, self.branch):
            center.kill_all_at_once()  # nothing to drain (as benchmarks/lib/local_center.py)
        if self.relay is not None and self.relay.poll() is None:
            self.relay.kill()
            self.relay.wait(10)


def new_pair(folder: Path) -> LinkedPair:
    def center(name: str, index: int, links: list[dict], listens: bool) -> CenterProcess:
        return CenterProcess(name, folder, FEDERATION_HTTP + index, FEDERATION_LINKS + index if listens else None,
                             FEDERATION_SIDE_PORTS + 500 * index, links, {"take_back_after_s": TAKE_BACK_AFTER_S},
                             {**load_environment(), "KEFU_DEMO_SITE_PORT": "0"}, instance=f"kefu-bench-{name}")

    hq = center("hq", 0, [{"peer": "branch", "address": f"127.0.0.1:{RELAY_PORT}", "role": "child",
                           "forward": [BUSINESS]}], listens=False)
    branch = center("branch", 1, [{"peer": "hq", "role": "parent", "accept": [BUSINESS]}], listens=True)
    return LinkedPair(folder, hq, branch)


@contextlib.contextmanager
def linked_pair() -> Iterator[LinkedPair]:
    """Certificates, the relay and both centers, serving; everything ended on the way
    out, on failure and on SIGINT/SIGTERM alike."""
    folder = Path(tempfile.mkdtemp(prefix="kefu-bench-fed-"))
    pair = new_pair(folder)
    make_certificates(folder, ["hq", "branch"])
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        pair.start_relay()
        pair.start_centers(pair.branch, pair.hq)
        yield pair
    finally:
        pair.stop()
        signal.signal(signal.SIGTERM, previous)
        shutil.rmtree(folder, ignore_errors=True)


def _interrupt(*_) -> None:
    raise KeyboardInterrupt  # the same way out as Ctrl-C: through the finally above


async def admin(url: str) -> Rest:
    rest = Rest(url)
    rest.token = (await rest.login("admin", ADMIN_PASSWORD))["token"]
    return rest


async def link_to_branch(hq_admin: Rest) -> dict:
    links = await hq_admin.call("GET", "/api/v1/admin/links")
    return next(link for link in links["links"] if link["peer"] == "branch")


async def wait_link(hq_admin: Rest, up: bool, timeout_s: float = LINK_UP_TIMEOUT_S,
                    poll_s: float = 0.05) -> float:
    """Once hq's link to branch shows `up` (the admin API's view); when, in epoch s."""
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        with contextlib.suppress(Exception):  # 503 while the link actor (re)starts
            if (await link_to_branch(hq_admin))["up"] == up:
                return time.time()
        await asyncio.sleep(poll_s)
    raise TimeoutError(f"hq's link to branch not {'up' if up else 'down'} within {timeout_s:.0f} s")
