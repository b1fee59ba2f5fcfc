"""Where a relayed message's CPU goes: a center under a steady relay, profiled.

`python -m benchmarks.profile_relay [--scenario relay|acd] [--rate 200] [--seconds 20] [--out DIR]`

`--scenario acd` profiles the ACD instead: chats arriving at `--rate` a second,
each assigned, ended by its visitor at once (benchmarks.lib.acd_drive), and
the figures are per assignment.

Starts a center as `make up` does (benchmarks.lib.local_center), opens
`--conversations` assigned chats, and sends visitor messages at a fixed
open-loop rate. Over a window of that steady phase it reads, for every process
of the center's tree, the CPU it burned (user + system) and each thread's share
(Ray workers run gRPC and core-worker threads beside Python's), and records the
busiest ones with py-spy (`--nonblocking`: the process is not paused, so the
profile does not slow what it measures). It prints CPU ms per relayed message
by process and by thread, and each profiled process's hottest functions by
self time and by inclusive time; the collapsed stacks stay in `--out` for a
flame graph (`py-spy`'s raw format; speedscope and inferno read it).

This is a tool for a developer deciding what to change, not a figure of the
results: `relay_cpu_ms_per_message` in `make bench` is the figure.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import psutil

from benchmarks.lib.acd_drive import drive_acd
from benchmarks.lib.kefu_client import Socket, Waiter, open_agents
from benchmarks.lib.local_center import LocalCenter
from benchmarks.lib.procs import raise_fd_limit
from benchmarks.lib.profile_window import steady_phase
from benchmarks.lib.scenario import Cast, Target, cast_for

PY_SPY_RATE_HZ = 250
# Processes below this share of the window's CPU are not worth a profile.
PROFILE_MIN_SHARE = 0.04


def process_label(process: psutil.Process) -> str:
    """What a process is: Ray renames its workers after the actor they host."""
    try:
        line = process.cmdline()
        name = process.name()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return "?"
    first = line[0] if line else name
    if first.startswith("ray::"):
        return first.split(" ")[0]
    if "serve.main" in " ".join(line):
        return "driver (serve.main)"
    return name


def thread_times(process: psutil.Process) -> dict[str, float]:
    """CPU seconds by thread name (/proc/<pid>/task/<tid>/comm), threads of one
    name summed."""
    seconds: Counter[str] = Counter()
    try:
        threads = process.threads()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return {}
    for thread in threads:
        try:
            name = Path(f"/proc/{process.pid}/task/{thread.id}/comm").read_text().strip()
        except OSError:
            name = "?"
        seconds[name] += thread.user_time + thread.system_time
    return dict(seconds)


def snapshot(processes: list[psutil.Process]) -> dict[int, tuple[str, float, dict[str, float]]]:
    seen = {}
    for process in processes:
        try:
            with process.oneshot():
                times = process.cpu_times()
                seen[process.pid] = (process_label(process), times.user + times.system, thread_times(process))
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return seen


def difference(before: dict, after: dict) -> list[tuple[int, str, float, dict[str, float]]]:
    rows = []
    for pid, (label, seconds, threads) in after.items():
        if pid not in before:
            continue
        earlier_threads = before[pid][2]
        used_threads = {name: value - earlier_threads.get(name, 0.0) for name, value in threads.items()}
        rows.append((pid, label, seconds - before[pid][1],
                     {n: v for n, v in used_threads.items() if v > 0.005}))
    return sorted(rows, key=lambda row: -row[2])


def hottest(collapsed: Path, top: int) -> tuple[list[tuple[str, int]], list[tuple[str, int]], int]:
    """(self, inclusive, samples) from py-spy's raw output: `frame;frame;... count`."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        samples = int(count)
        frames = stack.split(";")
        total += samples
        own[frames[-1]] += samples
        for frame in set(frames[1:]):  # the first is the thread's name
            inclusive[frame] += samples
    return own.most_common(top), inclusive.most_common(top), total


