"""Baseline-free size check: the widget loader every page of a customer's site fetches.

Issue 9 asks for a loader under 10 KB gzipped (Chatwoot's widget costs ~300 KB, LHC's
~125 KB gzipped per visitor). Recorded raw and gzipped (level 9, as a server or CDN
would send it); no server is started, it reads serve/ui/widget/loader.js.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from benchmarks.lib.fragment import common_args, metric, write_fragment

LOADER = Path(__file__).resolve().parent.parent / "serve" / "ui" / "widget" / "loader.js"
GOAL_GZIP_BYTES = 10 * 1024


def measure(path: Path = LOADER) -> tuple[int, int]:
    body = path.read_bytes()
    return len(body), len(gzip.compress(body, compresslevel=9, mtime=0))


def main() -> None:
    args = common_args(__doc__).parse_args()
    raw, gzipped = measure()
    write_fragment(args.out, {
        "widget_loader_bytes": metric(raw, "bytes"),
        "widget_loader_gzip_bytes": metric(gzipped, "bytes", None, f"<= {GOAL_GZIP_BYTES}"),
    }, notes=[f"widget_size: /widget.js is {raw} bytes, {gzipped} gzipped (goal <= {GOAL_GZIP_BYTES})"])


if __name__ == "__main__":
    main()
