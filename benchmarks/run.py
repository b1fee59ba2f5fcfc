"""Run every benchmark script, baselines first, and write benchmarks/results/.

`python -m benchmarks.run [--quick] [--url URL] [--only a,b]`

Each script runs as a subprocess (`python -m benchmarks.<name> --out <fragment>`)
so that each starts and stops its own servers and Ray; a script that fails or is
not written yet is recorded in the notes and the run goes on. The center's relay
latency is then expressed against its floor: the sum of the parts no relay can
avoid (Serve echo p50 in the center's ingress mode + one Ray actor call p50 +
one database commit p50), all measured in this same run.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.lib.fragment import metric, read_fragment
from benchmarks.lib.local_center import LocalCenter
from benchmarks.lib.scenario import ADMIN_PASSWORD_ENV, CENTER_PID_ENV
from benchmarks.report import metrics_table, previous_run, write_report

BASELINES = ("echo_raw", "echo_serve", "ray_actor_rtt", "db_commit", "widget_size", "knowledge_search")
SCENARIOS = ("relay", "acd_burst", "erlang_c", "preview", "memory", "federation")
# Scenarios that start centers of their own (linked ones): they run after the shared
# center has stopped, so that it takes none of the cores they measure on.
OWN_CENTERS = ("federation",)
RESULTS_DIR = Path(__file__).resolve().parent / "results"
# Quick runs keep their own results, so they never replace the full run's.
QUICK_RESULTS_DIR = RESULTS_DIR / "quick"
REPO_ROOT = Path(__file__).resolve().parent.parent
FLOOR_PARTS = ("serve_echo_p50_ms", "ray_actor_rtt_p50_ms", "db_commit_p50_ms")
FLOOR_RATIOS = (("relay_p50_vs_floor", "relay_p50_ms", "<= 1.5"),
                ("relay_p99_vs_floor", "relay_p99_ms", "<= 3"))
# A hung script must not hang the run: it gets SIGINT (so it can stop its Ray),
# then SIGKILL after the grace period.
QUICK_TIMEOUT_S = 600
FULL_TIMEOUT_S = 2400
INTERRUPT_GRACE_S = 60


def run_script(name: str, out: Path, quick: bool, url: str | None, timeout_s: float,
               env: dict[str, str] | None = None) -> int:
    command = [sys.executable, "-m", f"benchmarks.{name}", "--out", str(out)]
    if quick:
        command.append("--quick")
    if url and name in SCENARIOS and name not in OWN_CENTERS:
        command += ["--url", url]
    # The repo root as working directory: Ray puts the driver's working directory
    # on its workers' path, and that is how they import `benchmarks`.
    process = subprocess.Popen(command, cwd=REPO_ROOT, env={**os.environ, **(env or {})})
    try:
        return process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        print(f"\n{name}: still running after {timeout_s:.0f} s, interrupting", file=sys.stderr)
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=INTERRUPT_GRACE_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        raise


def _value(metrics: dict, name: str) -> float | None:
    entry = metrics.get(name)
    return None if entry is None else entry.get("value")


def add_floor_ratios(metrics: dict, notes: list[str]) -> None:
    """relay_p50_vs_floor and relay_p99_vs_floor, from metrics of this run."""
    missing = [name for name in FLOOR_PARTS if _value(metrics, name) is None]
    if missing:
        notes.append(f"relay vs floor not computed: missing {', '.join(missing)}")
        return
    floor = sum(metrics[name]["value"] for name in FLOOR_PARTS)
    for ratio_name, relay_name, goal in FLOOR_RATIOS:
        relay = _value(metrics, relay_name)
        if relay is not None:
            # The baseline is the floor itself, in ms.
            metrics[ratio_name] = metric(relay / floor, "x floor", floor, goal)
        else:
            notes.append(f"{ratio_name} not computed: missing {relay_name}")


def add_throughput_ratio(metrics: dict, notes: list[str]) -> None:
    """The sustained relay against the Serve echo at the most connections measured."""
    relay = _value(metrics, "relay_throughput_msgs_per_s")
    echo = _value(metrics, "serve_echo_msgs_per_s")
    if relay is None or echo is None:
        notes.append("relay_vs_serve_echo_throughput not computed: missing a throughput")
        return
    metrics["relay_throughput_msgs_per_s"]["baseline"] = echo
    metrics["relay_vs_serve_echo_throughput"] = metric(relay / echo, "x serve echo", echo, ">= 0.25")


def add_capacity_ratio(metrics: dict, notes: list[str]) -> None:
    """The relay's open-loop capacity (p99 <= 100 ms) against the Serve echo's,
    both from the same stepper at the same connection count."""
    relay = _value(metrics, "relay_capacity_msgs_per_s_at_p99_100ms")
    echo = _value(metrics, "serve_echo_capacity_msgs_per_s_at_p99_100ms")
    if relay is None or not echo:
        notes.append("relay_capacity_vs_serve_echo not computed: missing a capacity "
                     "(run echo_serve and relay together, or --merge)")
        return
    metrics["relay_capacity_msgs_per_s_at_p99_100ms"]["baseline"] = echo
    metrics["relay_capacity_vs_serve_echo"] = metric(relay / echo, "x serve echo", echo, ">= 0.25")


@contextlib.contextmanager
def center_for_scenarios(url: str | None, names: tuple[str, ...]):
    """(url, environment) for the scenarios: the given center, or one started here
    once for all of them (after the baselines, so it does not weigh on those)."""
    if url or not any(name in SCENARIOS and name not in OWN_CENTERS for name in names):
        yield url, {}
        return
    print("\n=== starting a center for the scenarios ===", flush=True)
    center = LocalCenter.start()
    try:
        yield center.url, {ADMIN_PASSWORD_ENV: center.admin_password,
                           CENTER_PID_ENV: str(center.process.pid)}
    finally:
        center.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller scale (a few minutes)")
    parser.add_argument("--url", help="base URL of an existing center, for the center scenarios")
    parser.add_argument("--only", help="comma-separated script names, e.g. echo_raw,relay")
    parser.add_argument("--merge", action="store_true",
                        help="keep the last run's figures (same --quick) and replace only what runs now")
    args = parser.parse_args()
    names = BASELINES + SCENARIOS
    if args.only:
        chosen = [name.strip() for name in args.only.split(",") if name.strip()]
        unknown = sorted(set(chosen) - set(names))
        if unknown:
            parser.error(f"unknown scripts {unknown}; known: {', '.join(names)}")
        names = tuple(name for name in names if name in chosen)

    results_dir = QUICK_RESULTS_DIR if args.quick else RESULTS_DIR
    written: set[str] = set()  # metric names written by the scripts of this run
    metrics: dict[str, dict] = {}
    series: dict[str, list] = {}
    notes: list[str] = []
    if args.merge:
        metrics, series, earlier = previous_run(results_dir, args.quick)
        # Notes of the scripts that run again are replaced with their new ones.
        notes = [note for note in earlier if not any(note.startswith(f"{name}") for name in names)
                 and not note.startswith(("relay_p", "relay_vs", "relay_capacity_vs", "wall time"))]
        notes.append(f"merged: {', '.join(names)} re-run on top of the previous run")
    failed: list[str] = []
    durations: dict[str, float] = {}  # wall time of each script, for the notes
    run_started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="kefu-bench-") as tmp:
        def run(name: str, url: str | None, env: dict[str, str]) -> None:
            if importlib.util.find_spec(f"benchmarks.{name}") is None:
                print(f"warning: benchmarks/{name}.py does not exist yet; skipped", file=sys.stderr)
                notes.append(f"{name}: not run (no script yet)")
                return
            out = Path(tmp) / f"{name}.json"
            print(f"\n=== {name} ===", flush=True)
            started = time.monotonic()
            try:
                code = run_script(name, out, args.quick, url,
                                  QUICK_TIMEOUT_S if args.quick else FULL_TIMEOUT_S, env)
            except subprocess.TimeoutExpired:
                code = None
            elapsed = time.monotonic() - started
            durations[name] = elapsed
            if code != 0 or not out.exists():
                why = "timed out" if code is None else f"exit code {code}"
                print(f"=== {name}: FAILED ({why}) after {elapsed:.0f} s", flush=True)
                notes.append(f"{name}: failed ({why}) after {elapsed:.0f} s")
                failed.append(name)
                return
            print(f"=== {name}: done in {elapsed:.0f} s", flush=True)
            fragment = read_fragment(out)
            for metric_name in fragment["metrics"].keys() & written:
                notes.append(f"{name}: metric {metric_name} also written by an earlier script; "
                             "kept this one")
            written.update(fragment["metrics"])
            metrics.update(fragment["metrics"])
            series.update(fragment["series"])
            notes.extend(fragment["notes"])

        for name in names:
            if name in BASELINES:
                run(name, None, {})
        with center_for_scenarios(args.url, names) as (url, env):
            for name in names:
                if name in SCENARIOS and name not in OWN_CENTERS:
                    run(name, url, env)
        for name in names:
            if name in OWN_CENTERS:
                run(name, None, {})

    notes.append(f"wall time: {(time.monotonic() - run_started) / 60:.1f} min in all; "
                 + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in durations.items()))
    add_floor_ratios(metrics, notes)
    add_throughput_ratio(metrics, notes)
    add_capacity_ratio(metrics, notes)
    latest = write_report(metrics, series, notes, results_dir, args.quick)
    print(f"\n{metrics_table(metrics)}\n")
    for note in notes:
        print(f"- {note}")
    print(f"\nWrote {latest} and {latest.parent / 'summary.md'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
