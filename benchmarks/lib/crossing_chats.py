"""Visitors on hq and the agents who answer them (on hq, or on branch across the link),
seen only through PROTOCOL.md's sockets, for the federation benchmark.

Every message body says who wrote it, for which of hq's conversations, a number and
when: `v|<hq conversation>|<n>|<epoch s>` (the visitor's) or `a|...` (the agent's), so
the far socket takes its latency on arrival (both ends are in this process, one
clock) and the stored transcripts can be matched against what was sent
(benchmarks/lib/transcripts.py). A conversation is `forwarded` (its agent is on
branch) or `local` (on hq): the two kinds run side by side, through the same code.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from benchmarks.lib.kefu_client import Rest, Socket, open_agents
from benchmarks.lib.transcripts import Sent

FORWARDED, LOCAL = "forwarded", "local"
VISITOR_SAYS, AGENT_SAYS = "v", "a"
Key = tuple[str, str, int]  # (who wrote it, hq's conversation id, n)


def body_of(direction: str, conversation_id: str, n: int) -> str:
    return f"{direction}|{conversation_id}|{n}|{time.time():.6f}"


def parse(body: str) -> tuple[Key, float] | None:
    parts = body.split("|")
    if len(parts) != 4 or parts[0] not in (VISITOR_SAYS, AGENT_SAYS):
        return None
    return (parts[0], parts[1], int(parts[2])), float(parts[3])


@dataclass
class Chats:
    """What every socket of the run reports to: arrivals, latencies, what was sent."""

    phase: str = "setup"
    replies: bool = False  # agents answer each visitor message at once (the ping-pong)
    numbers: itertools.count = field(default_factory=lambda: itertools.count(1))
    visitors: dict[str, "Visitor"] = field(default_factory=dict)  # by hq conversation id
    latencies: dict[tuple[str, str, str], list[float]] = field(default_factory=lambda: defaultdict(list))
    delivered: dict[tuple[str, str], list[float]] = field(default_factory=lambda: defaultdict(list))
    arrivals: dict[Key, asyncio.Future] = field(default_factory=dict)
    sent: dict[str, dict[str, list[tuple[str, str]]]] = field(
        default_factory=lambda: defaultdict(lambda: {VISITOR_SAYS: [], AGENT_SAYS: []}))
    acked: set[str] = field(default_factory=set)  # client_msg_ids
    remote: dict[str, str] = field(default_factory=dict)  # hq conversation -> branch's, for forwarded ones

    def arrival(self, key: Key) -> asyncio.Future:
        if key not in self.arrivals:
            self.arrivals[key] = asyncio.get_running_loop().create_future()
        return self.arrivals[key]

    def arrived(self, body: str, at: float) -> Key | None:
        """A message of ours reached the other end; its key (None: not one of ours, or again)."""
        parsed = parse(body)
        if parsed is None:
            return None
        key, sent_at = parsed
        future = self.arrival(key)
        if future.done():
            return None  # shown again (a resend after a reconnect would be a duplicate: the transcripts count it)
        future.set_result(at)
        visitor = self.visitors.get(key[1])
        kind = visitor.kind if visitor else "unknown"
        self.latencies[(self.phase, kind, key[0])].append((at - sent_at) * 1000)
        self.delivered[(self.phase, kind)].append(at)
        return key

    def record(self, direction: str, conversation_id: str, body: str, client_msg_id: str) -> None:
        self.sent[conversation_id][direction].append((body, client_msg_id))

    def directions(self, conversation_id: str) -> list[list[Sent]]:
        return [[Sent(body, cmid in self.acked) for body, cmid in self.sent[conversation_id][direction]]
                for direction in (VISITOR_SAYS, AGENT_SAYS)]


class Visitor:
    """One visitor socket on hq and its one conversation."""

    def __init__(self, chats: Chats, kind: str, name: str) -> None:
        self.chats, self.kind, self.name = chats, kind, name
        self.socket: Socket | None = None
        self.conversation_id: str | None = None
        self.requested_at = 0.0
        self.agent_id: str | None = None
        self.answered = asyncio.get_running_loop().create_future()  # first queued/assigned: when
        self.assigned = asyncio.get_running_loop().create_future()  # (when, agent id)

    async def open(self, url: str, token: str) -> "Visitor":
        self.socket = await Socket.open(url, "/ws/visitor", token, self.on_frame)
        return self

    async def request(self, group: str) -> None:
        self.requested_at = time.time()
        await self.socket.send({"type": "chat.request", "skill_group": group})

    def on_frame(self, frame: dict) -> None:
        kind, now = frame.get("type"), time.time()
        if kind in ("queued", "assigned") and self.conversation_id is None:
            self.conversation_id = frame["conversation_id"]
            self.chats.visitors[self.conversation_id] = self
        if kind in ("queued", "assigned") and not self.answered.done():
            self.answered.set_result(now)
        if kind == "assigned" and not self.assigned.done():
            self.agent_id = frame["agent"]["id"]
            self.assigned.set_result((now, self.agent_id))
        elif kind == "ack":
            self.chats.acked.add(frame["client_msg_id"])
        elif kind == "message" and frame["message"]["sender"]["kind"] == "agent":
            self.chats.arrived(frame["message"]["body"], now)
        elif kind in ("offline", "error") and not self.assigned.done():
            self.assigned.set_exception(RuntimeError(f"chat.request failed: {frame}"))

    def served_from(self, peer: str) -> bool:
        """Assigned to an agent of the linked center `peer` (its ids come as `<peer>:<id>`)."""
        return (self.agent_id or "").startswith(f"{peer}:")

    async def say(self) -> Key:
        """A message to the agent; its key, to wait for its arrival."""
        n = next(self.chats.numbers)
        body, cmid = body_of(VISITOR_SAYS, self.conversation_id, n), uuid.uuid4().hex
        self.chats.record(VISITOR_SAYS, self.conversation_id, body, cmid)
        await self.socket.send({"type": "message", "conversation_id": self.conversation_id,
                                "client_msg_id": cmid, "body": body})
        return VISITOR_SAYS, self.conversation_id, n

    async def end(self) -> None:
        if self.conversation_id is not None:
            await self.socket.send({"type": "chat.end", "conversation_id": self.conversation_id})

    async def close(self) -> None:
        await self.socket.close()


class Desk:
    """One center's agents: they answer each visitor message when the run says so."""

    def __init__(self, chats: Chats, forwarded: bool) -> None:
        self.chats, self.forwarded = chats, forwarded
        self.sockets: dict[str, Socket] = {}
        self.serving: dict[str, str] = {}  # their conversation id -> the agent's username

    async def open(self, url: str, accounts: list[dict]) -> "Desk":
        sockets = await open_agents(url, accounts, self.on_frame)
        self.sockets = {account["username"]: s for account, s in zip(accounts, sockets)}
        return self

    def on_frame(self, agent: str, frame: dict) -> None:
        kind = frame.get("type")
        if kind == "assigned":
            self.serving[frame["conversation_id"]] = agent
        elif kind == "ack":
            self.chats.acked.add(frame["client_msg_id"])
        elif kind == "message" and frame["message"]["sender"]["kind"] == "visitor":
            message = frame["message"]
            key = self.chats.arrived(message["body"], time.time())
            if key is None:
                return
            self.serving[message["conversation_id"]] = agent
            if self.forwarded:
                self.chats.remote[key[1]] = message["conversation_id"]
            if self.chats.replies:  # the answer to message n is the agent's n
                asyncio.ensure_future(self.say(key[1], message["conversation_id"], key[2]))

    async def say(self, hq_conversation: str, conversation_id: str, n: int | None = None) -> Key:
        """A message from the agent serving `conversation_id` (this center's id of it)."""
        n = n if n is not None else next(self.chats.numbers)
        body, cmid = body_of(AGENT_SAYS, hq_conversation, n), uuid.uuid4().hex
        self.chats.record(AGENT_SAYS, hq_conversation, body, cmid)
        socket = self.sockets[self.serving.get(conversation_id) or next(iter(self.sockets))]
        await socket.send({"type": "message", "conversation_id": conversation_id, "client_msg_id": cmid,
                           "body": body})
        return AGENT_SAYS, hq_conversation, n

    async def close(self) -> None:
        await asyncio.gather(*(s.close() for s in self.sockets.values()), return_exceptions=True)


