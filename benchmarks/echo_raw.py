"""Baseline: a bare Starlette + uvicorn websocket echo, the fastest edge Python offers here.

Runs the server in a process of its own and measures it with the shared echo load
client (benchmarks.lib.echo_load), like every other echo baseline.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp

import uvicorn
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute

from benchmarks.lib import ports
from benchmarks.lib.echo_load import ECHO_PATH, echo_socket, measure_echo, wait_for_echo
from benchmarks.lib.fragment import common_args, metric, write_fragment
from benchmarks.lib.procs import raise_fd_limit

LABEL = "raw echo"
# The connection count the headline throughput figure is read at (DESIGN.md decision 7).
HEADLINE_CONNECTIONS = 100

app = Starlette(routes=[WebSocketRoute(ECHO_PATH, echo_socket)])


def _serve(port: int) -> None:
    raise_fd_limit()
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False,
                ws_ping_interval=None, backlog=4096)


def main() -> None:
    args = common_args(__doc__, ports.ECHO_RAW_HTTP).parse_args()
    url = f"ws://127.0.0.1:{args.port_base}{ECHO_PATH}"
    server = mp.get_context("spawn").Process(target=_serve, args=(args.port_base,), name="echo-raw")
    server.start()
    try:
        asyncio.run(wait_for_echo(url, timeout_s=30))
        result = measure_echo(url, args.quick, label=LABEL)
    finally:
        server.terminate()
        server.join(timeout=10)

    latency = result["latency"]
    throughput = {int(load): rate for load, rate in result["throughput"]}
    metrics = {
        "raw_echo_p50_ms": metric(latency["p50"], "ms"),
        "raw_echo_p99_ms": metric(latency["p99"], "ms"),
    }
    if HEADLINE_CONNECTIONS in throughput:
        metrics["raw_echo_msgs_per_s"] = metric(throughput[HEADLINE_CONNECTIONS], "msg/s")
    for connections, rate in throughput.items():
        metrics[f"raw_echo_msgs_per_s_at_{connections}"] = metric(rate, "msg/s")
    write_fragment(args.out, metrics,
                   series={f"cdf:{LABEL}": result["latency_ms"],
                           f"throughput:{LABEL}": result["throughput"]},
                   notes=result["notes"])


if __name__ == "__main__":
    main()
