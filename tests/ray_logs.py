"""What the center's processes logged during a failed test, added to its report.

The shards and the gateway run in Ray workers whose output does not reach the test
(log_to_driver=False keeps the run's output readable), so a test that only sees
"no frame within 15 s" in CI would say nothing of the exception behind it. Each
test marks where every log file ends; a failed one gets the error lines (and the
tracebacks after them) that were written since.
"""

from __future__ import annotations

import re
from pathlib import Path

MAX_LINES = 120
_ERROR = re.compile(r"\b(ERROR|CRITICAL|Traceback|Exception)\b")
_CONTINUED = re.compile(r"^(\s|\S*Error\b|\S*Exception\b|During handling|The above exception)")


class RayLogs:
    def __init__(self, logs_dir: Path) -> None:
        self.logs_dir = logs_dir
        self.offsets: dict[Path, int] = {}

    def _files(self) -> list[Path]:
        if not self.logs_dir.is_dir():
            return []
        return [p for p in self.logs_dir.rglob("*") if p.is_file() and p.suffix in (".err", ".out", ".log")]

    def mark(self) -> None:
        self.offsets = {path: path.stat().st_size for path in self._files()}

    def errors_since_mark(self) -> str:
        found: list[str] = []
        for path in sorted(self._files()):
            start = self.offsets.get(path, 0)
            try:
                with path.open("rb") as handle:
                    handle.seek(start)
                    text = handle.read(2_000_000).decode("utf-8", "replace")
            except OSError:
                continue
            lines = _error_lines(text.splitlines())
            if lines:
                found.append(f"== {path.relative_to(self.logs_dir)}")
                found.extend(lines)
        return "\n".join(found[-MAX_LINES:])


def _error_lines(lines: list[str]) -> list[str]:
    """Lines naming an error, with the traceback lines that follow each and the
    message line before a traceback."""
    kept: list[str] = []
    in_traceback = False
    for number, line in enumerate(lines):
        if _ERROR.search(line):
            if line.startswith("Traceback") and number and not in_traceback:
                kept.append(lines[number - 1])  # log.exception's own message
            kept.append(line)
            in_traceback = True
        elif in_traceback and _CONTINUED.match(line):
            kept.append(line)
        else:
            in_traceback = False
    return kept
