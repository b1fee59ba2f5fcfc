"""Linked centers on this machine, as `make demo-cascade` (federation/demo.py), the
cascade tests (tests/integration/linked_centers.py) and the federation benchmark
(benchmarks/federation.py) run them: each `python -m serve.main` in a process, a Ray
instance and a data folder of its own (as two companies' centers would be), with a
links file and a certificate of a demo CA; they meet only over gRPC with mutual TLS.

One folder holds them all: `certs/` (the CA and one certificate per center), and per
center its data (`<name>/`), its log (`<name>.log`) and its links file
(`<name>-links.yaml`).
"""

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

PROJECT = Path(__file__).resolve().parents[1]
# The embedded default (SQLite, the in-cluster bus): a shell's own database or Redis
# would be shared by centers that must not share anything.
SHARED_BACKENDS = ("KEFU_DATABASE_URL", "KEFU_REDIS_URL")
LOG_TAIL = 4000  # characters of a center's log quoted when it does not serve


def make_certificates(folder: Path, names: list[str]) -> Path:
    """A demo CA and a certificate per center under `folder`/certs, each made unless it
    is there (a demo run again keeps its CA); the certificates' folder."""
    certs = folder / "certs"
    make_ca(certs)
    for name in names:
        if not (certs / f"{name}.pem").exists():
            make_center_certificate(certs, name)
    return certs


@dataclass
class CenterProcess:
    name: str  # its link name, its certificate's common name
    folder: Path
    http_port: int
    link_port: int | None  # where peers dial in; None: it only dials out
    side_port_base: int  # Serve's side listeners (serve/side_ports.py)
    links: list[dict] = field(default_factory=list)
    settings: dict = field(default_factory=dict)  # of the links file: heartbeat_s, take_back_after_s...
    env: dict[str, str] = field(default_factory=dict)  # the center's own, beyond what every one gets
    instance: str = ""  # KEFU_INSTANCE; "" means kefu-<name>
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def data_dir(self) -> Path:
        return self.folder / self.name

    @property
    def log_path(self) -> Path:
        return self.folder / f"{self.name}.log"

    def write_links(self) -> Path:
        certs = self.folder / "certs"
        path = self.folder / f"{self.name}-links.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        listen = {"listen": f"127.0.0.1:{self.link_port}"} if self.link_port else {}
        path.write_text(yaml.safe_dump({
            "name": self.name, **listen,
            "certificate": str(certs / f"{self.name}.pem"), "key": str(certs / f"{self.name}-key.pem"),
            "ca": str(certs / "ca.pem"), "links": list(self.links), **self.settings}, sort_keys=False))
        return path

    def start(self, admin_password: str) -> None:
        env = {**os.environ, "KEFU_DATA_DIR": str(self.data_dir), "KEFU_PORT": str(self.http_port),
               "KEFU_ADMIN_PASSWORD": admin_password, "KEFU_INSTANCE": self.instance or f"kefu-{self.name}",
               "KEFU_SIDE_PORT_BASE": str(self.side_port_base), "KEFU_LINKS_FILE": str(self.write_links()),
               **self.env}
        for name in SHARED_BACKENDS:
            env.pop(name, None)
        with open(self.log_path, "ab") as log:
            # A session of its own: whatever the center starts (Ray, HAProxy) is ended with it.
            self.process = subprocess.Popen([sys.executable, "-m", "serve.main"], cwd=PROJECT, env=env,
                                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_serving(self, timeout_s: float = 180) -> None:
        """Returns once it serves; NotServing (with the end of its log) if it cannot."""
        try:
            wait_serving(self.url, self.process, timeout_s)
        except NotServing as problem:
            tail = self.log_path.read_text(errors="replace")[-LOG_TAIL:] if self.log_path.exists() else ""
            raise NotServing(f"{self.name}: {problem}; {self.log_path}:\n{tail}") from None

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def send_signal(self, sig: signal.Signals) -> None:
        if self.running():
            self.process.send_signal(sig)

    def stop(self, kill: bool = False, wait_s: float = 60.0) -> None:
        """SIGTERM (Serve drains) or SIGKILL to the center, then SIGKILL to whatever of its
        session is left: its Ray and HAProxy, which would hold its ports."""
        if self.process is None:
            return
        self.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            self.process.wait(wait_s)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        end_session(self.process.pid)

    def kill_all_at_once(self) -> None:
        """The machine dies: SIGKILL to every process of the center's session in one sweep
        (its link actor too, which a killed driver alone would leave running)."""
        if self.process is None:
            return
        end_session(self.process.pid)
        self.process.wait(10)
