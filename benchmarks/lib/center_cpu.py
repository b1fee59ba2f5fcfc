"""CPU time the center spends over a window (`relay_cpu_ms_per_message`).

CPU seconds (user + system, psutil) of every process of the center's tree are
read at the start and at the end of a steady phase: the driver, Ray's GCS and
raylet, and every Ray worker (shards, hub, Serve controller and replicas) and
HAProxy. The load generators are not in that tree (they are children of the
benchmark script), so they are left out. Ray's own daemons (GCS, raylet) are
counted in the total and also reported apart, so either reading can be taken.
CPU time is steadier than wall time on a shared machine: a neighbour slows the
relay down, it does not make it burn more cycles.
"""

from __future__ import annotations

from dataclasses import dataclass

import psutil

# Ray's daemons: counted in the total, and shown apart.
RAY_DAEMONS = ("gcs_server", "raylet")


@dataclass(frozen=True)
class CpuSample:
    """pid -> (process name, start time, CPU seconds so far). The start time tells
    a reused pid; not the name: a Ray worker renames itself after the task it runs."""

    processes: dict[int, tuple[str, float, float]]


@dataclass(frozen=True)
class CpuSpent:
    total_s: float
    ray_daemons_s: float
    processes: int


def sample(processes: list[psutil.Process]) -> CpuSample:
    seen: dict[int, tuple[str, float, float]] = {}
    for process in processes:
        try:
            with process.oneshot():
                times = process.cpu_times()
                seen[process.pid] = (process.name(), process.create_time(), times.user + times.system)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return CpuSample(seen)


def spent(before: CpuSample, after: CpuSample) -> CpuSpent:
    """CPU seconds spent between two samples. A process that started in between
    counts from zero; one that ended in between is lost (its last seconds are
    not readable any more), so the figure errs low, never high."""
    total = daemons = 0.0
    for pid, (name, started, seconds) in after.processes.items():
        earlier = before.processes.get(pid)
        # A pid reused by another process: its time is its own, from zero.
        used = seconds - earlier[2] if earlier is not None and earlier[1] == started else seconds
        used = max(0.0, used)
        total += used
        if name in RAY_DAEMONS:
            daemons += used
    return CpuSpent(total, daemons, len(after.processes))


def ms_per_message(cpu: CpuSpent, messages: int) -> tuple[float | None, float | None]:
    """(all center processes, without Ray's daemons) CPU ms per message."""
    if messages <= 0:
        return None, None
    return cpu.total_s * 1000 / messages, (cpu.total_s - cpu.ray_daemons_s) * 1000 / messages
