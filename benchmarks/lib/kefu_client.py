"""A load client of the center that knows only PROTOCOL.md (and the documented
frames of serve/websocket-frames.md): REST calls with httpx, sockets with
`websockets`. Kept lean: thousands of these run in one load process.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

import httpx
import websockets

# A socket's frames are handed to a callback as they arrive; these many may wait.
SOCKET_OPEN_TIMEOUT_S = 60.0


class ApiError(RuntimeError):
    pass


class Rest:
    """The REST edge with one pooled HTTP client; `token` is sent as a bearer."""

    def __init__(self, base_url: str, token: str | None = None, connections: int = 20) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        self._http = httpx.AsyncClient(base_url=self.base_url, timeout=60, limits=limits)

    async def call(self, method: str, path: str, body: Any = None) -> Any:
        headers = {"authorization": f"Bearer {self.token}"} if self.token else {}
        response = await self._http.request(method, path, json=body, headers=headers)
        if response.status_code >= 400:
            raise ApiError(f"{method} {path}: {response.status_code} {response.text[:300]}")
        return response.json()

    async def login(self, username: str, password: str) -> dict:
        reply = await self.call("POST", "/api/v1/auth/login", {"username": username, "password": password})
        return reply

    async def close(self) -> None:
        await self._http.aclose()


def ws_url(base_url: str, path: str, token: str) -> str:
    scheme = "wss" if base_url.startswith("https") else "ws"
    return f"{scheme}://{base_url.split('://', 1)[1].rstrip('/')}{path}?token={token}"


@dataclass
class Socket:
    """One open websocket; every received frame goes to `on_frame`."""

    ws: Any
    on_frame: Callable[[dict], None]
    reader: asyncio.Task | None = None

    @classmethod
    async def open(cls, base_url: str, path: str, token: str,
                   on_frame: Callable[[dict], None]) -> "Socket":
        ws = await websockets.connect(ws_url(base_url, path, token), open_timeout=SOCKET_OPEN_TIMEOUT_S,
                                      max_size=2**22, ping_interval=None, compression=None)
        socket = cls(ws, on_frame)
        socket.reader = asyncio.get_running_loop().create_task(socket._read())
        return socket

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                self.on_frame(json.loads(raw))
        except websockets.ConnectionClosed:
            pass

    async def send(self, frame: dict) -> None:
        await self.ws.send(json.dumps(frame))

    async def close(self) -> None:
        await self.ws.close()
        if self.reader is not None:
            await asyncio.gather(self.reader, return_exceptions=True)


@dataclass
class Waiter:
    """Frames of one kind routed by conversation id to futures (or a default callback)."""

    futures: dict[str, asyncio.Future] = field(default_factory=dict)

    def expect(self, key: str) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        self.futures[key] = future
        return future

    def resolve(self, key: str, value: Any) -> bool:
        future = self.futures.pop(key, None)
        if future is None or future.done():
            return False
        future.set_result(value)
        return True


async def setup_group_and_agents(base_url: str, admin_password: str, prefix: str, agents: int,
                                 cap: int, connections: int = 10) -> tuple[str, list[dict]]:
    """A fresh skill group and `agents` agents in it: [{username, password}]."""
    admin = Rest(base_url, connections=connections)
    try:
        admin.token = (await admin.login("admin", admin_password))["token"]
        group = f"{prefix}-{uuid.uuid4().hex[:6]}"
        await admin.call("POST", "/api/v1/admin/skill-groups", {"name": group})
        accounts = [{"username": f"{group}-a{i}", "password": f"pw-{group}-{i}"} for i in range(agents)]
        semaphore = asyncio.Semaphore(connections)

        async def create(account: dict) -> None:
            async with semaphore:
                await admin.call("POST", "/api/v1/admin/agents", {
                    **account, "display_name": account["username"], "max_concurrent": cap,
                    "skill_groups": [{"name": group, "level": 1}]})

        await asyncio.gather(*(create(account) for account in accounts))
        return group, accounts
    finally:
        await admin.close()


async def create_visitors(base_url: str, count: int, connections: int = 10, prefix: str = "bench") -> list[str]:
    """Tokens of `count` new anonymous visitors, named `prefix`-0, `prefix`-1..."""
    rest = Rest(base_url, connections=connections)
    semaphore = asyncio.Semaphore(connections)

    async def create(i: int) -> str:
        async with semaphore:
            return (await rest.call("POST", "/api/v1/visitors", {"name": f"{prefix}-{i}"}))["token"]

    try:
        return await asyncio.gather(*(create(i) for i in range(count)))
    finally:
        await rest.close()


async def open_agents(base_url: str, accounts: list[dict], on_frame: Callable[[str, dict], None],
                      connections: int = 10) -> list[Socket]:
    """Log the agents in, open their sockets and set them online; returns once every
    agent's `status` answer arrived. `on_frame(username, frame)` sees every frame."""
    rest = Rest(base_url, connections=connections)
    semaphore = asyncio.Semaphore(connections)
    online = Waiter()

    async def one(account: dict) -> Socket:
        async with semaphore:
            token = (await rest.login(account["username"], account["password"]))["token"]
            name = account["username"]

            def frame_in(frame: dict, name: str = name) -> None:
                if frame.get("type") == "status" and frame.get("status") == "online":
                    online.resolve(name, True)
                on_frame(name, frame)

            ready = online.expect(name)
            socket = await Socket.open(base_url, "/ws/agent", token, frame_in)
            await socket.send({"type": "status", "status": "online"})
            await asyncio.wait_for(ready, 60)
            return socket

    try:
        return await asyncio.gather(*(one(account) for account in accounts))
    finally:
        await rest.close()


def client_id() -> str:
    return uuid.uuid4().hex
