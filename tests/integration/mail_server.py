"""A mail server on this machine for the tests (aiosmtpd): the far end of the replies to
left messages, keeping what it was sent."""

from __future__ import annotations

import asyncio
import socket
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class _Keep:
    def __init__(self) -> None:
        self.received: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        self.received.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


class MailServer:
    def __init__(self) -> None:
        self.port = free_port()
        self._keep = _Keep()
        self._controller = Controller(self._keep, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> "MailServer":
        self._controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self._controller.stop()

    async def next_message(self, timeout: float = 20) -> tuple[list[str], EmailMessage]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self._keep.received:
            if loop.time() > deadline:
                raise AssertionError(f"no mail within {timeout}s")
            await asyncio.sleep(0.05)
        return self._keep.received.pop(0)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
