"""The report of a benchmark run: latest.json, a timestamped copy, summary.md and plots."""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import psutil
# The Agg canvas straight away, not pyplot: files only, no screen, no global figure state.
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from benchmarks.lib.fragment import CDF_PREFIX, THROUGHPUT_PREFIX

REPO_ROOT = Path(__file__).resolve().parent.parent
VERSIONED = ("ray", "fastapi", "starlette", "uvicorn", "sqlalchemy", "websockets")
CDF_PNG = "latency_cdf.png"
THROUGHPUT_PNG = "throughput.png"
SERIES_JSON = "latest-series.json"
_GOAL = re.compile(r"^\s*(<=|>=|==)\s*(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*$")


def machine() -> dict:
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 1024**3, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def versions() -> dict:
    found = {}
    for name in VERSIONED:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    found["kefu"] = _git_commit()
    return found


def _git_commit() -> str | None:
    def git(*args: str) -> str:
        # --no-optional-locks: reading the status must not rewrite the index.
        return subprocess.run(["git", "--no-optional-locks", *args], cwd=REPO_ROOT,
                              capture_output=True, text=True, check=True).stdout.strip()

    try:
        commit = git("rev-parse", "--short=12", "HEAD")
        return commit + ("-dirty" if git("status", "--porcelain", "--untracked-files=no") else "")
    except (OSError, subprocess.CalledProcessError):
        return None


def goal_met(goal: str, value: float | int | None) -> bool | None:
    """True/False for a machine-checkable goal ("<= 1.5", ">= 1000", "== 0"), else None."""
    match = _GOAL.match(goal or "")
    if match is None or value is None:
        return None
    operator, bound = match.group(1), float(match.group(2))
    if operator == "<=":
        return value <= bound
    if operator == ">=":
        return value >= bound
    return value == bound


def _number(value: float | int | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, int) or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def metrics_table(metrics: dict) -> str:
    """The Markdown table of every metric."""
    lines = ["| metric | value | unit | baseline | goal | met |",
             "| --- | ---: | --- | ---: | --- | :---: |"]
    for name, entry in metrics.items():
        met = goal_met(entry.get("goal", ""), entry.get("value"))
        lines.append(f"| `{name}` | {_number(entry.get('value'))} | {entry.get('unit', '')} | "
                     f"{_number(entry.get('baseline'))} | {entry.get('goal') or '—'} | "
                     f"{'—' if met is None else 'yes' if met else '**no**'} |")
    return "\n".join(lines)


def _plot_cdfs(series: dict, path: Path) -> bool:
    curves = {name.removeprefix(CDF_PREFIX): sorted(values)
              for name, values in series.items() if name.startswith(CDF_PREFIX) and values}
    if not curves:
        return False
    figure, axes = _figure("Latency CDFs", "latency (ms, log scale)", "fraction of samples at or below")
    for number, (label, values) in enumerate(curves.items()):
        fractions = [(index + 1) / len(values) for index in range(len(values))]
        axes.step(values, fractions, where="post", label=label, linestyle=_line_style(number))
    _save(figure, axes, path)
    return True


def _plot_throughput(series: dict, path: Path) -> bool:
    curves = {name.removeprefix(THROUGHPUT_PREFIX): values
              for name, values in series.items() if name.startswith(THROUGHPUT_PREFIX) and values}
    if not curves:
        return False
    figure, axes = _figure("Throughput vs load",
                           "load: open connections (echo), offered msg/s (relay); log scale",
                           "messages per second (log scale)")
    axes.set_yscale("log")
    for number, (label, points) in enumerate(curves.items()):
        axes.plot([load for load, _ in points], [rate for _, rate in points], marker="o", label=label,
                  linestyle=_line_style(number))
    _save(figure, axes, path)
    return True


def _line_style(number: int) -> str:
    # Matplotlib cycles ten colours; past them, dashes tell curves apart.
    return ("-", "--", ":")[number // 10 % 3]


def _figure(title: str, xlabel: str, ylabel: str) -> tuple[Figure, Any]:
    """One plot with a log x axis, as every figure of the report has."""
    figure = Figure(figsize=(9, 5.5), dpi=110)
    axes = figure.subplots()
    axes.set_xscale("log")
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.set_title(title)
    return figure, axes


def _save(figure: Figure, axes: Any, path: Path) -> None:
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize="small")
    figure.tight_layout()
    FigureCanvasAgg(figure).print_png(path)


def previous_run(out_dir: Path, quick: bool) -> tuple[dict, dict, list[str]]:
    """Metrics, series and notes of the last run of the same kind in out_dir (empty
    when there is none): what `run --merge` builds on."""
    latest, series = out_dir / "latest.json", out_dir / SERIES_JSON
    if not latest.exists():
        return {}, {}, []
    report = json.loads(latest.read_text())
    if report.get("quick") != quick:
        return {}, {}, []
    return (report.get("metrics", {}), json.loads(series.read_text()) if series.exists() else {},
            report.get("notes", []))


def write_report(metrics: dict, series: dict, notes: list[str], out_dir: Path, quick: bool) -> Path:
    """Write latest.json, <YYYYmmdd-HHMMSS>.json, summary.md and the plots into
    out_dir. Returns the path of latest.json."""
    out_dir.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    report = {"machine": machine(), "versions": versions(), "quick": quick,
              "generated_at": now.isoformat(timespec="seconds"), "metrics": metrics, "notes": notes}
    text = json.dumps(report, indent=2)
    latest = out_dir / "latest.json"
    latest.write_text(text)
    (out_dir / f"{now:%Y%m%d-%H%M%S}.json").write_text(text)
    # The plots' raw data, kept so a later `run --merge` can redraw them whole.
    (out_dir / SERIES_JSON).write_text(json.dumps(series))

    plots = [(title, name) for title, name, drawn in (
        ("Latency CDFs", CDF_PNG, _plot_cdfs(series, out_dir / CDF_PNG)),
        ("Throughput vs load", THROUGHPUT_PNG, _plot_throughput(series, out_dir / THROUGHPUT_PNG)),
    ) if drawn]
    (out_dir / "summary.md").write_text(_summary_markdown(report, plots))
    return latest


def _summary_markdown(report: dict, plots: list[tuple[str, str]]) -> str:
    host = report["machine"]
    versions_line = ", ".join(f"{name} {version}" for name, version in report["versions"].items())
    parts = [
        f"# Benchmark results{' (quick run)' if report['quick'] else ''}",
        "",
        f"Generated {report['generated_at']} on {host['cpu']}, {host['cores']} cores, "
        f"{host['memory_gb']} GB, {host['os']}, Python {host['python']}.",
        "",
        f"Versions: {versions_line}.",
        "",
        metrics_table(report["metrics"]),
        "",
    ]
    for title, name in plots:
        parts += [f"## {title}", "", f"![{title}]({name})", ""]
    if report["notes"]:
        parts += ["## Notes", ""] + [f"- {note}" for note in report["notes"]] + [""]
    return "\n".join(parts)
