"""A TCP relay in a link's path that can cut it: `cut()` drops every connection (a link
reset: both ends see their stream die), `black_hole()` lets them carry nothing more while
they stay open; new ones are taken again at once. For the
benchmark's link resets (benchmarks/federation.py), in-process or as a process of its
own, where SIGUSR1 cuts (and it prints `cut` once done):

    python -m federation.link_relay LISTEN_PORT TARGET_PORT
"""

from __future__ import annotations

import asyncio
import signal
import sys

CHUNK = 65536


class LinkRelay:
    def __init__(self, target_port: int, host: str = "127.0.0.1") -> None:
        self.target_port, self.host = target_port, host
        self.writers: list[asyncio.StreamWriter] = []
        self.server: asyncio.AbstractServer | None = None
        self.connections = 0  # taken so far
        self._generation = 0  # connections of an older generation are black holes

    async def start(self, port: int) -> "LinkRelay":
        self.server = await asyncio.start_server(self._pipe, self.host, port)
        return self

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        generation = self._generation
        try:
            up_reader, up_writer = await asyncio.open_connection(self.host, self.target_port)
        except OSError:
            writer.close()  # the far end is down: the dialler sees its connection refused
            return
        self.writers += [writer, up_writer]

        async def copy(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(CHUNK):
                    if generation != self._generation:
                        continue  # a black hole: taken (the sender thinks it sent) and dropped
                    sink.write(data)
                    await sink.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                sink.close()

        await asyncio.gather(copy(reader, up_writer), copy(up_reader, writer))
        for end in (writer, up_writer):
            if end in self.writers:
                self.writers.remove(end)

    def black_hole(self) -> None:
        """The connections open now stay open but carry nothing more, either way (a
        half-open link: neither end hears of it but by its heartbeats); new ones work."""
        self._generation += 1

    def cut(self) -> None:
        for writer in self.writers:
            writer.transport.abort()  # a reset, not a goodbye: no FIN handshake
        self.writers.clear()

    async def stop(self) -> None:
        self.cut()
        if self.server is not None:
            self.server.close()


async def serve(listen_port: int, target_port: int) -> None:
    relay = await LinkRelay(target_port).start(listen_port)
    loop = asyncio.get_running_loop()

    def cut() -> None:
        relay.cut()
        print("cut", flush=True)  # the parent waits for it: what it sends next crosses a new stream

    loop.add_signal_handler(signal.SIGUSR1, cut)
    stopped = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopped.set)
    print("relaying", flush=True)  # the parent waits for this line: the port is open
    await stopped.wait()
    await relay.stop()


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1]), int(sys.argv[2])))
