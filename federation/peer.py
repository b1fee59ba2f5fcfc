"""One link to one peer center, across the streams it goes through.

A stream (federation/transport.py makes them, dialled or accepted) is run here:
the Hello exchange (the peer must name itself as its certificate does), then a
writer that batches whatever frames are ready, heartbeats that measure the round
trip, capacity adverts for the businesses the peer may offer us, and a reader that
takes the peer's frames. A peer silent for `dead_after_s` is down: the stream is
dropped and the dialling side dials again. A new stream from the same peer
replaces the old one (the peer restarted, or the old stream is half-open).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from dataclasses import dataclass, field
from typing import Awaitable, Callable, Protocol

from actors.routing.capacity import Capacity
from federation.config import LinkConfig, LinksConfig
from federation.v1 import link_pb2 as pb

log = logging.getLogger(__name__)

PROTOCOL_VERSION = 1
CAPABILITIES = ("heartbeat", "advert", "isolate", "forward")
MAX_BATCH = 500
# A batch is one gRPC message (at most 16 MiB, federation/transport.py): attachments'
# chunks (256 KiB each) fill a batch by size long before by count.
MAX_BATCH_BYTES = 4 * 1024 * 1024
ADVERT_POLL_S = 0.2  # how often our capacity is looked at: a change goes out this fast

AdvertSource = Callable[[str], Awaitable[Capacity | None]]


class Stream(Protocol):
    async def read(self) -> pb.Batch | None: ...  # None: the stream ended
    async def write(self, batch: pb.Batch) -> None: ...
    def cancel(self) -> None: ...


class LinkRefused(Exception):
    """The peer is not who the link expects, or speaks another protocol."""


@dataclass
class ReceivedAdvert:
    advert: pb.Advert
    received_at: float  # monotonic


@dataclass
class LinkStatus:
    """A link as `GET /api/v1/admin/links` shows it (serve/api/links.py, field for field)."""

    peer: str
    role: str
    up: bool = False
    since: float | None = None  # epoch s of the last change of `up`
    rtt_ms: float | None = None
    last_heard: float | None = None  # epoch s
    peer_epoch: int = 0
    advert_age_s: dict[str, float] = field(default_factory=dict)  # business -> age in s (usable ones)
    streams: int = 0  # streams that said hello, so far
    refused: int = 0  # streams and frames refused, either way
    isolated: bool = False  # by us: no new offers either way
    isolated_by_peer: bool = False


def _now_ms() -> int:
    return int(time.time() * 1000)


class Peer:
    def __init__(self, me: LinksConfig, link: LinkConfig, adverts: AdvertSource) -> None:
        self.me, self.link, self.source = me, link, adverts
        self.name = link.peer
        self.status = LinkStatus(link.peer, link.role)
        self.received: dict[str, ReceivedAdvert] = {}
        # Isolation (an admin's switch, either end): no new offers either way across the
        # link; the conversations crossing it already carry on.
        self.isolated_by_peer = False  # they told us
        self.isolating = False  # we told them (federation/link_actor.py keeps the switch)
        self._epoch = _now_ms()  # grows across restarts too
        self._outbox: asyncio.Queue[pb.Frame] | None = None
        self._current: Stream | None = None
        self._running: asyncio.Task | None = None
        self._echo_ms = 0  # the peer's last heartbeat stamp, echoed back
        # The link actor's forwards (federation/forwarding.py): offers, and what each
        # forwarded conversation sends; None on a link that only advertises.
        self.forwarding = None

    # -- what the rest of the center reads ------------------------------------------------

    def advert(self, business: str) -> pb.Advert | None:
        """The peer's advert for `business`, if one arrived within its TTL."""
        got = self.received.get(business)
        if got is None or time.monotonic() - got.received_at > got.advert.ttl_ms / 1000:
            return None
        return got.advert

    def snapshot(self) -> LinkStatus:
        now = time.monotonic()
        self.status.advert_age_s = {business: round(now - got.received_at, 3)
                                    for business, got in self.received.items() if self.advert(business) is not None}
        self.status.isolated, self.status.isolated_by_peer = self.isolating, self.isolated_by_peer
        return self.status

    @property
    def isolated(self) -> bool:
        return self.isolating or self.isolated_by_peer

    def isolate(self, isolated: bool) -> None:
        self.isolating = isolated
        self.send(pb.Frame(isolate=pb.Isolate(isolated=isolated)))  # if down: said after the next hello

    def drop_stream(self) -> None:
        """Ends the current stream (the dialling side dials again): its Hello exchange
        makes both sides resend what the other has not stored."""
        if self._running is not None and not self._running.done():
            self._running.cancel()

    def send(self, frame: pb.Frame) -> bool:
        if self._outbox is None:
            return False
        self._outbox.put_nowait(frame)
        return True

    # -- a stream's life ------------------------------------------------------------------

    async def run(self, stream: Stream, dialled: bool) -> bool:
        """Runs `stream` until it ends, the peer falls silent or another replaces it;
        True if the link was up on it."""
        self._epoch += 1
        try:
            if dialled:
                await stream.write(pb.Batch(frames=[self._hello()]))
            first = await asyncio.wait_for(stream.read(), self.me.dead_after_s)
            hello = self._check_hello(first)
        except LinkRefused as refused:
            self.status.refused += 1
            log.warning("link %s refused: %s", self.name, refused)
            with contextlib.suppress(Exception):
                await stream.write(pb.Batch(frames=[pb.Frame(refusal=pb.Refusal(code="refused", message=str(refused)))]))
            stream.cancel()
            raise
        except asyncio.TimeoutError:
            log.warning("link %s: no hello within %.1f s", self.name, self.me.dead_after_s)
            stream.cancel()
            return False
        # Only a stream that introduced itself properly replaces the one we have: the
        # newer stream wins (the old one may be half-open).
        if self._running is not None and not self._running.done():
            self._running.cancel()
        if self._current is not None:
            self._current.cancel()
        self._current, self._running = stream, asyncio.current_task()
        self.status.streams += 1
        try:
            if not dialled:
                await stream.write(pb.Batch(frames=[self._hello()]))
            self._up(hello)
            await self._serve(stream, hello)
        finally:
            if self._current is stream:
                self._current = self._running = None
                self._down()
            stream.cancel()
        return True

    def _hello(self) -> pb.Frame:
        received = self.forwarding.received(self.name) if self.forwarding is not None else []
        return pb.Frame(hello=pb.Hello(center_id=self.me.name, protocol_version=PROTOCOL_VERSION,
                                       capabilities=list(CAPABILITIES), link_epoch=self._epoch,
                                       received=received))

    def _check_hello(self, batch: pb.Batch | None) -> pb.Hello:
        if batch is None or not batch.frames or batch.frames[0].WhichOneof("kind") != "hello":
            raise LinkRefused("the first frame must be hello")
        hello = batch.frames[0].hello
        if hello.center_id != self.name:
            raise LinkRefused(f"the certificate says {self.name}, the hello says {hello.center_id!r}")
        if hello.protocol_version != PROTOCOL_VERSION:
            raise LinkRefused(f"protocol version {hello.protocol_version} (we speak {PROTOCOL_VERSION})")
        return hello

    def _up(self, hello: pb.Hello) -> None:
        self.status.up, self.status.since = True, time.time()
        self.status.peer_epoch = hello.link_epoch
        self.status.last_heard = time.time()
        log.info("link %s up (epoch %d)", self.name, hello.link_epoch)

    def _down(self) -> None:
        if self.status.up:
            log.info("link %s down", self.name)
        self.status.up, self.status.since = False, time.time()
        self._outbox = None
        if self.forwarding is not None:
            self.forwarding.on_down(self)

    async def _serve(self, stream: Stream, hello: pb.Hello) -> None:
        self._outbox = outbox = asyncio.Queue()
        self.isolated_by_peer = False  # until its frame says so again, after its hello
        self.send(pb.Frame(isolate=pb.Isolate(isolated=self.isolating)))
        tasks = [asyncio.create_task(self._write_loop(stream, outbox)),
                 asyncio.create_task(self._heartbeat_loop()),
                 asyncio.create_task(self._advert_loop())]
        reader = asyncio.create_task(self._read_loop(stream))
        # What the peer missed of our open forwards, from what its hello says it has: it
        # ends when done, so it is not among the tasks whose end ends the stream.
        resend = asyncio.create_task(self._resend(hello)) if self.forwarding is not None else None
        try:
            done, _ = await asyncio.wait([reader, *tasks], return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                if task.exception() is not None and not isinstance(task.exception(), asyncio.CancelledError):
                    log.info("link %s stream ended: %r", self.name, task.exception())
        finally:
            tasks += [resend] if resend is not None else []
            for task in (reader, *tasks):
                task.cancel()
            await asyncio.gather(reader, *tasks, return_exceptions=True)

    async def _resend(self, hello: pb.Hello) -> None:
        try:
            await self.forwarding.on_up(self, hello)
        except Exception:  # noqa: BLE001 - the next reconnect tries again
            log.exception("link %s: resending after the hello failed", self.name)

    async def _write_loop(self, stream: Stream, outbox: asyncio.Queue) -> None:
        while True:
            frames = [await outbox.get()]
            size = frames[0].ByteSize()
            while not outbox.empty() and len(frames) < MAX_BATCH and size < MAX_BATCH_BYTES:
                frames.append(outbox.get_nowait())
                size += frames[-1].ByteSize()
            await stream.write(pb.Batch(frames=frames))

    async def _read_loop(self, stream: Stream) -> None:
        while True:
            batch = await asyncio.wait_for(stream.read(), self.me.dead_after_s)
            if batch is None:
                return
            self.status.last_heard = time.time()
            for frame in batch.frames:
                self._receive(frame)

    async def _heartbeat_loop(self) -> None:
        while True:
            self.send(pb.Frame(heartbeat=pb.Heartbeat(sent_at_ms=_now_ms(), echo_ms=self._echo_ms)))
            await asyncio.sleep(self.me.heartbeat_s)

    async def _advert_loop(self) -> None:
        sequence = _now_ms()  # increasing across restarts
        last: dict[str, tuple] = {}
        last_sent = 0.0
        while True:
            due = time.monotonic() - last_sent >= self.me.advert_every_s
            for business in self.link.accept:
                got = await self.source(business)
                if got is None:
                    continue
                key = (got.queue_length, got.agents_available, got.agents_staffed, got.open_now,
                       round(got.expected_wait_s, 1) if math.isfinite(got.expected_wait_s) else -1)
                if due or last.get(business) != key:
                    sequence += 1
                    last[business] = key
                    self.send(pb.Frame(advert=pb.Advert(
                        business=business, expected_wait_s=got.expected_wait_s,
                        agents_available=got.agents_available, agents_staffed=got.agents_staffed,
                        queue_length=got.queue_length, open_now=got.open_now, sequence=sequence,
                        ttl_ms=int(self.me.advert_ttl_s * 1000))))
            if due:
                last_sent = time.monotonic()
            await asyncio.sleep(ADVERT_POLL_S)

    # -- the peer's frames ----------------------------------------------------------------

    def _receive(self, frame: pb.Frame) -> None:
        kind = frame.WhichOneof("kind")
        if kind == "heartbeat":
            self._echo_ms = frame.heartbeat.sent_at_ms
            if frame.heartbeat.echo_ms:
                self.status.rtt_ms = max(0, _now_ms() - frame.heartbeat.echo_ms)
        elif kind == "advert":
            self._advert(frame.advert)
        elif kind == "isolate":
            self.isolated_by_peer = frame.isolate.isolated
        elif kind == "refusal":
            self.status.refused += 1
            log.warning("link %s refused a frame: %s %s", self.name, frame.refusal.code, frame.refusal.message)
        elif kind == "hello":
            self._refuse("bad_frame", "hello comes once, first")
        elif self.forwarding is not None:
            self.forwarding.on_frame(self, frame)
        else:
            # A link without forwarding (tests of the transport): say so, never drop silently.
            self._refuse("unsupported", f"{kind}: this link does not forward")

    def _advert(self, advert: pb.Advert) -> None:
        if advert.business not in self.link.forwarded():
            self._refuse("not_allowed", f"this link forwards no {advert.business!r}")
            return
        known = self.received.get(advert.business)
        if known is not None and known.advert.sequence >= advert.sequence:
            return  # older than what we have
        self.received[advert.business] = ReceivedAdvert(advert, time.monotonic())

    def _refuse(self, code: str, message: str) -> None:
        self.status.refused += 1
        self.send(pb.Frame(refusal=pb.Refusal(code=code, message=message)))
