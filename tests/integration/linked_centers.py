"""Linked centers for the cascade tests (federation/local_centers.py starts them): each
`python -m serve.main` in a process and a Ray instance of its own, with a demo CA, one
certificate each and a links file; they meet only over gRPC with mutual TLS."""

from __future__ import annotations

import os
from pathlib import Path

from federation.local_centers import CenterProcess, make_certificates
from serve.center_process import NotServing

__all__ = ["ADMIN_PASSWORD", "LinkedCenter", "make_certificates"]

# Out of the way of the session's center (18000), the restart test's (18100) and their
# Serve side ports (20000, 21000; the benchmarks use 20000-22500).
BASE_PORT = int(os.environ.get("KEFU_TEST_LINKED_PORT_BASE", "18300"))
SIDE_PORT_BASE = int(os.environ.get("KEFU_TEST_LINKED_SIDE_PORT_BASE", "26000"))
ADMIN_PASSWORD = "linked-pw"
FAST_LINKS = {"heartbeat_s": 0.2, "dead_after_s": 1.5, "advert_every_s": 0.5, "advert_ttl_s": 2.0,
              "offer_timeout_s": 2.0}
TEST_ENV = {"KEFU_SHARDS": "1", "KEFU_MAX_CONNECTIONS": "200", "KEFU_DEMO_SITE_PORT": "0",
            "KEFU_VISITORS_PER_IP_PER_MIN": "0", "KEFU_LOGINS_PER_IP_PER_MIN": "0", "KEFU_RAY_LOGS": "1",
            "PYTHONUNBUFFERED": "1"}  # the log whole, even of a killed center


class LinkedCenter(CenterProcess):
    """Center number `index` of a test: HTTP on BASE_PORT + index, links on BASE_PORT + 50 + index."""

    def __init__(self, name: str, index: int, folder: Path, links: list[dict] | None = None,
                 settings: dict | None = None) -> None:
        super().__init__(name, folder, BASE_PORT + index, BASE_PORT + 50 + index, SIDE_PORT_BASE + 500 * index,
                         links or [], {**FAST_LINKS, **(settings or {})}, dict(TEST_ENV))
        self.index = index

    @property
    def port(self) -> int:
        return self.http_port

    def start(self) -> None:
        super().start(ADMIN_PASSWORD)

    def wait_ready(self, timeout: float = 180) -> None:
        try:
            self.wait_serving(timeout)
        except NotServing as problem:
            raise AssertionError(str(problem)) from None
