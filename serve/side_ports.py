"""The ports Serve opens beside the center's own, moved together by one setting.

Besides `KEFU_PORT`, Serve in HAProxy mode listens on HAProxy's metrics and stats
ports, a fallback Python proxy (HTTP and gRPC) that HAProxy forwards to while
no replica is ready, and a port per replica. Each has a fixed default, so two
Ray instances on one machine (two centers, or a center and the test suite)
collide; the fallback proxy collision is the treacherous one: the second
center's HAProxy reached the first center's app, which answered for it.
`KEFU_SIDE_PORT_BASE` moves all of them into [base, base + SIDE_PORT_SPAN).
Serve reads them when Ray starts, so they go in the environment before ray.init().
"""

from __future__ import annotations

SIDE_PORT_SPAN = 500


def side_port_environment(base: int) -> dict[str, str]:
    ports = {
        "RAY_SERVE_HAPROXY_METRICS_PORT": base,
        "RAY_SERVE_HAPROXY_STATS_PORT": base + 1,
        "RAY_SERVE_FALLBACK_PROXY_HTTP_PORT": base + 2,
        "RAY_SERVE_FALLBACK_PROXY_GRPC_PORT": base + 3,
        "RAY_SERVE_DIRECT_INGRESS_MIN_HTTP_PORT": base + 100,
        "RAY_SERVE_DIRECT_INGRESS_MAX_HTTP_PORT": base + 299,
        "RAY_SERVE_DIRECT_INGRESS_MIN_GRPC_PORT": base + 300,
        "RAY_SERVE_DIRECT_INGRESS_MAX_GRPC_PORT": base + 499,
    }
    return {name: str(port) for name, port in ports.items()}
