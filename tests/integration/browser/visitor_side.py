"""What the widget's browser tests share: the agent side driven by the Python protocol
client on an event loop of its own (Playwright's sync API owns the test's thread), a
customer's site on another origin embedding the widget for one skill group.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any, Awaitable, TypeVar

import pytest
from playwright.sync_api import expect

from serve.ui.demo_site import DemoSite
from tests.integration.browser.background import Background
from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, Socket, online_agent_in_new_group, staff_member, unique

T = TypeVar("T")
# The frame loads the chat app over a loaded machine (five engineers, two cores):
# assertions wait as long as actions do.
expect.set_options(timeout=15000)
LAUNCHER = "Chat with us"
LAUNCHER_BUTTON = "[data-kefu-widget] button[aria-expanded]"  # Playwright's CSS goes into open shadow roots
FRAME = "[data-kefu-widget] iframe"
XSS = "<img src=x onerror=alert(1)>"


class AgentSide:
    """The protocol client on a background event loop: `side.run(coroutine)`."""

    def __init__(self, center_url: str) -> None:
        self.url = center_url
        self.background = Background("agent-side")
        self.sockets: list[Socket] = []
        self.admin: Api = self.run(Api(center_url).login("admin", ADMIN_PASSWORD))

    def run(self, work: Awaitable[T], timeout: float = 30) -> T:
        return self.background.run(work, timeout)

    def online_agent(self, max_concurrent: int = 3, **group: Any) -> tuple[str, str, Socket]:
        """(group name, agent id, socket) of a new group with one agent online in it."""
        if group:
            name = self.run(self.admin.create_group(unique("g"), **group))["name"]
            agent_id, socket = self.run(staff_member(self.admin, {name: 5}, max_concurrent))
        else:
            name, agent_id, socket = self.run(online_agent_in_new_group(self.admin, 5, max_concurrent))
        self.sockets.append(socket)
        return name, agent_id, socket

    def group(self, **settings: Any) -> str:
        return self.run(self.admin.create_group(unique("g"), **settings))["name"]

    def agent_named(self, group: str, display_name: str, max_concurrent: int = 3) -> tuple[str, Socket]:
        agent_id, socket = self.run(staff_member(self.admin, {group: 5}, max_concurrent,
                                                 display_name=display_name))
        self.sockets.append(socket)
        return agent_id, socket

    def visitor(self) -> Socket:
        """A protocol-client visitor (to fill an agent's slot, or to probe the center)."""
        async def open_one() -> Socket:
            _, token = await Api(self.url).new_visitor()
            socket = await Socket.open(self.url, "visitor", token)
            await socket.next("welcome")
            return socket

        socket = self.run(open_one())
        self.sockets.append(socket)
        return socket

    def close(self) -> None:
        for socket in self.sockets:
            try:
                self.run(socket.close(), timeout=5)
            except Exception:  # noqa: BLE001 - already closed by the test
                pass
        self.background.close()


def customer_site(center_url: str, skill_group: str) -> DemoSite:
    """The demo shop on localhost (the center is 127.0.0.1: another origin), its embed
    code naming this skill group; on a free port, so tests never share a site."""
    return DemoSite(center_url, host="localhost", port=0, skill_group=skill_group).start()


class FrameErrors:
    """Errors the page or its frame logs or throws (the host page's missing favicon and
    a reconnect tried while a test holds the network down aside)."""

    def __init__(self, page) -> None:
        self.errors: list[str] = []

        def on_console(message) -> None:
            if message.type != "error":
                return
            where = (message.location or {}).get("url", "")
            if "404" in message.text and where.endswith("/favicon.ico"):
                return
            if "ERR_INTERNET_DISCONNECTED" in message.text:
                return  # a reconnect tried while the test holds the network down
            self.errors.append(f"{message.text} ({where})")

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def assert_none(self) -> None:
        assert not self.errors, self.errors


def frames_sent(page) -> list[dict]:
    """Every frame the page's websockets send (the chat frame's socket included)."""
    sent: list[dict] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(json.loads(payload))))
    return sent


def frames_received(page) -> list[dict]:
    got: list[dict] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: got.append(json.loads(payload))))
    return got


def seqs_shown(chat) -> list[int]:
    """The seqs of the messages on screen, in screen order."""
    return [int(s) for s in chat.locator("li.message[data-seq]:not([data-seq=''])")
            .evaluate_all("items => items.map(item => item.dataset.seq)")]


def write(box, text: str) -> None:
    """Puts `text` in a chat frame's box the way a visitor does, with a click first.
    Playwright's fill focuses the box by script and then inserts the text wherever the
    browser believes the focus is; in the widget's cross-origin (out-of-process) frame
    that belief can lag behind, and the text then lands on the host page instead (seen
    under load: no input event in the frame at all). A click moves the browser's focus
    by hit-testing; the value is checked, and written once more if it still went astray."""
    for _ in range(2):
        box.click()
        box.fill(text)
        try:
            expect(box).to_have_value(text, timeout=2000)
            return
        except AssertionError:
            pass
    # Still astray: the text goes in as the input event the app listens to, in the frame.
    box.evaluate("(field, text) => { field.value = text; field.dispatchEvent(new Event('input', { bubbles: true })); }",
                 text)
    expect(box).to_have_value(text)


def wait_until(condition, page, timeout_ms: int = 10000) -> None:
    """Polls a condition on what the test recorded, letting the page run meanwhile."""
    waited = 0
    while not condition():
        if waited >= timeout_ms:
            raise AssertionError("condition not met in time")
        page.wait_for_timeout(50)
        waited += 50


@contextlib.contextmanager
def shot_on_failure(page, name: str):
    """A screenshot of what the visitor saw when a check inside fails."""
    from tests.integration.browser.conftest import screenshot

    try:
        yield
    except AssertionError:
        screenshot(page, name)
        raise


# -- fixtures (imported by the test modules) ----------------------------------------------

@pytest.fixture
def agent_side(center):
    side = AgentSide(center.url)
    yield side
    side.close()
