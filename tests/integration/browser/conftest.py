"""The web UIs in a real browser: Playwright's Python API driving Debian's chromium
headless (never a downloaded browser), against the session's running center, with
the host page of the widget on another origin (serve/ui/demo_site.py).

Screenshots go to test-artifacts/screenshots/ (kept by CI; look at them).
"""

from __future__ import annotations

import os
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
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--autoplay-policy=no-user-gesture-required"])
        yield browser
        browser.close()


@pytest.fixture
def browser_context(chromium_browser):
    """A fresh profile per test (its own cookies and storage), in English."""
    contexts = []

    def new_context(locale: str = "en-US", **options):
        context = chromium_browser.new_context(locale=locale, viewport={"width": 1280, "height": 800},
                                               **options)
        context.set_default_timeout(15000)
        contexts.append(context)
        return context

    yield new_context
    for context in contexts:
        context.close()


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
