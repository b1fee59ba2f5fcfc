"""Fixtures shared by both test tiers.

One real Ray instance per test run (this machine has 2 cores): integration
tests take `ray_cluster` and never start their own.
"""

from __future__ import annotations

import os

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


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
    # HAProxy binds a metrics and a stats port; the restart test runs a second Ray
    # beside this one, so each instance gets its own.
    os.environ.setdefault("RAY_SERVE_HAPROXY_METRICS_PORT", "19101")
    os.environ.setdefault("RAY_SERVE_HAPROXY_STATS_PORT", "19102")
    import ray

    ray.init(address="local", num_cpus=4, include_dashboard=False,
             namespace="kefu-tests", log_to_driver=False)
    yield ray
    try:
        from ray import serve

        serve.shutdown()
    finally:
        ray.shutdown()
