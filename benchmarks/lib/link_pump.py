"""The link layer's own throughput: two `federation.links.Links` endpoints, each in a
process of its own, over real gRPC with mutual TLS (the centers' code, without the
centers): chat-message frames are pumped through the one stream as fast as it takes
them and counted, in order, at the far end.

Each end stands where the link actor's forwards would (`Peer.forwarding`): the
receiver counts and checks the seqs, and acknowledges every ACK_EVERY frames with
the link's own Ack frame; the sender keeps at most WINDOW frames unacknowledged, so
the outbox never grows without bound and what is measured is what crosses.

    python -m benchmarks.lib.link_pump receiver CERTS PORT COUNT
    python -m benchmarks.lib.link_pump sender CERTS PORT COUNT

The receiver prints one JSON line: frames, seconds from the first to the last, and
frames out of order or missing.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

from actors.routing.capacity import Capacity
from federation.config import LinksConfig
from federation.links import Links
from federation.peer import Peer
from federation.v1 import link_pb2 as pb

ACK_EVERY = 500
WINDOW = 20_000
FORWARD_ID = "f_linkpumpbenchmark00"
BODY = "hello from the link benchmark, a message of ordinary length"
UP_TIMEOUT_S = 30.0
RECEIVE_TIMEOUT_S = 120.0


def config(certs: Path, name: str, peer: str, port: int, dials: bool) -> LinksConfig:
    link = {"peer": peer, **({"address": f"127.0.0.1:{port}"} if dials else {})}
    return LinksConfig.model_validate({
        "name": name, "listen": None if dials else f"127.0.0.1:{port}",
        "certificate": certs / f"{name}.pem", "key": certs / f"{name}-key.pem", "ca": certs / "ca.pem",
        "links": [link]})


async def no_capacity(business: str) -> Capacity | None:
    return None  # nothing to advertise: only the pumped frames cross


class Ends:
    """What the link actor's forwards would be to the peer (federation/forwarding.py)."""

    def __init__(self) -> None:
        self.up = asyncio.Event()
        self.acked = 0
        self.acks = asyncio.Event()
        self.count = 0
        self.out_of_order = 0
        self.first_at: float | None = None
        self.last_at = 0.0
        self.done = asyncio.Event()
        self.expected = 0

    def received(self, peer: str) -> list[pb.Received]:
        return []  # no open forwards for the Hello to name

    def on_down(self, peer: Peer) -> None:
        self.up.clear()

    async def on_up(self, peer: Peer, hello: pb.Hello) -> None:
        self.up.set()

    def on_frame(self, peer: Peer, frame: pb.Frame) -> None:
        kind = frame.WhichOneof("kind")
        if kind == "ack":
            self.acked = frame.ack.up_to_seq
            self.acks.set()
        elif kind == "message":
            now = time.perf_counter()
            self.first_at = self.first_at or now
            self.last_at = now
            self.count += 1
            if frame.message.seq != self.count:
                self.out_of_order += 1
            if self.count % ACK_EVERY == 0 or self.count == self.expected:
                peer.send(pb.Frame(ack=pb.Ack(forward_id=FORWARD_ID, up_to_seq=self.count)))
            if self.count >= self.expected:
                self.done.set()


def attach(links: Links, peer_name: str) -> tuple[Peer, Ends]:
    ends, peer = Ends(), links.peers[peer_name]
    peer.forwarding = ends
    return peer, ends


def frame(seq: int) -> pb.Frame:
    return pb.Frame(message=pb.ChatMessage(
        forward_id=FORWARD_ID, seq=seq, message_id=f"{seq:032d}", body=BODY, ts_ms=int(time.time() * 1000),
        sender=pb.Sender(kind="visitor", id="v_0123456789abcdef0123", display_name="Visitor")))


async def receive(certs: Path, port: int, count: int) -> dict:
    links = await Links(config(certs, "branch", "hq", port, dials=False), no_capacity).start()
    peer, ends = attach(links, "hq")
    ends.expected = count
    try:
        print("listening", flush=True)
        await asyncio.wait_for(ends.done.wait(), RECEIVE_TIMEOUT_S)
    except asyncio.TimeoutError:
        pass
    finally:
        await links.stop()
    seconds = ends.last_at - ends.first_at if ends.first_at else 0.0
    return {"frames": ends.count, "seconds": seconds, "out_of_order": ends.out_of_order,
            "missing": count - ends.count}


async def send(certs: Path, port: int, count: int) -> dict:
    links = await Links(config(certs, "hq", "branch", port, dials=True), no_capacity).start()
    peer, ends = attach(links, "branch")
    try:
        await asyncio.wait_for(ends.up.wait(), UP_TIMEOUT_S)
        seq = 0
        while seq < count:
            while seq - ends.acked >= WINDOW:
                ends.acks.clear()
                await ends.acks.wait()
            for _ in range(min(ACK_EVERY, count - seq)):
                seq += 1
                peer.send(frame(seq))
            await asyncio.sleep(0)  # let the writer take what is queued
        while ends.acked < count:
            ends.acks.clear()
            await asyncio.wait_for(ends.acks.wait(), RECEIVE_TIMEOUT_S)
    finally:
        await links.stop()
    return {"sent": count}


def main(argv: list[str]) -> None:
    role, certs, port, count = argv[0], Path(argv[1]), int(argv[2]), int(argv[3])
    result = asyncio.run((receive if role == "receiver" else send)(certs, port, count))
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
