"""The web UIs' own code never parses markup from strings (user text must stay text,
STYLE.md) except the one module that shows the knowledge base's server-sanitized HTML, and the widget loader stays small enough for every page view of a
customer's site (issue 9: under 10 KB gzipped)."""

from __future__ import annotations

import re
from pathlib import Path

from benchmarks.widget_size import GOAL_GZIP_BYTES, measure

UI = Path(__file__).resolve().parents[2] / "serve" / "ui"
MARKUP_SINKS = re.compile(r"\b(innerHTML|outerHTML|insertAdjacentHTML|dangerouslySetInnerHTML|document\.write"
                          r"|createContextualFragment|DOMParser)\b")
# The knowledge base's article bodies and snippets are sanitized by the server (nh3); this
# module alone may hand them to the browser, each such line marked so a reviewer sees it.
SANITIZED_MODULE = Path("shared") / "ServerHtml.mjs"
SANITIZED_MARK = "// server-sanitized"


def own_scripts() -> list[Path]:
    return [p for p in UI.rglob("*") if p.suffix in (".js", ".mjs") and "vendor" not in p.parts]


def test_no_script_of_ours_parses_markup():
    offenders = [f"{p.relative_to(UI)}:{n}" for p in own_scripts() if p.relative_to(UI) != SANITIZED_MODULE
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if MARKUP_SINKS.search(line)]
    assert offenders == []


def test_the_sanitized_markup_module_marks_every_sink():
    lines = (UI / SANITIZED_MODULE).read_text(encoding="utf-8").splitlines()
    sinks = [line for line in lines if MARKUP_SINKS.search(line) and not line.lstrip().startswith("//")]
    assert sinks, "the module is where server-sanitized HTML is shown"
    assert [line for line in sinks if not line.rstrip().endswith(SANITIZED_MARK)] == []


def test_the_loader_is_under_its_budget():
    raw, gzipped = measure()
    assert 0 < gzipped <= GOAL_GZIP_BYTES, (raw, gzipped)

