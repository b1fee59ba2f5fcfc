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
import sys
import time
from pathlib import Path

from federation.local_centers import CenterProcess, make_certificates
from serve.center_process import NotServing

PROJECT = Path(__file__).resolve().parents[1]
CONFIG = PROJECT / "config" / "cascade"
VAR = PROJECT / "var" / "cascade"
STOP_WAIT_S = 20.0  # then whatever is left of the three is killed (Serve may take longer)
DEMO_SITE_PORT = 8010  # hq's demo shop with its widget


def centers(var: Path = VAR) -> list[CenterProcess]:
    """hq, branch and partner: their ports, links and demo accounts (config/cascade/)."""
    def center(name: str, http_port: int, link_port: int, side_port_base: int, links: list[dict],
               demo_site_port: int = 0) -> CenterProcess:
        return CenterProcess(name, var, http_port, link_port, side_port_base, links, env={
            "KEFU_CENTER_FILE": str(CONFIG / f"{name}.yaml"), "KEFU_DEMO_SITE_PORT": str(demo_site_port)})

    return [
        center("hq", 8000, 7443, 30000, [
            {"peer": "branch", "address": "127.0.0.1:7444", "role": "child", "forward": ["aftersales"]},
            {"peer": "partner", "address": "127.0.0.1:7445", "role": "partner",
             "forward": [{"business": "presales", "when": ["overflow", "out_of_hours"], "margin_s": 30}]},
        ], demo_site_port=DEMO_SITE_PORT),
        center("branch", 8001, 7444, 30500, [{"peer": "hq", "role": "parent", "accept": ["aftersales"]}]),
        center("partner", 8002, 7445, 31000, [{"peer": "hq", "role": "partner", "accept": ["presales"]}]),
    ]


def main() -> int:
    password = os.environ.get("KEFU_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
    hq, branch, partner = everyone = centers()
    make_certificates(VAR, [center.name for center in everyone])
    for center in everyone:
        center.start(password)
    try:
        for center in everyone:
            try:
                center.wait_serving()
            except NotServing:
                raise SystemExit(f"{center.name} did not start; see {center.log_path}") from None
        print(f"""
Three linked centers are running (logs and data in {VAR}):
  hq       {hq.url}   agents lily / demo-lily (pre-sales), zhao / demo-zhao (supervisor)
  branch   {branch.url}   agent  wang / demo-wang (after-sales; hq's child)
  partner  {partner.url}   agent  mei / demo-mei (pre-sales; hq's partner)
  admin password of all three: {password}

Try it:
  1. Sign in as wang at {branch.url}/desk and go online.
  2. Open {hq.url}/chat?skill_group=aftersales (hq's own page) and write: Wang answers
     from the branch, through hq's edge; both centers keep the conversation.
  3. With nobody online for pre-sales at hq, sign in as mei at {partner.url}/desk and go
     online; {hq.url}/chat?skill_group=presales is served by the partner. Put lily
     online at hq and the next visitor stays at hq.
  4. The links: GET {hq.url}/api/v1/admin/links (as admin). Stop the partner and
     its conversations come back to hq's queue within half a minute.
  The demo shop with hq's widget: http://localhost:{DEMO_SITE_PORT}/
Ctrl-C stops all three.""", flush=True)
        signal.sigwait({signal.SIGINT, signal.SIGTERM})
    except KeyboardInterrupt:
        pass
    finally:
        for center in everyone:  # all three drain at once
            center.send_signal(signal.SIGTERM)
        deadline = time.time() + STOP_WAIT_S
        for center in everyone:
            center.stop(wait_s=max(0.1, deadline - time.time()))
    return 0


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    sys.exit(main())
