"""`make up`: one center on the embedded default, serving until interrupted."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading

from config.settings import Settings, SettingsError
from serve.side_ports import side_port_environment


# HAProxy reserves descriptors for maxconn connections (client and replica side)
# plus maxconn/4 pipes of two ends: 2.5 per connection (measured: maxconn 9,500
# asks for 23,786). It refuses to start if it cannot raise its limit that far.
FDS_PER_PROXIED_CONNECTION = 2.5
FD_RESERVE = 1000


def open_file_limit() -> int:
    """Raise this process's descriptor limit to the hard limit (Ray's processes
    inherit it) and return it."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        soft = hard
    return soft if soft != resource.RLIM_INFINITY else 1_000_000


def haproxy_maxconn(max_connections: int, fd_limit: int) -> int:
    wanted = max_connections + FD_RESERVE
    affordable = int((fd_limit - FD_RESERVE) // FDS_PER_PROXIED_CONNECTION)
    if wanted > affordable:
        logging.getLogger(__name__).warning(
            "the open-file limit (%d) lets HAProxy hold %d connections, fewer than "
            "KEFU_MAX_CONNECTIONS=%d; raise `ulimit -Hn` for more", fd_limit, affordable,
            max_connections)
    return max(1, min(wanted, affordable))


def ingress_environment(settings: Settings) -> dict[str, str]:
    """Serve reads these when Ray starts, so they must be set before ray.init()."""
    maxconn = haproxy_maxconn(settings.max_connections, open_file_limit())
    env = {"RAY_SERVE_HAPROXY_MAXCONN": str(maxconn)}
    if settings.side_port_base is not None:
        env.update(side_port_environment(settings.side_port_base))
    # Explicit, both ways: an inherited RAY_SERVE_* flag must not contradict KEFU_INGRESS.
    env["RAY_SERVE_ENABLE_HA_PROXY"] = "1" if settings.ingress == "haproxy" else "0"
    env["RAY_SERVE_ENABLE_DIRECT_INGRESS"] = "1" if settings.ingress == "direct" else "0"
    return env


def demo_site_port() -> int:
    """KEFU_DEMO_SITE_PORT: the demo customer site's port (8001; 0 turns it off)."""
    raw = os.environ.get("KEFU_DEMO_SITE_PORT", "8001").strip()
    if not raw.isdigit() or int(raw) > 65535:
        raise SettingsError(f"KEFU_DEMO_SITE_PORT must be a port number or 0, not {raw!r}")
    return int(raw)


def start_demo_site(center_url: str):
    """The demo site of serve/ui/demo_site.py, on the center's host; None when off or
    its port is taken (the center serves on regardless)."""
    from serve.ui.demo_site import DemoSite

    port = demo_site_port()
    if port == 0:
        return None
    host = "localhost" if "127.0.0.1" in center_url else "127.0.0.1"  # another origin
    try:
        return DemoSite(center_url, host=host, port=port).start()
    except OSError as error:
        logging.getLogger(__name__).warning("demo site not started on port %d: %s", port, error)
        return None


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = Settings.from_env()
        demo_site_port()
    except SettingsError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    # The center's settings win over whatever RAY_SERVE_* the shell passed down.
    os.environ.update(ingress_environment(settings))

    import ray

    from serve.bootstrap import start_center

    ray.init(address="local", include_dashboard=False, namespace=settings.namespace,
             log_to_driver=os.environ.get("KEFU_RAY_LOGS", "0") == "1")
    started = start_center(settings)
    print(f"\nThe center '{settings.center_id}' is serving at {started.url}", flush=True)
    print(f"  data: {settings.database_url.split('@')[-1]}   bus: "
          f"{'redis' if settings.redis_url else 'in-cluster'}   ingress: {settings.ingress}", flush=True)
    if started.generated_admin_password:
        print(f"  admin password (shown once; set KEFU_ADMIN_PASSWORD to choose one): "
              f"{started.generated_admin_password}", flush=True)
    demo = start_demo_site(started.url)
    print(f"  visitors' chat:   {started.url}/chat", flush=True)
    print(f"  agent workspace:  {started.url}/desk", flush=True)
    print(f"  console (supervisors, admins): {started.url}/console", flush=True)
    if demo is not None:
        print(f"  a customer's site with the widget embedded: {demo.url}/", flush=True)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    print("stopping…", flush=True)
    from ray import serve

    serve.shutdown()
    ray.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
