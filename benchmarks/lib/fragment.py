"""What one benchmark script hands to `benchmarks.run`: a JSON fragment.

`{"metrics": {NAME: {"value", "unit", "baseline", "goal"}}, "series": {...}, "notes": [...]}`

`series` carries raw data for the plots: `"cdf:<label>"` is a list of latency
samples in ms (stored sorted and thinned to at most 2,000 values), and
`"throughput:<label>"` is a list of `[load, msgs_per_s]` pairs.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from benchmarks.lib.stats import downsample_sorted

CDF_PREFIX = "cdf:"
THROUGHPUT_PREFIX = "throughput:"


def metric(value: float | int, unit: str, baseline: float | None = None, goal: str = "") -> dict:
    """One named figure of the report. `goal` is a string such as "<= 1.5", ">= 1000",
    "== 0" (checked by the report) or free text (shown, not checked)."""
    return {"value": value, "unit": unit, "baseline": baseline, "goal": goal}


def write_fragment(path: str | Path, metrics: dict, series: dict | None = None,
                   notes: list[str] | None = None) -> None:
    series = {
        name: downsample_sorted(values) if name.startswith(CDF_PREFIX) else values
        for name, values in (series or {}).items()
    }
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps({"metrics": metrics, "series": series, "notes": notes or []},
                                     indent=1))


def read_fragment(path: str | Path) -> dict:
    data = json.loads(Path(path).read_text())
    return {"metrics": data.get("metrics", {}), "series": data.get("series", {}),
            "notes": data.get("notes", [])}


def common_args(description: str, default_port_base: int = 18500) -> argparse.ArgumentParser:
    """The arguments every benchmark script takes. Ports: each script owns a block
    of HTTP ports starting at --port-base (see benchmarks/lib/ports.py)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="smaller scale, for a run of a few minutes")
    parser.add_argument("--out", required=True, type=Path, help="where to write the JSON fragment")
    parser.add_argument("--url", help="base URL of an existing center (center scenarios only)")
    parser.add_argument("--port-base", type=int, default=default_port_base,
                        help=f"first port of this script's block (default {default_port_base})")
    return parser