async def transcript(rest: Rest, conversation_id: str) -> list[str]:
    """A conversation's stored bodies, in seq order (the REST history, page by page)."""
    bodies: list[str] = []
    after = 0
    while True:
        page = (await rest.call("GET", f"/api/v1/conversations/{conversation_id}/messages"
                                f"?after_seq={after}&limit=1000"))["messages"]
        bodies += [m["body"] for m in page]
        if len(page) < 1000:
            return bodies
        after = page[-1]["seq"]


async def ping_pong(visitor: Visitor, until: float, think_s: tuple[float, float], stop: asyncio.Event | None = None,
                    timeout_s: float = 30.0) -> None:
    """A person's pace: write, wait for the answer, think, write again."""
    while time.time() < until and not (stop and stop.is_set()):
        key = await visitor.say()
        answer = visitor.chats.arrival((AGENT_SAYS, key[1], key[2]))
        try:
            await asyncio.wait_for(asyncio.shield(answer), timeout_s)
        except asyncio.TimeoutError:
            pass  # not answered in time: the transcripts tell whether it was lost
        await asyncio.sleep(random.uniform(*think_s))


async def closed_loop(visitor: Visitor, until: float, timeout_s: float = 30.0) -> None:
    """As fast as the path takes them: the next message once the agent has the last."""
    while time.time() < until:
        key = await visitor.say()
        try:
            await asyncio.wait_for(asyncio.shield(visitor.chats.arrival(key)), timeout_s)
        except asyncio.TimeoutError:
            pass
