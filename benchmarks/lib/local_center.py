"""Starting a center for the scenarios, exactly as `make up` does (`python -m
serve.main`), on its own data folder and ports, and measuring its memory."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import psutil

from actors.store.database import new_postgres_database
from benchmarks.lib.ports import CENTER_HTTP, CENTER_SIDE_PORTS
from serve.center_process import NotServing, wait_serving

PROJECT = Path(__file__).resolve().parents[2]
ADMIN_PASSWORD = "bench-admin-pw"
# Run the center on PostgreSQL / Redis instead of the embedded default.
BENCH_DATABASE_ENV = "KEFU_BENCH_CENTER_DATABASE_URL"
BENCH_REDIS_ENV = "KEFU_BENCH_CENTER_REDIS_URL"
START_TIMEOUT_S = 180.0


def load_environment() -> dict[str, str]:
    """What a center driven by load clients needs beyond `make up`'s settings."""
    return {
        # Thousands of agents are created and logged in before each measurement;
        # at the strong cost that alone took minutes (serve/auth.py).
        "KEFU_PASSWORD_COST": os.environ.get("KEFU_PASSWORD_COST", "light"),
        # A load client drives each visitor socket as fast as the center answers
        # (the relay's closed loop), which no person does: the frame budget a
        # person gets (20 a second, serve/frame_rate.py) would throttle the load.
        "KEFU_VISITOR_FRAMES_PER_S": os.environ.get("KEFU_VISITOR_FRAMES_PER_S", "10000"),
        "KEFU_VISITOR_FRAME_BURST": os.environ.get("KEFU_VISITOR_FRAME_BURST", "10000"),
        "KEFU_STAFF_FRAMES_PER_S": os.environ.get("KEFU_STAFF_FRAMES_PER_S", "10000"),
        "KEFU_STAFF_FRAME_BURST": os.environ.get("KEFU_STAFF_FRAME_BURST", "10000"),
        # The load comes from this one machine's address: per-address rates off.
        "KEFU_VISITORS_PER_IP_PER_MIN": "0", "KEFU_LOGINS_PER_IP_PER_MIN": "0"}


@dataclass
class LocalCenter:
    url: str
    admin_password: str
    process: subprocess.Popen
    data_dir: Path
    log_path: Path

    @classmethod
    def start(cls, port: int = CENTER_HTTP, shards: int | None = None) -> "LocalCenter":
        data_dir = Path(tempfile.mkdtemp(prefix="kefu-bench-"))
        log_path = data_dir / "center.log"
        env = {**os.environ, "KEFU_DATA_DIR": str(data_dir), "KEFU_PORT": str(port),
               "KEFU_ADMIN_PASSWORD": ADMIN_PASSWORD, "KEFU_INSTANCE": "kefu-bench",
               # Serve's side listeners of its own (serve/side_ports.py).
               "KEFU_SIDE_PORT_BASE": str(CENTER_SIDE_PORTS), **load_environment()}
        if shards is not None:
            env["KEFU_SHARDS"] = str(shards)
        for key in ("KEFU_DATABASE_URL", "KEFU_REDIS_URL"):
            env.pop(key, None)  # the embedded default: what `make up` runs
        # The production shape instead, when asked for (a database of its own).
        if os.environ.get(BENCH_DATABASE_ENV):
            env["KEFU_DATABASE_URL"] = new_postgres_database(os.environ[BENCH_DATABASE_ENV], "kefu_bench")
        if os.environ.get(BENCH_REDIS_ENV):
            env["KEFU_REDIS_URL"] = os.environ[BENCH_REDIS_ENV]
        with open(log_path, "ab") as log:
            process = subprocess.Popen([sys.executable, "-m", "serve.main"], cwd=PROJECT, env=env,
                                       stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        center = cls(f"http://127.0.0.1:{port}", ADMIN_PASSWORD, process, data_dir, log_path)
        center._wait_healthy()
        return center

    def _wait_healthy(self) -> None:
        try:
            wait_serving(self.url, self.process, START_TIMEOUT_S, poll_s=1)
        except NotServing as problem:
            exited = self.process.poll() is not None
            if not exited:
                self.stop()
            raise RuntimeError(f"{problem}:\n{self.log_path.read_text()[-3000:]}" if exited else str(problem)) from None

    def processes(self) -> list[psutil.Process]:
        """The center's driver and every process it started (Ray's GCS, raylet,
        workers: shards, hub, Serve controller, HAProxy, replicas)."""
        root = psutil.Process(self.process.pid)
        return [root, *root.children(recursive=True)]

    def stop(self) -> None:
        # serve.main shuts Serve down on SIGINT, which waits out replica draining
        # (30 s); a benchmark has nothing to drain, so the whole tree is killed.
        try:
            tree = self.processes()
        except psutil.NoSuchProcess:
            tree = []
        for process in tree:
            try:
                process.send_signal(signal.SIGKILL)
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(tree, timeout=10)


def resident_memory_mb(processes: list[psutil.Process]) -> dict[str, float]:
    """Resident memory of a set of processes: RSS summed (what `top` adds up;
    shared pages are counted in every process) and PSS (shared pages divided
    among their users: the honest total)."""
    rss = pss = 0
    for process in processes:
        try:
            info = process.memory_full_info()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        rss += info.rss
        pss += getattr(info, "pss", info.rss)
    return {"rss_mb": rss / 2**20, "pss_mb": pss / 2**20}
