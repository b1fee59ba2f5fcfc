"""The port plan of a benchmark run, so scripts never collide with each other
or with a center or test suite on the usual ports (8000, 8404, 9101…).

By default: HTTP ports 18500-18549, Ray metrics and HAProxy side ports
19150-19169; the center scenarios' Serve side ports 22000-22499. The federation
scenario's linked centers: HTTP 18560-18569, link ports 18570-18579, Serve side
ports 22500-23999 (500 a center). All clear of the test suite's (18000, 18100,
18300-18360, 20000, 21000, 26000-27500) and of `make demo-cascade`'s (8000-8002,
7443-7445, 30000-31499).

KEFU_BENCH_PORT_BASE=B moves the whole plan into [B, B + 2100), for a second
run on the same machine (another developer's benchmarks, a test suite on the
defaults): HTTP B..B+79, metrics B+80..B+99, center side ports B+100..B+599,
federation side ports B+600..B+2099. Every script reads it (benchmarks.run
passes its environment down).
"""

import os

PORT_BASE_ENV = "KEFU_BENCH_PORT_BASE"
_base = os.environ.get(PORT_BASE_ENV, "").strip()

if _base:
    _B = int(_base)
    ECHO_RAW_HTTP = _B                 # one port
    ECHO_SERVE_HTTP = _B + 10          # +10..+29: three ingress modes, see echo_serve.py
    CENTER_HTTP = _B + 30              # +30..+49: the center scenarios
    FEDERATION_HTTP = _B + 60          # +60..+69: hq, branch
    FEDERATION_LINKS = _B + 70         # +70..+79
    RAY_ACTOR_RTT_METRICS = _B + 80    # one port
    ECHO_SERVE_METRICS = _B + 90       # +90..+99
    CENTER_SIDE_PORTS = _B + 100       # +100..+599
    FEDERATION_SIDE_PORTS = _B + 600   # +600..+2099: 500 per center
else:
    ECHO_RAW_HTTP = 18500            # one port
    ECHO_SERVE_HTTP = 18510          # 18510-18529: three ingress modes, see echo_serve.py
    CENTER_HTTP = 18530              # 18530-18549: the center scenarios
    FEDERATION_HTTP = 18560          # 18560-18569: hq, branch
    FEDERATION_LINKS = 18570         # 18570-18579: hq, branch, the relay in front of branch, the link pump
    RAY_ACTOR_RTT_METRICS = 19150    # one port
    ECHO_SERVE_METRICS = 19160       # 19160-19169
    # The center's Serve side listeners (serve/side_ports.py): 22000-22499.
    CENTER_SIDE_PORTS = 22000
    FEDERATION_SIDE_PORTS = 22500    # 22500-23999: 500 per center
