"""The link's gRPC ends, with mutual TLS: the server partners dial in to, and the
dialler that keeps a stream open to each peer with an address.

The peer's name is read from its certificate (its common name, which the CA
signed), never from what it says: a peer not in the links file, or one whose
certificate does not chain to the configured CA, gets no stream. gRPC keepalive is
left at what a peer on defaults accepts (a ping at most every 5 minutes); liveness
is the link's own heartbeats (federation/peer.py).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Callable

import grpc

from federation.config import LinksConfig
from federation.peer import LinkRefused, Peer
from federation.v1 import link_pb2 as pb
from federation.v1 import link_pb2_grpc as rpc

log = logging.getLogger(__name__)

KEEPALIVE = [("grpc.keepalive_time_ms", 300_000), ("grpc.keepalive_permit_without_calls", 0),
             ("grpc.max_receive_message_length", 16 * 1024 * 1024)]
# gRPC's own reconnect backoff grows to two minutes after a few failed connects (a peer
# restarting, a link cut again and again): the link must come back within a second or
# two of its peer, so the channel retries as often as our dialler does.
RECONNECT = [("grpc.initial_reconnect_backoff_ms", 100), ("grpc.min_reconnect_backoff_ms", 100),
             ("grpc.max_reconnect_backoff_ms", 1000)]
REDIAL_FIRST_S = 0.1
REDIAL_MAX_S = 2.0


def _read(path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


class _ServerStream:
    def __init__(self, context: grpc.aio.ServicerContext) -> None:
        self.context = context
        self.done = asyncio.Event()

    async def read(self) -> pb.Batch | None:
        got = await self.context.read()
        return None if got is grpc.aio.EOF else got

    async def write(self, batch: pb.Batch) -> None:
        await self.context.write(batch)

    def cancel(self) -> None:
        self.done.set()


class _ClientStream:
    def __init__(self, call) -> None:
        self.call = call

    async def read(self) -> pb.Batch | None:
        got = await self.call.read()
        return None if got is grpc.aio.EOF else got

    async def write(self, batch: pb.Batch) -> None:
        await self.call.write(batch)

    def cancel(self) -> None:
        self.call.cancel()


def peer_name(context: grpc.aio.ServicerContext) -> str | None:
    names = context.auth_context().get("x509_common_name") or []
    return names[0].decode() if names else None


class LinkServicer(rpc.CenterLinkServicer):
    def __init__(self, peers: Callable[[str], Peer | None], on_stranger: Callable[[], None]) -> None:
        self.peers, self.on_stranger = peers, on_stranger

    async def Link(self, request_iterator, context):  # noqa: N802 - the generated name
        name = peer_name(context)
        peer = self.peers(name) if name else None
        if peer is None:
            self.on_stranger()
            log.warning("link refused: %s (%s) is not a configured peer", name, context.peer())
            await context.abort(grpc.StatusCode.PERMISSION_DENIED, f"{name!r} is not linked to this center")
            return
        stream = _ServerStream(context)
        try:
            await peer.run(stream, dialled=False)
        except LinkRefused as refused:
            await context.abort(grpc.StatusCode.PERMISSION_DENIED, str(refused))


async def start_server(config: LinksConfig, peers: Callable[[str], Peer | None],
                       on_stranger: Callable[[], None]) -> grpc.aio.Server:
    """Serves the link on `config.listen`; a certificate of our CA naming no configured
    peer is refused and counted (`on_stranger`); one of another CA never gets past TLS."""
    credentials = grpc.ssl_server_credentials(
        [(_read(config.key), _read(config.certificate))], root_certificates=_read(config.ca),
        require_client_auth=True)
    server = grpc.aio.server(options=KEEPALIVE)
    rpc.add_CenterLinkServicer_to_server(LinkServicer(peers, on_stranger), server)
    port = server.add_secure_port(config.listen, credentials)
    if port == 0:
        raise OSError(f"cannot listen for links on {config.listen}")
    await server.start()
    log.info("link server listening on %s", config.listen)
    return server


async def dial_forever(config: LinksConfig, peer: Peer, address: str) -> None:
    """Keeps a stream open to `peer`, dialling again (with a growing pause, up to 2 s)
    whenever one ends; until cancelled."""
    credentials = grpc.ssl_channel_credentials(root_certificates=_read(config.ca),
                                               private_key=_read(config.key),
                                               certificate_chain=_read(config.certificate))
    # The server's certificate must name the peer we mean to reach, whatever the address.
    options = KEEPALIVE + RECONNECT + [("grpc.ssl_target_name_override", peer.name)]
    pause = REDIAL_FIRST_S
    async with grpc.aio.secure_channel(address, credentials, options=options) as channel:
        stub = rpc.CenterLinkStub(channel)
        while True:
            call = stub.Link()
            # Its own task: a newer stream of the same peer cancels the run, not this loop.
            run = asyncio.create_task(peer.run(_ClientStream(call), dialled=True))
            try:
                if await run:
                    pause = REDIAL_FIRST_S  # it was up: the next try is soon
            except asyncio.CancelledError:
                if not run.cancelled() or asyncio.current_task().cancelling():
                    raise
            except LinkRefused:
                pass
            except grpc.aio.AioRpcError as error:
                if error.code() is not grpc.StatusCode.CANCELLED:
                    log.info("link %s: %s %s", peer.name, error.code().name, error.details())
            except Exception:  # noqa: BLE001 - whatever broke, dial again
                log.exception("link %s stream failed", peer.name)
            finally:
                call.cancel()
            await asyncio.sleep(pause)
            pause = min(pause * 2, REDIAL_MAX_S)
