"""A local Ray with a bare Serve websocket echo, for benchmarks.echo_serve.

`python -m benchmarks.lib.serve_echo_host --mode M --http-port P ... --ready-file F`
starts Ray (address="local") and Serve, deploys the echo, writes
`{"url": ws-url}` to F once it answers (in HAProxy mode also `"direct_url"`:
the replica's own port, which HAProxy forwards to), and serves until its stdin
closes; then it shuts Serve and Ray down. The ingress flags (RAY_SERVE_ENABLE_*) must already
be in its environment: Serve reads them when it is imported.

The load runs in the parent's processes, not here, so that load workers spawned
by multiprocessing never import Ray.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

import ray
from fastapi import FastAPI, WebSocket
from ray import serve
from ray.serve._private.common import RequestProtocol
from ray.serve.context import _get_global_client

from benchmarks.lib.echo_load import ECHO_PATH, echo_socket, wait_for_echo
from benchmarks.lib.procs import raise_fd_limit

APP_NAME = "echo"

echo_api = FastAPI()


@echo_api.websocket(ECHO_PATH)
async def echo(websocket: WebSocket) -> None:
    await echo_socket(websocket)


@serve.deployment(name="echo", logging_config={"enable_access_log": False})
@serve.ingress(echo_api)
class Echo:
    """Carries echo_api into Serve; the route needs no replica state."""


def direct_ingress_url(http_port: int) -> str:
    """The replica's own HTTP server, at the port the controller hands to load
    balancers (the head-node proxy keeps serving `http_port` beside it)."""
    controller = _get_global_client()._controller
    for group in ray.get(controller.get_target_groups.remote(APP_NAME)):
        if group.protocol == RequestProtocol.HTTP:
            replica_ports = {target.port for target in group.targets} - {http_port}
            if replica_ports:
                return f"ws://127.0.0.1:{min(replica_ports)}{ECHO_PATH}"
    raise RuntimeError("direct ingress: the controller lists no replica HTTP port")


def replica_port_url(http_port: int) -> str:
    """In HAProxy mode the controller's target groups name HAProxy, not the replica:
    find the replica's own server in the direct-ingress port range Serve binds it in."""
    import os
    import socket

    low = int(os.environ["RAY_SERVE_DIRECT_INGRESS_MIN_HTTP_PORT"])
    high = int(os.environ["RAY_SERVE_DIRECT_INGRESS_MAX_HTTP_PORT"])
    for port in range(low, high + 1):
        if port == http_port:
            continue
        with socket.socket() as probe:
            probe.settimeout(0.5)
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return f"ws://127.0.0.1:{port}{ECHO_PATH}"
    raise RuntimeError(f"no replica listening on ports {low}-{high}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mode", choices=("proxy", "direct", "haproxy"), required=True)
    parser.add_argument("--http-port", type=int, required=True)
    parser.add_argument("--metrics-port", type=int, required=True, help="Ray's metrics export port")
    parser.add_argument("--max-ongoing", type=int, required=True,
                        help="replica slots: one per open websocket, plus headroom")
    parser.add_argument("--ready-file", type=Path, required=True)
    args = parser.parse_args()

    raise_fd_limit()
    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False,
             object_store_memory=200 * 1024**2, _metrics_export_port=args.metrics_port)
    try:
        serve.start(http_options={"host": "127.0.0.1", "port": args.http_port})
        serve.run(Echo.options(max_ongoing_requests=args.max_ongoing, max_queued_requests=-1).bind(),
                  name=APP_NAME, route_prefix="/")
        urls = {"url": f"ws://127.0.0.1:{args.http_port}{ECHO_PATH}"}
        if args.mode in ("direct", "haproxy"):
            # HAProxy mode turns direct ingress on: the replica port it forwards to
            # is the direct-ingress edge itself, so one Ray serves both measurements.
            urls["direct_url"] = (direct_ingress_url(args.http_port) if args.mode == "direct"
                                  else replica_port_url(args.http_port))
        if args.mode == "direct":
            urls["url"] = urls["direct_url"]
        for url in urls.values():
            asyncio.run(wait_for_echo(url))
        args.ready_file.write_text(json.dumps(urls))
        sys.stdin.read()
    finally:
        serve.shutdown()
        ray.shutdown()


if __name__ == "__main__":
    main()
