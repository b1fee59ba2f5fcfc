"""A center run as its own process (`python -m serve.main`), as the demo of linked
centers, the cascade tests and the benchmarks start them: waiting until it serves, and
ending whatever it leaves behind."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import httpx


class NotServing(RuntimeError):
    pass


def wait_serving(url: str, process: subprocess.Popen, timeout_s: float, poll_s: float = 0.5) -> None:
    """Returns once `url`/healthz answers 200; NotServing if the process exits or the
    time runs out first."""
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        if process.poll() is not None:
            raise NotServing(f"the center exited ({process.returncode})")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(poll_s)
    raise NotServing(f"the center did not serve within {timeout_s:.0f} s")


def end_session(sid: int) -> None:
    """Whatever a center left in its session (HAProxy outlives a Serve that could not shut
    down in time, and would hold the center's ports)."""
    import psutil

    for pid in psutil.pids():
        try:
            if os.getsid(pid) == sid:
                os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
