"""Baseline: a bare Ray Serve websocket echo in each ingress mode (DESIGN.md decision 7).

Modes:
- "proxy": Serve's default Python proxy on the configured port;
- "direct" (RAY_SERVE_ENABLE_DIRECT_INGRESS=1): the ingress replica runs its own
  HTTP server on a port Serve allocates from RAY_SERVE_DIRECT_INGRESS_MIN/MAX_HTTP_PORT
  (read back from the controller's target groups); the head-node proxy still
  serves the configured port, so clients must be pointed at the replica port;
- "haproxy" (RAY_SERVE_ENABLE_HA_PROXY=1, which turns direct ingress on too):
  HAProxy on the configured port in front of the replica's port. The center runs this.

The floor of the relay is the mode the center serves in (KEFU_INGRESS, HAProxy
unless set), with HAProxy's connection limit sized as serve/main.py sizes it.
Besides the closed-loop figures, that mode and the proxy one get the open-loop
rate stepper (benchmarks.lib.echo_stepper) at the relay's connection count:
`serve_echo_capacity_msgs_per_s_at_p99_100ms`, the floor of the relay's capacity.

Serve reads these flags when it is imported, so each host subprocess
(benchmarks.lib.serve_echo_host) gets them in its environment and its own local
Ray; the load comes from this process's load workers. Two hosts serve the three
modes: the proxy one, and the HAProxy one, whose replica port (what HAProxy
forwards to) is the direct-ingress edge, measured there (a Ray start saved).

Ports, from --port-base B (default 18510): proxy B; direct B+1 (proxy) and
B+2..B+5 (replica); haproxy B+6 and B+7..B+10 (replica); gRPC ranges B+11..B+18
(never opened: the echo has no gRPC servicer, but Serve's default range 40000+
would leave our block). Ray metrics and HAProxy side ports from
benchmarks.lib.ports.ECHO_SERVE_METRICS.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.lib import ports
from benchmarks.lib.echo_load import connection_counts, measure_echo
from benchmarks.lib.echo_stepper import step_echo
from benchmarks.lib.fragment import common_args, metric, write_fragment
from benchmarks.relay import FULL as RELAY_FULL
from benchmarks.relay import QUICK as RELAY_QUICK
from serve.main import haproxy_maxconn, open_file_limit

MODES = ("proxy", "direct", "haproxy")
# The modes that get a host of their own; "direct" is measured on the HAProxy host.
HOSTS = ("proxy", "haproxy")
# The center's ingress, as config/settings.py reads it (HAProxy by default).
CENTER_MODE = os.environ.get("KEFU_INGRESS", "haproxy").strip() or "haproxy"
# The modes the open-loop stepper runs against: the center's, and the proxy one
# beside it (the two read 1.66 vs 1.33 ms one afternoon, in that order).
STEPPED_MODES = tuple(dict.fromkeys((CENTER_MODE, "proxy")))
# The center's default KEFU_MAX_CONNECTIONS (config/settings.py): HAProxy is
# started with the connection limit the center gives it.
CENTER_MAX_CONNECTIONS = int(os.environ.get("KEFU_MAX_CONNECTIONS", "20000"))
# Headroom over the planned sockets: an open websocket holds a replica slot for
# its whole life, and readiness probes need some more.
SLOT_MARGIN = 100
HOST_START_TIMEOUT_S = 180
HOST_STOP_TIMEOUT_S = 60

# Offsets from --port-base: (HTTP port, first of 4 replica ports, first of 4 gRPC ports).
_PORT_OFFSETS: dict[str, tuple[int, int | None, int | None]] = {
    "proxy": (0, None, None),
    "direct": (1, 2, 11),
    "haproxy": (6, 7, 15),
}
_RANGE = 4


def mode_environment(mode: str, port_base: int, max_connections: int) -> dict[str, str]:
    """What the host process of `mode` needs in its environment before Ray starts."""
    _http, replica, grpc = _PORT_OFFSETS[mode]
    env: dict[str, str] = {}
    if replica is not None and grpc is not None:
        env.update({
            "RAY_SERVE_DIRECT_INGRESS_MIN_HTTP_PORT": str(port_base + replica),
            "RAY_SERVE_DIRECT_INGRESS_MAX_HTTP_PORT": str(port_base + replica + _RANGE - 1),
            "RAY_SERVE_DIRECT_INGRESS_MIN_GRPC_PORT": str(port_base + grpc),
            "RAY_SERVE_DIRECT_INGRESS_MAX_GRPC_PORT": str(port_base + grpc + _RANGE - 1),
            # Replicas otherwise stay up 30 s at shutdown for an outside load
            # balancer to deregister them; there is none here.
            "RAY_SERVE_DIRECT_INGRESS_MIN_DRAINING_PERIOD_S": "0",
        })
    if mode == "direct":
        env["RAY_SERVE_ENABLE_DIRECT_INGRESS"] = "1"
    if mode == "haproxy":
        env.update({
            "RAY_SERVE_ENABLE_HA_PROXY": "1",
            "RAY_SERVE_HAPROXY_METRICS_PORT": str(ports.ECHO_SERVE_METRICS + len(MODES)),
            "RAY_SERVE_HAPROXY_STATS_PORT": str(ports.ECHO_SERVE_METRICS + len(MODES) + 1),
            # Its fallback proxy too, off Serve's defaults another Ray may hold.
            "RAY_SERVE_FALLBACK_PROXY_HTTP_PORT": str(ports.ECHO_SERVE_METRICS + len(MODES) + 2),
            "RAY_SERVE_FALLBACK_PROXY_GRPC_PORT": str(ports.ECHO_SERVE_METRICS + len(MODES) + 3),
            # As the center sets it (serve/main.py), never fewer than the planned sockets.
            "RAY_SERVE_HAPROXY_MAXCONN": str(max(
                max_connections + 1000, haproxy_maxconn(CENTER_MAX_CONNECTIONS, open_file_limit()))),
        })
    return env


def measure_host(mode: str, port_base: int, quick: bool, tmp: Path) -> dict[str, dict]:
    """Start the mode's host, measure its echo (and the direct-ingress port beside
    HAProxy), stop it. Returns measure_echo's result plus the URL, per mode."""
    stepper = stepper_plan(quick)
    max_connections = max(*connection_counts(quick), stepper["connections"])
    ready_file = tmp / f"{mode}.ready"
    command = [sys.executable, "-m", "benchmarks.lib.serve_echo_host", "--mode", mode,
               "--http-port", str(port_base + _PORT_OFFSETS[mode][0]),
               "--metrics-port", str(ports.ECHO_SERVE_METRICS + MODES.index(mode)),
               "--max-ongoing", str(max_connections + SLOT_MARGIN),
               "--ready-file", str(ready_file)]
    host = subprocess.Popen(command, stdin=subprocess.PIPE,
                            env=os.environ | mode_environment(mode, port_base, max_connections))
    try:
        urls = _wait_ready(host, ready_file)
        measured = {mode: urls["url"]}
        if mode == "haproxy":
            measured["direct"] = urls["direct_url"]
        results = {}
        for measured_mode, url in measured.items():
            results[measured_mode] = measure_echo(url, quick, label=f"serve-{measured_mode}")
            results[measured_mode]["url"] = url
            if measured_mode in STEPPED_MODES:
                results[measured_mode]["stepper"] = step_echo(
                    url, stepper["connections"], stepper["rates"], stepper["step_s"],
                    stepper["gap_s"], label=f"serve-{measured_mode}")
        return results
    finally:
        # Closing its stdin tells the host to shut Serve and Ray down.
        assert host.stdin is not None
        host.stdin.close()
        try:
            host.wait(timeout=HOST_STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            host.terminate()
            host.wait()


def stepper_plan(quick: bool) -> dict:
    """The relay's stepper, so the two capacities are measured alike."""
    relay = RELAY_QUICK if quick else RELAY_FULL
    return {"connections": relay["conversations"], "rates": relay["step_rates"],
            "step_s": relay["step_s"], "gap_s": relay["step_gap_s"]}


def _wait_ready(host: subprocess.Popen, ready_file: Path) -> dict[str, str]:
    deadline = time.monotonic() + HOST_START_TIMEOUT_S
    while not ready_file.exists():
        if host.poll() is not None:
            raise RuntimeError(f"the Serve echo host exited with code {host.returncode}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"the Serve echo host was not ready in {HOST_START_TIMEOUT_S} s")
        time.sleep(0.2)
    return json.loads(ready_file.read_text())


def fragment_parts(results: dict[str, dict], notes: list[str]) -> tuple[dict, dict, list[str]]:
    """Metrics, series and notes of the measured modes."""
    metrics: dict[str, dict] = {}
    series: dict[str, list] = {}
    for mode, result in results.items():
        label = f"serve-{mode} echo"
        latency = result["latency"]
        metrics[f"serve_{mode}_echo_p50_ms"] = metric(latency["p50"], "ms")
        metrics[f"serve_{mode}_echo_p99_ms"] = metric(latency["p99"], "ms")
        series[f"cdf:{label}"] = result["latency_ms"]
        series[f"throughput:{label}"] = result["throughput"]
        notes.extend(result["notes"])
        notes.append(f"echo_serve: {mode} mode measured at {result['url']}")
        if result["throughput"]:
            top_connections, top_rate = result["throughput"][-1]
            metrics[f"serve_{mode}_echo_msgs_per_s"] = metric(top_rate, "msg/s")
            notes.append(f"serve_{mode}_echo_msgs_per_s is at {int(top_connections)} connections")
        if "stepper" in result:
            metrics[f"serve_{mode}_echo_capacity_msgs_per_s_at_p99_100ms"] = metric(
                result["stepper"]["capacity"], "msg/s")
            series[f"steps:serve-{mode} echo"] = result["stepper"]["steps"]
            notes.append(result["stepper"]["note"])
    if CENTER_MODE in results:
        center = results[CENTER_MODE]
        metrics["serve_echo_p50_ms"] = metric(center["latency"]["p50"], "ms")
        metrics["serve_echo_p99_ms"] = metric(center["latency"]["p99"], "ms")
        if "stepper" in center:
            metrics["serve_echo_capacity_msgs_per_s_at_p99_100ms"] = metric(
                center["stepper"]["capacity"], "msg/s")
        if center["throughput"]:
            metrics["serve_echo_msgs_per_s"] = metric(center["throughput"][-1][1], "msg/s")
            for connections, rate in center["throughput"]:
                metrics[f"serve_echo_msgs_per_s_at_{int(connections)}"] = metric(rate, "msg/s")
    return metrics, series, notes


def main() -> None:
    args = common_args(__doc__, ports.ECHO_SERVE_HTTP).parse_args()
    results: dict[str, dict] = {}
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-echo-serve-") as tmp:
        for mode in HOSTS:
            try:
                results.update(measure_host(mode, args.port_base, args.quick, Path(tmp)))
            except (RuntimeError, TimeoutError) as error:
                notes.append(f"echo_serve: {mode} host failed: {error}")
    results = {mode: results[mode] for mode in MODES if mode in results}
    write_fragment(args.out, *fragment_parts(results, notes))
    if not results:
        sys.exit("echo_serve: no mode could be measured")


if __name__ == "__main__":
    main()
