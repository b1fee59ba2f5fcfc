"""Thread hand-offs in the center's processes.

A Ray worker runs its actor's event loop in one thread while Ray's own threads
receive calls and send replies, and aiosqlite runs each SQLite connection in a
thread of its own. A message crossing the center changes threads several times,
and a thread that wants the GIL while another holds it waits up to the
interpreter's switch interval: 5 ms by default. Nothing here computes for long
stretches, so a shorter interval costs little throughput and cuts that wait.
Measured with one conversation on an idle center (300 messages, noisy): relay
p50 10.9 -> 9.7 ms, p99 34 -> 19 ms.
"""

from __future__ import annotations

import sys

SWITCH_INTERVAL_S = 0.0005


def shorten_thread_switches() -> None:
    """Called first thing in every long-lived center process (shards, hub, gateway)."""
    sys.setswitchinterval(SWITCH_INTERVAL_S)
