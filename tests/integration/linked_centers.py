"""Linked centers for the cascade tests: each `python -m serve.main` in a process and a
Ray instance of its own (as two companies' centers would be), with a demo CA, one
certificate each and a links file; they meet only over gRPC with mutual TLS."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from federation.certificates import make_ca, make_center_certificate
from serve.center_process import NotServing, end_session, wait_serving

PROJECT = Path(__file__).resolve().parents[2]
# Out of the way of the session's center (18000), the restart test's (18100) and their
# Serve side ports (20000, 21000; the benchmarks use 20000-22500).
BASE_PORT = int(os.environ.get("KEFU_TEST_LINKED_PORT_BASE", "18300"))
SIDE_PORT_BASE = int(os.environ.get("KEFU_TEST_LINKED_SIDE_PORT_BASE", "26000"))
ADMIN_PASSWORD = "linked-pw"
FAST_LINKS = {"heartbeat_s": 0.2, "dead_after_s": 1.5, "advert_every_s": 0.5, "advert_ttl_s": 2.0,
              "offer_timeout_s": 2.0}


@dataclass
class LinkedCenter:
    name: str
    index: int
    folder: Path
    links: list[dict] = field(default_factory=list)
    settings: dict = field(default_factory=dict)
    process: subprocess.Popen | None = None

    @property
    def port(self) -> int:
        return BASE_PORT + self.index

    @property
    def link_port(self) -> int:
        return BASE_PORT + 50 + self.index

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.folder / f"{self.name}.log"

    def write_links(self) -> Path:
        certs = self.folder / "certs"
        path = self.folder / f"{self.name}-links.yaml"
        path.write_text(yaml.safe_dump({
            "name": self.name, "listen": f"127.0.0.1:{self.link_port}",
            "certificate": str(certs / f"{self.name}.pem"), "key": str(certs / f"{self.name}-key.pem"),
            "ca": str(certs / "ca.pem"), "links": self.links, **FAST_LINKS, **self.settings}))
        return path

    def start(self) -> None:
        env = {**os.environ, "KEFU_DATA_DIR": str(self.folder / self.name), "KEFU_PORT": str(self.port),
               "KEFU_ADMIN_PASSWORD": ADMIN_PASSWORD, "KEFU_SHARDS": "1", "KEFU_INSTANCE": f"kefu-{self.name}",
               "KEFU_MAX_CONNECTIONS": "200", "KEFU_DEMO_SITE_PORT": "0",
               "KEFU_SIDE_PORT_BASE": str(SIDE_PORT_BASE + 500 * self.index),
               "KEFU_LINKS_FILE": str(self.write_links()), "KEFU_VISITORS_PER_IP_PER_MIN": "0",
               "KEFU_LOGINS_PER_IP_PER_MIN": "0", "KEFU_RAY_LOGS": "1",
               "PYTHONUNBUFFERED": "1"}  # its log whole, even when it is killed
        for name in ("KEFU_DATABASE_URL", "KEFU_REDIS_URL"):
            env.pop(name, None)
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen([sys.executable, "-m", "serve.main"], cwd=PROJECT, env=env,
                                        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, timeout: float = 180) -> None:
        try:
            wait_serving(self.url, self.process, timeout)
        except NotServing as problem:
            raise AssertionError(f"{self.name}: {problem}: " + self.log_path.read_text()[-4000:]) from None

    def stop(self, kill: bool = False) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        end_session(self.process.pid)  # its Ray's processes and HAProxy too


def make_certificates(folder: Path, names: list[str]) -> None:
    certs = folder / "certs"
    make_ca(certs)
    for name in names:
        make_center_certificate(certs, name)
