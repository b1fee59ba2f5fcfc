"""The web UIs' own code never parses markup from strings (user text must stay text,
STYLE.md), and the widget loader stays small enough for every page view of a
customer's site (issue 9: under 10 KB gzipped)."""

from __future__ import annotations

import re
from pathlib import Path

from benchmarks.widget_size import GOAL_GZIP_BYTES, measure

UI = Path(__file__).resolve().parents[2] / "serve" / "ui"
MARKUP_SINKS = re.compile(r"\b(innerHTML|outerHTML|insertAdjacentHTML|dangerouslySetInnerHTML|document\.write"
                          r"|createContextualFragment|DOMParser)\b")


def own_scripts() -> list[Path]:
    return [p for p in UI.rglob("*") if p.suffix in (".js", ".mjs") and "vendor" not in p.parts]


def test_no_script_of_ours_parses_markup():
    offenders = [f"{p.relative_to(UI)}:{n}" for p in own_scripts()
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if MARKUP_SINKS.search(line)]
    assert offenders == []


def test_the_loader_is_under_its_budget():
    raw, gzipped = measure()
    assert 0 < gzipped <= GOAL_GZIP_BYTES, (raw, gzipped)

