"""What the desk's browser tests share: the protocol client on a loop of its own (the
test's thread belongs to Playwright's sync API), agents made through the admin API,
and a signed-in desk page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

import pytest

from tests.integration.browser.background import Background
from tests.integration.browser.conftest import ConsoleErrors
from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, Socket, unique

PASSWORD = "secret-pw"


@dataclass
class Agent:
    agent_id: str
    username: str
    display_name: str


@dataclass
class Visitor:
    visitor_id: str
    socket: Socket
    conversation_id: str | None = None


class Center:
    """The session's center as the tests' people see it."""

    def __init__(self, url: str, background: Background) -> None:
        self.url = url
        self.bg = background
        self.admin = background.run(Api(url).login("admin", ADMIN_PASSWORD))

    def group(self) -> str:
        return self.bg.run(self.admin.create_group(unique("g")))["name"]

    def agent(self, groups: dict[str, int], cap: int = 3) -> Agent:
        username = unique("ag")
        agent_id = self.bg.run(self.admin.create_agent(username, groups, cap, password=PASSWORD))
        return Agent(agent_id, username, username.title())

    def agent_status(self, agent_id: str) -> str:
        return self.bg.run(self.admin.call("GET", f"/api/v1/admin/agents/{agent_id}"))["status"]

    def visitor(self, name: str = "") -> Visitor:
        async def make() -> Visitor:
            visitor_id, token = await Api(self.url).new_visitor(name)
            socket = await Socket.open(self.url, "visitor", token)
            await socket.next("welcome")
            return Visitor(visitor_id, socket)
        return self.bg.run(make())

    def request_chat(self, visitor: Visitor, group: str, answer: str = "assigned") -> dict:
        async def ask() -> dict:
            await visitor.socket.send({"type": "chat.request", "skill_group": group})
            return await visitor.socket.next(answer)
        frame = self.bg.run(ask())
        visitor.conversation_id = frame["conversation_id"]
        return frame

    def say(self, visitor: Visitor, body: str) -> dict:
        return self.bg.run(visitor.socket.message(visitor.conversation_id, body))

    def type(self, visitor: Visitor, text: str) -> None:
        self.bg.run(visitor.socket.send({"type": "typing", "conversation_id": visitor.conversation_id,
                                         "text": text}))

    def next_frame(self, visitor: Visitor, frame_type: str, timeout: float = 10, **match: Any) -> dict:
        return self.bg.run(visitor.socket.next(frame_type, timeout=timeout, **match), timeout + 5)

    def frames(self, visitor: Visitor, frame_type: str) -> list[dict]:
        return visitor.socket.all(frame_type)

    def leave(self, visitor: Visitor) -> None:
        self.bg.run(visitor.socket.send({"type": "chat.end", "conversation_id": visitor.conversation_id}))

    def close(self, visitor: Visitor) -> None:
        self.bg.run(visitor.socket.close())


def sign_in(page, center_url: str, agent: Agent, password: str = PASSWORD) -> None:
    page.goto(center_url + "/desk")
    page.get_by_label("Username").fill(agent.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def go_online(page) -> None:
    page.get_by_label("My status").select_option("online")


@pytest.fixture(scope="module")
def people(center) -> Iterator[Center]:
    """The center's admin and its visitors; a test module imports this fixture."""
    background = Background("desk-test-loop")
    yield Center(center.url, background)
    background.close()


class PageProblems:
    """Console errors and failed requests of a desk page; a failed request is allowed
    only when the test expects it (a wrong password's 401)."""

    def __init__(self, page) -> None:
        self.console = ConsoleErrors(page)
        self.failed: list[tuple[int, str]] = []
        page.on("response", lambda r: r.status >= 400 and self.failed.append((r.status, r.url)))

    def assert_none(self, allowed: tuple[tuple[int, str], ...] = ()) -> None:
        unexpected = [(status, url) for status, url in self.failed
                      if not any(status == s and url.endswith(path) for s, path in allowed)]
        assert not unexpected, unexpected
        errors = [e for e in self.console.errors if not e.startswith("Failed to load resource")]
        assert not errors, errors
