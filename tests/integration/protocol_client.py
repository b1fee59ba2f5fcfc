"""A small client that knows only PROTOCOL.md, as frontends and load tools do."""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import websockets


class Api:
    def __init__(self, base_url: str, token: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    async def call(self, method: str, path: str, body: Any = None, expect: int | None = 200,
                   headers: dict[str, str] | None = None) -> Any:
        async with httpx.AsyncClient(base_url=self.base_url, timeout=30) as http:
            response = await http.request(method, path, json=body,
                                          headers={**self._headers(), **(headers or {})})
        if expect is not None:
            assert response.status_code == expect, f"{method} {path}: {response.status_code} {response.text}"
        return response.json() if response.content else None

    async def login(self, username: str, password: str) -> "Api":
        answer = await self.call("POST", "/api/v1/auth/login", {"username": username, "password": password})
        return Api(self.base_url, answer["token"])

    async def create_group(self, name: str, **extra: Any) -> dict:
        return await self.call("POST", "/api/v1/admin/skill-groups", {"name": name, **extra})

    async def create_agent(self, username: str, groups: dict[str, int], max_concurrent: int,
                           password: str = "secret-pw", role: str = "agent",
                           display_name: str | None = None, department_id: int | None = None) -> str:
        body = {"username": username, "password": password, "display_name": display_name or username.title(),
                "max_concurrent": max_concurrent, "role": role, "department_id": department_id,
                "skill_groups": [{"name": g, "level": lvl} for g, lvl in groups.items()]}
        return (await self.call("POST", "/api/v1/admin/agents", body))["agent_id"]

    async def new_visitor(self, name: str = "", **extra: Any) -> tuple[str, str]:
        answer = await self.call("POST", "/api/v1/visitors", {"name": name, **extra})
        return answer["visitor_id"], answer["token"]


@dataclass
class Socket:
    """A websocket that keeps every frame it received, so tests can wait for one."""

    ws: Any
    frames: list[dict] = field(default_factory=list)
    _cursor: int = 0
    _reader: asyncio.Task | None = None
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)
    token: str = ""  # whose socket it is (for the same person's REST calls)

    @classmethod
    async def open(cls, base_url: str, role: str, token: str,
                   headers: dict[str, str] | None = None) -> "Socket":
        url = base_url.replace("http://", "ws://") + f"/ws/{role}?token={token}"
        socket = cls(await websockets.connect(url, max_size=2**22, additional_headers=headers), token=token)
        socket._reader = asyncio.get_running_loop().create_task(socket._read())
        return socket

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                self.frames.append(json.loads(raw))
                self._arrived.set()
        except websockets.ConnectionClosed:
            pass
        finally:
            self._arrived.set()

    async def send(self, frame: dict) -> None:
        await self.ws.send(json.dumps(frame))

    async def send_raw(self, raw: str) -> None:
        await self.ws.send(raw)

    async def next(self, frame_type: str | None = None, timeout: float = 10.0, **match: Any) -> dict:
        """The next frame (after the last one returned) of this type matching these fields."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            while self._cursor < len(self.frames):
                frame = self.frames[self._cursor]
                self._cursor += 1
                if (frame_type is None or frame.get("type") == frame_type) and all(
                        frame.get(k) == v for k, v in match.items()):
                    return frame
            await self._more(deadline, lambda: f"no {frame_type} {match} within {timeout}s")

    async def each(self, *frame_types: str, timeout: float = 10.0) -> dict[str, dict]:
        """The first frame of each type after the last one returned, in whatever order they
        come (a command's reply and the events it caused travel different paths); the
        cursor moves past the last of them."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            found: dict[str, dict] = {}
            last = self._cursor
            for index in range(self._cursor, len(self.frames)):
                kind = self.frames[index].get("type")
                if kind in frame_types and kind not in found:
                    found[kind], last = self.frames[index], index
            if len(found) == len(frame_types):
                self._cursor = last + 1
                return found
            await self._more(deadline, lambda: f"not all of {frame_types} within {timeout}s")

    async def _more(self, deadline: float, missing) -> None:
        """Waits for another frame until `deadline`; past it (or once the socket closed),
        fails with `missing()` and the last frames."""
        remaining = deadline - asyncio.get_running_loop().time()
        if remaining <= 0 or (self._reader and self._reader.done()):
            raise AssertionError(f"{missing()}; got {self.frames[-8:]}")
        self._arrived.clear()
        try:
            await asyncio.wait_for(self._arrived.wait(), remaining)
        except asyncio.TimeoutError:
            pass

    def all(self, frame_type: str, **match: Any) -> list[dict]:
        return [f for f in self.frames if f.get("type") == frame_type
                and all(f.get(k) == v for k, v in match.items())]

    async def message(self, conversation_id: str, body: str, client_msg_id: str | None = None) -> dict:
        cmid = client_msg_id or uuid.uuid4().hex
        await self.send({"type": "message", "conversation_id": conversation_id,
                         "client_msg_id": cmid, "body": body})
        return await self.next("ack", client_msg_id=cmid)

    async def close(self) -> None:
        await self.ws.close()
        if self._reader:
            await self._reader


async def staff_member(admin: Api, groups: dict[str, int], max_concurrent: int, role: str = "agent",
                       online: bool = True, display_name: str | None = None,
                       department_id: int | None = None) -> tuple[str, Socket]:
    """A new staff account (named `display_name`, else after its username), logged in,
    workspace socket open (welcome read) and, unless told otherwise, online: (agent id,
    the socket)."""
    username = unique("ag")
    agent_id = await admin.create_agent(username, groups, max_concurrent, role=role,
                                        display_name=display_name, department_id=department_id)
    token = (await Api(admin.base_url).login(username, "secret-pw")).token
    socket = await Socket.open(admin.base_url, "agent", token)
    await socket.next("welcome")
    if online:
        await socket.send({"type": "status", "status": "online"})
        await socket.next("status", status="online")
    return agent_id, socket


async def online_agent_in_new_group(admin: Api, level: int, max_concurrent: int
                                    ) -> tuple[str, str, Socket]:
    """A new skill group with one new agent in it, logged in, socket open and online:
    (group name, agent id, the agent's socket)."""
    group = (await admin.create_group(unique("g")))["name"]
    agent_id, agent = await staff_member(admin, {group: level}, max_concurrent)
    return group, agent_id, agent


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"
