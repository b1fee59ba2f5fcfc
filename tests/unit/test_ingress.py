"""Sizing HAProxy to the descriptors the machine allows (it refuses to start otherwise)."""

from serve.main import FD_RESERVE, haproxy_maxconn


def test_maxconn_follows_the_planned_connections_when_descriptors_allow():
    assert haproxy_maxconn(2_000, 1_000_000) == 2_000 + FD_RESERVE


def test_maxconn_is_capped_by_the_open_file_limit():
    # 20,000 descriptors (this machine's hard limit) hold 7,600 proxied connections.
    assert haproxy_maxconn(20_000, 20_000) == 7_600


def test_maxconn_never_drops_below_one():
    assert haproxy_maxconn(10, 100) == 1