async def drive(center: Target, cast: Cast, rate: float, warmup_s: float, window_s: float,
                on_window) -> int:
    """Opens the chats, then sends at `rate` for warmup + window (+ a tail);
    `on_window()` runs in a thread over the window. Returns the messages delivered
    to agents within the window."""
    delivered = {"window": 0, "open": False}

    def agent_frame(_agent: str, frame: dict) -> None:
        if frame.get("type") == "message" and frame["message"]["sender"]["kind"] == "visitor":
            if delivered["open"]:
                delivered["window"] += 1

    agent_sockets = await open_agents(center.url, cast.accounts, agent_frame)
    visitors: list[dict] = []
    assigned = Waiter()

    async def open_visitor(index: int, token: str) -> None:
        visitor = {"index": index, "conversation": None, "acks": Waiter(), "sent": 0}

        def frame_in(frame: dict) -> None:
            if frame.get("type") == "assigned" and visitor["conversation"] is None:
                visitor["conversation"] = frame["conversation_id"]
                assigned.resolve(str(index), True)
            elif frame.get("type") == "ack":
                visitor["acks"].resolve(frame["client_msg_id"], frame["seq"])

        ready = assigned.expect(str(index))
        visitor["socket"] = await Socket.open(center.url, "/ws/visitor", token, frame_in)
        await visitor["socket"].send({"type": "chat.request", "skill_group": cast.group})
        await asyncio.wait_for(ready, 60)
        visitors.append(visitor)

    semaphore = asyncio.Semaphore(50)

    async def limited(index: int, token: str) -> None:
        async with semaphore:
            await open_visitor(index, token)

    await asyncio.gather(*(limited(i, t) for i, t in enumerate(cast.tokens)))

    async def send(n: int, _moment: float) -> None:
        visitor = visitors[n % len(visitors)]
        visitor["sent"] += 1
        await visitor["socket"].send({"type": "message", "conversation_id": visitor["conversation"],
                                      "client_msg_id": f"p{visitor['index']}-{visitor['sent']}",
                                      "body": "where does the time go"})

    await steady_phase(rate, warmup_s, window_s, delivered, on_window, send)
    for visitor in visitors:
        await visitor["socket"].close()
    for socket in agent_sockets:
        await socket.close()
    return delivered["window"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", choices=("relay", "acd"), default="relay")
    parser.add_argument("--rate", type=float, default=200.0,
                        help="visitor messages (relay) or arriving chats (acd) a second")
    parser.add_argument("--seconds", type=float, default=20.0, help="the measured window")
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--conversations", type=int, default=400)
    parser.add_argument("--agents", type=int, default=40)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--no-py-spy", action="store_true", help="CPU by process and thread only")
    parser.add_argument("--out", type=Path, default=None, help="where the collapsed stacks go")
    args = parser.parse_args()
    raise_fd_limit()
    out = args.out or Path(tempfile.mkdtemp(prefix="kefu-profile-"))
    out.mkdir(parents=True, exist_ok=True)
    center = LocalCenter.start()
    report: dict = {}
    try:
        target = Target(center.url, center.admin_password, center.processes)

        def over_window() -> None:
            processes = center.processes()
            before = snapshot(processes)
            spies = []
            if not args.no_py_spy:
                # Which to profile is known only after a first look at who is busy.
                probe = min(2.0, args.seconds / 4)
                time.sleep(probe)
                busy = difference(before, snapshot(processes))
                total = sum(row[2] for row in busy) or 1.0
                for pid, label, used, _threads in busy:
                    if used / total >= PROFILE_MIN_SHARE and label != "?":
                        path = out / f"{label.replace('::', '-').replace(' ', '_').replace(':', '-')}-{pid}.txt"
                        spies.append((pid, label, path, subprocess.Popen(
                            [str(Path(sys.executable).parent / "py-spy"), "record",
                             "--pid", str(pid), "--duration", str(int(args.seconds - probe)),
                             "--rate", str(PY_SPY_RATE_HZ), "--nonblocking", "--format", "raw",
                             "--output", str(path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)))
                time.sleep(max(0.0, args.seconds - probe))
            else:
                time.sleep(args.seconds)
            report["cpu"] = difference(before, snapshot(processes))
            for pid, label, path, spy in spies:
                _, problem = spy.communicate(timeout=60)
                report.setdefault("spies", []).append((pid, label, path, spy.returncode, problem.decode()[-300:]))

        cast = cast_for(target, "profile", args.agents, args.conversations)
        driver = drive_acd if args.scenario == "acd" else drive
        delivered = asyncio.run(driver(target, cast, args.rate, args.warmup, args.seconds, over_window))
    finally:
        center.stop()
    print_report(report, delivered, args, out)


def print_report(report: dict, delivered: int, args, out: Path) -> None:
    rows = report.get("cpu", [])
    total = sum(row[2] for row in rows)
    unit = "assignment" if args.scenario == "acd" else "message"
    print(f"\n{delivered} {unit}s in the {args.seconds:.0f} s window at {args.rate:.0f}/s offered; "
          f"center CPU {total:.2f} s = {total * 1000 / max(delivered, 1):.2f} ms per {unit}\n")
    for pid, label, used, threads in rows:
        if used < 0.01:
            continue
        print(f"{used * 1000 / max(delivered, 1):7.2f} ms each  {label}  (pid {pid})")
        for name, seconds in sorted(threads.items(), key=lambda item: -item[1])[:6]:
            print(f"          {seconds * 1000 / max(delivered, 1):7.2f}  thread {name}")
    for pid, label, path, code, problem in report.get("spies", []):
        print(f"\n== {label} (pid {pid}) -> {path}")
        if code != 0 or not path.exists():
            print(f"   py-spy failed ({code}): {problem}")
            continue
        own, inclusive, samples = hottest(path, args.top)
        print(f"   {samples} samples; self time:")
        for frame, count in own:
            print(f"   {100 * count / samples:5.1f}%  {frame}")
        print("   inclusive:")
        for frame, count in inclusive:
            print(f"   {100 * count / samples:5.1f}%  {frame}")
    print(f"\ncollapsed stacks in {out}")


if __name__ == "__main__":
    main()
