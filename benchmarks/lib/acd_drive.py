"""A steady ACD load for profiling: chats arriving at a fixed open-loop rate,
each assigned, ended by its visitor at once and its visitor back in the pool.

The center does the whole life of a routed conversation per arrival (open,
route, enqueue, offer, reserve, record, end, release) while the number of open
conversations stays small, so CPU per assignment is what the ACD path costs,
not what a growing number of open chats costs.
"""

from __future__ import annotations

import asyncio
from typing import Callable

from benchmarks.lib.kefu_client import Socket, open_agents
from benchmarks.lib.profile_window import steady_phase
from benchmarks.lib.scenario import Cast, Target


async def drive_acd(center: Target, cast: Cast, rate: float, warmup_s: float, window_s: float,
                    on_window: Callable[[], None]) -> int:
    """Chats at `rate` for warmup + window (+ a tail); `on_window()` runs in a
    thread over the window. Returns the assignments seen within the window."""
    seen = {"window": 0, "open": False, "late": 0, "repeated": 0}
    assigned: set[str] = set()
    idle: asyncio.Queue[dict] = asyncio.Queue()
    visitors: list[dict] = []
    agent_sockets = await open_agents(center.url, cast.accounts, lambda _agent, _frame: None)

    async def open_visitor(token: str) -> None:
        visitor: dict = {}
        visitors.append(visitor)

        def frame_in(frame: dict) -> None:
            if frame.get("type") == "assigned":
                if frame["conversation_id"] in assigned:
                    seen["repeated"] += 1  # told twice (a reply and an event): counted once
                    return
                assigned.add(frame["conversation_id"])
                if seen["open"]:
                    seen["window"] += 1
                asyncio.ensure_future(visitor["socket"].send(
                    {"type": "chat.end", "conversation_id": frame["conversation_id"]}))
            elif frame.get("type") in ("ended", "offline"):
                idle.put_nowait(visitor)

        visitor["socket"] = await Socket.open(center.url, "/ws/visitor", token, frame_in)
        idle.put_nowait(visitor)

    semaphore = asyncio.Semaphore(50)

    async def limited(token: str) -> None:
        async with semaphore:
            await open_visitor(token)

    await asyncio.gather(*(limited(token) for token in cast.tokens))

    async def arrive(_n: int, _moment: float) -> None:
        if idle.empty():
            seen["late"] += 1  # every visitor still in a chat: the center is behind
            return
        visitor = idle.get_nowait()
        await visitor["socket"].send({"type": "chat.request", "skill_group": cast.group})

    await steady_phase(rate, warmup_s, window_s, seen, on_window, arrive)
    if seen["repeated"]:
        print(f"{seen['repeated']} `assigned` frames repeated one seen before")
    if seen["late"]:
        print(f"{seen['late']} arrivals found no idle visitor (the center fell behind the rate)")
    for visitor in visitors:
        await visitor["socket"].close()
    for socket in agent_sockets:
        await socket.close()
    return seen["window"]
