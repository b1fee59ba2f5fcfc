"""Load processes: one OS process per config, a shared progress bar, results in order.

Load generators run in processes of their own so that the client is not one
Python event loop bottlenecked on the GIL, and so that a scenario can spread its
connections over several cores as a real crowd of browsers would.

A worker is `async def function(config: dict, progress: Callable[[int], None]) -> dict`
named as "package.module:function". It calls `progress(n)` for every n units of
work done (messages, assignments…); the parent adds them up in a tqdm bar. It
returns a JSON-serializable dict.

Starting together (the start barrier): a worker does its set-up (opening
connections, logging in) first and then `await wait_for_start(config)`, so that
the measured phases of all workers overlap. That call returns once every worker
of the same run_workers call has made it (so either all workers call it or none
does) and, when the config carries `start_at` (a `time.time()` value the parent
chose), not before that moment: the convention for starting at a wall-clock time
the parent lines up with something else. It returns how late the worker was for
`start_at` (0 when it had to wait), so a caller can tell overlapping windows from
staggered ones.
"""

from __future__ import annotations

import asyncio
import importlib
import multiprocessing as mp
import queue
import resource
import threading
import time
import traceback
from collections.abc import Callable
from multiprocessing.sharedctypes import Synchronized
from typing import Any

from tqdm import tqdm

# The bar redraws ~5 times a second; workers push their counts twice as often.
_BAR_INTERVAL_S = 0.2
_FLUSH_INTERVAL_S = 0.1
# Longest set-up a worker may take before the barrier gives up on the others.
BARRIER_TIMEOUT_S = 600.0

# This process's share of the start barrier, when it is a load worker.
_start_barrier: threading.Barrier | None = None


class WorkerError(RuntimeError):
    """A load worker failed; the message holds its traceback."""


async def wait_for_start(config: dict) -> float:
    """The start barrier (see the module docstring). Returns how late we were for
    config["start_at"], in seconds."""
    if _start_barrier is not None:
        # In a thread: the event loop must keep serving the open connections meanwhile.
        await asyncio.to_thread(_start_barrier.wait, BARRIER_TIMEOUT_S)
    start_at = config.get("start_at")
    if start_at is None:
        return 0.0
    delay = start_at - time.time()
    if delay > 0:
        await asyncio.sleep(delay)
        return 0.0
    return -delay


def raise_fd_limit() -> int:
    """Lift this process's open-file limit to the hard limit (thousands of sockets
    need thousands of descriptors). Returns the new soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    # An unlimited hard limit still can't exceed the kernel's nr_open (2**20 by default).
    wanted = 2**20 if hard == resource.RLIM_INFINITY else hard
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    except (ValueError, OSError):
        return soft
    return wanted


def run_workers(target: str, configs: list[dict], desc: str, total: int | None = None) -> list[dict]:
    """Run `target` once per config, each in its own spawned process; return their
    results in config order. Raises WorkerError with the traceback of the first
    worker that fails (the others are stopped)."""
    context = mp.get_context("spawn")
    counter = context.Value("q", 0)
    results_queue = context.Queue()
    barrier = context.Barrier(len(configs))
    processes = [
        context.Process(target=_worker_main,
                        args=(target, config, index, counter, barrier, results_queue),
                        name=f"{desc}-{index}")
        for index, config in enumerate(configs)
    ]
    for process in processes:
        process.start()
    results: dict[int, dict] = {}
    try:
        with tqdm(total=total, desc=desc, unit="msg", mininterval=_BAR_INTERVAL_S,
                  dynamic_ncols=True) as bar:
            while len(results) < len(configs):
                try:
                    index, ok, payload = results_queue.get(timeout=_BAR_INTERVAL_S)
                except queue.Empty:
                    _check_alive(processes, results)
                else:
                    if not ok:
                        raise WorkerError(f"load worker {index} ({target}) failed:\n{payload}")
                    results[index] = payload
                bar.update(counter.value - bar.n)
    finally:
        failed = len(results) < len(configs)
        for process in processes:
            if failed and process.is_alive():
                process.terminate()
            process.join(timeout=10)
    return [results[index] for index in range(len(configs))]


def _check_alive(processes: list[mp.process.BaseProcess], results: dict[int, dict]) -> None:
    # A worker killed from outside (OOM, signal) never reports; don't wait forever.
    for index, process in enumerate(processes):
        if index not in results and not process.is_alive() and process.exitcode not in (None, 0):
            raise WorkerError(f"load worker {index} died with exit code {process.exitcode}")


class _Progress:
    """progress(n) for one worker: counts locally and pushes to the shared counter
    at most every _FLUSH_INTERVAL_S, so a per-message call costs no lock."""

    def __init__(self, counter: Synchronized) -> None:
        self._counter = counter
        self._pending = 0
        self._flushed_at = time.monotonic()

    def __call__(self, n: int) -> None:
        self._pending += n
        if time.monotonic() - self._flushed_at >= _FLUSH_INTERVAL_S:
            self.flush()

    def flush(self) -> None:
        with self._counter.get_lock():
            self._counter.value += self._pending
        self._pending = 0
        self._flushed_at = time.monotonic()


def _load(target: str) -> Callable[[dict, Callable[[int], None]], Any]:
    module_name, _, function_name = target.partition(":")
    if not function_name:
        raise ValueError(f"target must be 'package.module:function', not {target!r}")
    return getattr(importlib.import_module(module_name), function_name)


def _worker_main(target: str, config: dict, index: int, counter: Synchronized,
                 barrier: threading.Barrier, results_queue: mp.Queue) -> None:
    global _start_barrier
    _start_barrier = barrier
    progress = _Progress(counter)
    try:
        result = asyncio.run(_load(target)(config, progress))
    except BaseException:  # noqa: BLE001 - every failure goes back to the parent as text
        progress.flush()
        results_queue.put((index, False, traceback.format_exc()))
    else:
        # Flush before reporting: the parent stops reading the counter once all have reported.
        progress.flush()
        results_queue.put((index, True, result))
