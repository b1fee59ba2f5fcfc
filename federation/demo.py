"""`make demo-cascade`: three linked centers on this machine, each its own process, Ray
instance and data folder under var/cascade/: `hq` (HTTP 8000), its child `branch` (8001,
owns after-sales) and a `partner` (8002; hq sends it pre-sales on overflow and out of
hours), with a demo CA, one certificate each, links files and demo agents
(config/cascade/). KEFU_ADMIN_PASSWORD, when set, is the admin password of all three.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from federation.certificates import make_ca, make_center_certificate
from serve.center_process import NotServing, end_session, wait_serving

PROJECT = Path(__file__).resolve().parents[1]
CONFIG = PROJECT / "config" / "cascade"
VAR = PROJECT / "var" / "cascade"
STOP_WAIT_S = 20.0  # then whatever is left of the three is killed (Serve may take longer)


@dataclass(frozen=True)
class DemoCenter:
    name: str
    http_port: int
    link_port: int
    side_port_base: int
    links: tuple[dict, ...]
    demo_site_port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"


CENTERS = (
    DemoCenter("hq", 8000, 7443, 30000, (
        {"peer": "branch", "address": "127.0.0.1:7444", "role": "child", "forward": ["aftersales"]},
        {"peer": "partner", "address": "127.0.0.1:7445", "role": "partner",
         "forward": [{"business": "presales", "when": ["overflow", "out_of_hours"], "margin_s": 30}]},
    ), demo_site_port=8010),
    DemoCenter("branch", 8001, 7444, 30500, ({"peer": "hq", "role": "parent", "accept": ["aftersales"]},)),
    DemoCenter("partner", 8002, 7445, 31000, ({"peer": "hq", "role": "partner", "accept": ["presales"]},)),
)


def prepare(var: Path = VAR) -> dict[str, Path]:
    """Certificates (made once) and each center's links file; the files' paths."""
    certs = var / "certs"
    make_ca(certs)
    files = {}
    for center in CENTERS:
        if not (certs / f"{center.name}.pem").exists():
            make_center_certificate(certs, center.name)
        path = var / f"{center.name}-links.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump({
            "name": center.name, "listen": f"127.0.0.1:{center.link_port}",
            "certificate": f"certs/{center.name}.pem", "key": f"certs/{center.name}-key.pem",
            "ca": "certs/ca.pem", "links": list(center.links)}, sort_keys=False))
        files[center.name] = path
    return files


def start(center: DemoCenter, links_file: Path, password: str) -> subprocess.Popen:
    env = {**os.environ, "KEFU_DATA_DIR": str(VAR / center.name), "KEFU_PORT": str(center.http_port),
           "KEFU_CENTER_FILE": str(CONFIG / f"{center.name}.yaml"), "KEFU_LINKS_FILE": str(links_file),
           "KEFU_INSTANCE": f"kefu-{center.name}", "KEFU_SIDE_PORT_BASE": str(center.side_port_base),
           "KEFU_DEMO_SITE_PORT": str(center.demo_site_port), "KEFU_ADMIN_PASSWORD": password}
    for name in ("KEFU_DATABASE_URL", "KEFU_REDIS_URL"):
        env.pop(name, None)
    log = open(VAR / f"{center.name}.log", "ab")
    return subprocess.Popen([sys.executable, "-m", "serve.main"], cwd=PROJECT, env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)


def wait_ready(center: DemoCenter, process: subprocess.Popen, timeout: float = 180) -> None:
    try:
        wait_serving(center.url, process, timeout)
    except NotServing as problem:
        raise SystemExit(f"{center.name}: {problem}; see {VAR / (center.name + '.log')}") from None


def main() -> int:
    password = os.environ.get("KEFU_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
    files = prepare()
    processes = {center.name: start(center, files[center.name], password) for center in CENTERS}
    try:
        for center in CENTERS:
            wait_ready(center, processes[center.name])
        print(f"""
Three linked centers are running (logs and data in {VAR}):
  hq       {CENTERS[0].url}   agents lily / demo-lily (pre-sales), zhao / demo-zhao (supervisor)
  branch   {CENTERS[1].url}   agent  wang / demo-wang (after-sales; hq's child)
  partner  {CENTERS[2].url}   agent  mei / demo-mei (pre-sales; hq's partner)
  admin password of all three: {password}

Try it:
  1. Sign in as wang at {CENTERS[1].url}/desk and go online.
  2. Open {CENTERS[0].url}/chat?skill_group=aftersales (hq's own page) and write: Wang answers
     from the branch, through hq's edge; both centers keep the conversation.
  3. With nobody online for pre-sales at hq, sign in as mei at {CENTERS[2].url}/desk and go
     online; {CENTERS[0].url}/chat?skill_group=presales is served by the partner. Put lily
     online at hq and the next visitor stays at hq.
  4. The links: GET {CENTERS[0].url}/api/v1/admin/links (as admin). Stop the partner and
     its conversations come back to hq's queue within half a minute.
  The demo shop with hq's widget: http://localhost:{CENTERS[0].demo_site_port}/
Ctrl-C stops all three.""", flush=True)
        signal.sigwait({signal.SIGINT, signal.SIGTERM})
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.time() + STOP_WAIT_S
        for process in processes.values():
            try:
                process.wait(max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                pass
            end_session(process.pid)
    return 0



if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    sys.exit(main())
