"""Fixtures shared by both test tiers.

One real Ray instance per test run (this machine has 2 cores): integration
tests take `ray_cluster` and never start their own.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from serve.side_ports import side_port_environment
from tests.ray_logs import RayLogs

IN_CI = os.environ.get("CI", "").lower() == "true"
# Moved with KEFU_TEST_SIDE_PORT_BASE when two test runs share a machine.
SESSION_SIDE_PORTS = int(os.environ.get("KEFU_TEST_SIDE_PORT_BASE", "20000"))


def external_service_url(env_var: str) -> str:
    """The URL of a real PostgreSQL/Redis for tests; required (never skipped) in CI."""
    url = os.environ.get(env_var, "")
    if not url:
        if IN_CI:
            pytest.fail(f"{env_var} must be set when CI=true (.ci/run sets it)")
        pytest.skip(f"{env_var} is not set")
    return url


@pytest.fixture(scope="session")
def postgres_url() -> str:
    return external_service_url("KEFU_TEST_DATABASE_URL")


@pytest.fixture(scope="session")
def redis_url() -> str:
    return external_service_url("KEFU_TEST_REDIS_URL")


@pytest.fixture(scope="session")
def ray_cluster():
    """The one Ray instance of this test run (HAProxy ingress, as the center runs)."""
    os.environ.setdefault("RAY_SERVE_ENABLE_HA_PROXY", "1")
    # Serve's side listeners away from their defaults (a center started by hand
    # may hold those) and from the restart test's second Ray (serve/side_ports.py).
    for name, port in side_port_environment(SESSION_SIDE_PORTS).items():
        os.environ.setdefault(name, port)
    # Nothing to drain at the end of a test run: don't wait 30 s for it.
    os.environ.setdefault("RAY_SERVE_DIRECT_INGRESS_MIN_DRAINING_PERIOD_S", "0")
    import ray

    ray.init(address="local", num_cpus=4, include_dashboard=False,
             namespace="kefu-tests", log_to_driver=False)
    global _ray_logs
    _ray_logs = RayLogs(Path(ray._private.worker.global_worker.node.get_logs_dir_path()))
    _ray_logs.mark()
    yield ray
    try:
        from ray import serve

        serve.shutdown()
    finally:
        ray.shutdown()


# The shared Ray's log files, once it runs: a failed test's report shows what the
# center logged meanwhile (tests/ray_logs.py).
_ray_logs: RayLogs | None = None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    if _ray_logs is not None:
        _ray_logs.mark()
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed and _ray_logs is not None:
        errors = _ray_logs.errors_since_mark()
        if errors:
            report.sections.append(("what the center logged", errors))
