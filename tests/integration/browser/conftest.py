"""The web UIs in a real browser: Playwright's Python API driving Debian's chromium
headless (never a downloaded browser), against the session's running center, with
the host page of the widget on another origin (serve/ui/demo_site.py).

Screenshots go to test-artifacts/screenshots/ (kept by CI; look at them).
"""

from __future__ import annotations

import os
import time
from collections import deque
from pathlib import Path
from typing import Iterator

import pytest

from serve.ui.demo_site import DemoSite

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"
# The host site's port: moved with the other test ports when two runs share a machine.
HOST_SITE_PORT = int(os.environ.get("KEFU_TEST_HOST_SITE_PORT", "18090"))


# Per module, not per session: Playwright's sync API keeps an event loop running on
# the main thread while it is open, and every async test after it would then fail
# ("Runner.run() cannot be called from a running event loop").
@pytest.fixture(scope="module")
def chromium_browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # The widget's frame is cross-origin; out of process (site isolation) the browser's
        # idea of the focused frame lags behind a script's focus(), and Playwright's typed text
        # then lands on the host page (a CI flake, see visitor_side.write). In one process the
        # frame's focus is the browser's at once; what the pages do is the same either way.
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--autoplay-policy=no-user-gesture-required",
                                                   "--disable-site-isolation-trials"])
        yield browser
        browser.close()


@pytest.fixture
def browser_context(chromium_browser, request):
    """A fresh profile per test (its own cookies and storage), in English. What its pages'
    sockets sent and received goes into a failed test's report (pytest_runtest_makereport)."""
    contexts = []
    traffic = SocketTraffic()
    request.node.socket_traffic = traffic

    def new_context(locale: str = "en-US", **options):
        context = chromium_browser.new_context(locale=locale, viewport={"width": 1280, "height": 800},
                                               **options)
        context.set_default_timeout(15000)
        context.on("page", traffic.watch)
        contexts.append(context)
        return context

    yield new_context
    for context in contexts:
        context.close()


class SocketTraffic:
    """The websocket frames and console errors of a test's pages, newest kept: a browser
    test that waits in vain for a frame shows what the page's socket did meanwhile."""

    KEPT = 300

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.lines: deque[str] = deque(maxlen=self.KEPT)

    def watch(self, page) -> None:
        page.on("websocket", self._socket)
        page.on("console", lambda message: message.type == "error" and self._note("console", message.text))
        page.on("pageerror", lambda error: self._note("pageerror", str(error)))

    def _socket(self, socket) -> None:
        where = socket.url.split("?")[0]  # never the token
        self._note("open", where)
        socket.on("framesent", lambda payload: self._note("sent", payload))
        socket.on("framereceived", lambda payload: self._note("got", payload))
        socket.on("close", lambda _: self._note("closed", where))

    def _note(self, what: str, text) -> None:
        text = text if isinstance(text, str) else f"<{len(text)} bytes>"
        self.lines.append(f"{time.monotonic() - self.started:7.2f}s {what:9} {text[:400]}")

    def report(self) -> str:
        return "\n".join(self.lines)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    traffic = getattr(item, "socket_traffic", None)
    if report.when == "call" and report.failed and traffic is not None and traffic.lines:
        report.sections.append(("what the pages' sockets did", traffic.report()))


@pytest.fixture(scope="session")
def host_site(center) -> Iterator[DemoSite]:
    """A customer's site on another origin (localhost vs the center's 127.0.0.1)."""
    site = DemoSite(center.url, host="localhost", port=HOST_SITE_PORT).start()
    yield site
    site.stop()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


class ConsoleErrors:
    """Fails a test on any error the page logs or throws (a broken import, a CSP refusal)."""

    def __init__(self, page) -> None:
        self.errors: list[str] = []
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def assert_none(self) -> None:
        assert not self.errors, self.errors
