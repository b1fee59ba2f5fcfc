"""Websocket echo: the server half every echo baseline serves, and the load client
that measures them all the same way.

The client sends text frames of a fixed size and waits for them to come back:
- "latency" mode keeps one frame in flight per connection and records each round trip;
- "throughput" mode keeps `window` frames in flight per connection for a fixed time
  and counts the echoes that arrive inside the measured window.
Compression and pings are off on the client so that only the edge is measured.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from starlette.websockets import WebSocket, WebSocketDisconnect
from websockets.asyncio.client import ClientConnection, connect

from benchmarks.lib.procs import WorkerError, raise_fd_limit, run_workers, wait_for_start
from benchmarks.lib.stats import summarize

ECHO_PATH = "/echo"
LOAD_PROCESSES = 2
# Concurrent handshakes per load process: opening thousands at once only measures
# the server's accept backlog.
_HANDSHAKE_CONCURRENCY = 64


async def echo_socket(websocket: WebSocket) -> None:
    """The echo endpoint (mounted at ECHO_PATH by every echo server)."""
    await websocket.accept()
    try:
        while True:
            await websocket.send_text(await websocket.receive_text())
    except WebSocketDisconnect:
        pass


async def wait_for_echo(url: str, timeout_s: float = 60) -> None:
    """Block until `url` answers an echo (servers report ready before routes are live)."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            async with connect(url, compression=None, ping_interval=None, open_timeout=5) as ws:
                await ws.send("ready?")
                if await asyncio.wait_for(ws.recv(), 5) == "ready?":
                    return
        except Exception as error:  # noqa: BLE001 - not up yet (refused, 404, timeout): retry
            if time.monotonic() > deadline:
                raise TimeoutError(f"no echo from {url} after {timeout_s} s: {error!r}") from error
        await asyncio.sleep(0.5)


async def echo_worker(config: dict, progress: Callable[[int], None]) -> dict:
    """One load process (see benchmarks.lib.procs). Config:
    url, connections, mode ("latency" | "throughput"), payload_bytes (default 100),
    latency: messages and warmup (per connection; warm-up round trips not recorded),
    throughput: duration_s, warmup_s (echoes not counted), window (frames in flight
    per connection). All connections open before any load process starts sending."""
    raise_fd_limit()
    payload = "x" * config.get("payload_bytes", 100)
    sockets = await open_all(config["url"], config["connections"])
    try:
        await wait_for_start(config)
        if config["mode"] == "latency":
            runs = await asyncio.gather(*(
                _latency_loop(ws, payload, config["messages"], config.get("warmup", 0), progress)
                for ws in sockets))
            return {"rtt_ms": [sample for run in runs for sample in run]}
        measure_from = time.time() + config.get("warmup_s", 0)
        measure_until = measure_from + config["duration_s"]
        counts = await asyncio.gather(*(
            _throughput_loop(ws, payload, config["window"], measure_from, measure_until, progress)
            for ws in sockets))
        return {"received": sum(counts), "measure_from": measure_from,
                "measure_until": measure_until}
    finally:
        await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)


async def open_all(url: str, count: int) -> list[ClientConnection]:
    gate = asyncio.Semaphore(_HANDSHAKE_CONCURRENCY)

    async def open_one() -> ClientConnection:
        async with gate:
            return await connect(url, compression=None, ping_interval=None, open_timeout=120,
                                 max_size=2**20)

    return list(await asyncio.gather(*(open_one() for _ in range(count))))


async def _latency_loop(ws: ClientConnection, payload: str, messages: int, warmup: int,
                        progress: Callable[[int], None]) -> list[float]:
    samples: list[float] = []
    for index in range(warmup + messages):
        started = time.perf_counter()
        await ws.send(payload)
        reply = await ws.recv()
        elapsed_ms = (time.perf_counter() - started) * 1000
        if reply != payload:
            raise AssertionError(f"echo returned {reply!r:.60}, not the frame sent")
        if index >= warmup:
            samples.append(elapsed_ms)
            progress(1)
    return samples


async def _throughput_loop(ws: ClientConnection, payload: str, window: int, measure_from: float,
                           measure_until: float, progress: Callable[[int], None]) -> int:
    # Every echo that comes back sends the next frame, so `window` stay in flight
    # until the window closes; then the last ones are drained.
    for _ in range(window):
        await ws.send(payload)
    in_flight = window
    counted = 0
    while in_flight:
        await ws.recv()
        in_flight -= 1
        now = time.time()
        if measure_from <= now < measure_until:
            counted += 1
            progress(1)
        if now < measure_until:
            await ws.send(payload)
            in_flight += 1
    return counted


def connection_counts(quick: bool) -> tuple[int, ...]:
    """The throughput loads of measure_echo; 2,000 is where the center's sustained
    relay is compared with Serve's echo."""
    return (1, 10, 100) if quick else (1, 10, 100, 500, 2000)


def measure_echo(url: str, quick: bool, label: str = "echo") -> dict:
    """Latency over one connection, then throughput at rising connection counts, each
    run from LOAD_PROCESSES load processes. Returns latency_ms (samples), latency
    (summary), throughput ([[connections, msgs_per_s], ...]) and notes (e.g. a
    connection count the server could not hold, after which we stop climbing)."""
    limit = raise_fd_limit()
    messages, warmup = (200, 20) if quick else (2000, 200)
    duration_s, warmup_s = (1.0, 0.2) if quick else (5.0, 1.0)

    [latency] = run_workers(
        "benchmarks.lib.echo_load:echo_worker",
        [{"url": url, "connections": 1, "mode": "latency", "messages": messages, "warmup": warmup}],
        desc=f"{label} latency", total=messages)
    samples = latency["rtt_ms"]
    throughput: list[list[float]] = []
    notes: list[str] = []
    for connections in connection_counts(quick):
        if connections > limit - 100:
            notes.append(f"{label}: skipped {connections} connections (open-file limit {limit})")
            break
        try:
            rate = _throughput_at(url, connections, duration_s, warmup_s, label)
        except WorkerError as error:
            notes.append(f"{label}: failed at {connections} connections: {_last_line(error)}")
            break
        throughput.append([connections, rate])
    return {"latency_ms": samples, "latency": summarize(samples), "throughput": throughput,
            "notes": notes}


def _throughput_at(url: str, connections: int, duration_s: float, warmup_s: float,
                   label: str) -> float:
    """Echoes per second over all load processes."""
    processes = min(LOAD_PROCESSES, connections)
    shares = [connections // processes + (index < connections % processes) for index in range(processes)]
    # Enough frames in flight to keep the server busy at low connection counts,
    # one per connection (a chatting visitor) from a hundred connections up.
    window = max(1, 64 // connections)
    configs = [{"url": url, "connections": share, "mode": "throughput", "window": window,
                "duration_s": duration_s, "warmup_s": warmup_s}
               for share in shares]
    runs = run_workers("benchmarks.lib.echo_load:echo_worker", configs,
                       desc=f"{label} x{connections}")
    # Over the union of the workers' windows (they start together at the barrier,
    # so the union is the window give or take a few ms).
    span = max(run["measure_until"] for run in runs) - min(run["measure_from"] for run in runs)
    return sum(run["received"] for run in runs) / span


def _last_line(error: Exception) -> str:
    lines = [line for line in str(error).splitlines() if line.strip()]
    return lines[-1] if lines else repr(error)
