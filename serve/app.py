"""The center's HTTP and websocket edge as a Ray Serve deployment (FastAPI ingress)."""

from __future__ import annotations

from fastapi import FastAPI
from ray import serve

from actors.runtime.latency import shorten_thread_switches
from config.settings import Settings
from serve import api, errors, sockets
from serve.runtime import GatewayRuntime, install
from serve.ui import pages

app = FastAPI(
    title="kefu: online customer-service center",
    version="1.0",
    description="REST edge of the center. Websocket frames are documented in serve/websocket-frames.md.",
)
errors.install(app)
app.include_router(api.router)
app.include_router(sockets.router)
app.include_router(pages.router)


@serve.deployment(name="gateway", logging_config={"enable_access_log": False})
@serve.ingress(app)
class Gateway:
    def __init__(self, settings: Settings) -> None:
        shorten_thread_switches()
        install(GatewayRuntime(settings))


def gateway_app(settings: Settings):
    # An open websocket holds one of the replica's ongoing-request slots for its
    # whole life (DESIGN.md decision 7), so the limit is the socket count planned.
    return Gateway.options(
        num_replicas=settings.gateway_replicas,
        max_ongoing_requests=settings.max_connections,
        max_queued_requests=-1,
    ).bind(settings)
