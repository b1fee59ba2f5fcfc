"""A local stand-in for an OpenAI-compatible endpoint (POST /v1/chat/completions), on
127.0.0.1 in a thread of the test: it refuses a wrong model or key as a real one would,
records every request it got, and answers the way `mode` says (a completion echoing
the grounding it was given, NO_ANSWER, a 500, malformed JSON, or too late)."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MODEL = "fake-model-1"
API_KEY = "sk-test-0123456789abcd"
REPLY_PREFIX = "From the articles: "


@dataclass
class FakeChatCompletions:
    mode: str = "answer"  # answer | no_answer | error | bad_json | slow
    # What the "answer" mode says after REPLY_PREFIX; None: the first article's title.
    reply: str | None = None
    slow_s: float = 3.0
    requests: list[dict[str, Any]] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _released: threading.Event = field(default_factory=threading.Event)

    @property
    def base_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def start(self) -> "FakeChatCompletions":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet: the test reports what matters
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                fake.requests.append({"path": self.path, "authorization": self.headers.get("Authorization"),
                                      "body": body})
                fake.answer(self, body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._released.set()  # a slow answer still waiting ends now
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def answer(self, handler: BaseHTTPRequestHandler, body: dict[str, Any]) -> None:
        if handler.path != "/v1/chat/completions":
            return self._send(handler, 404, {"error": {"message": "no such path"}})
        if handler.headers.get("Authorization") != f"Bearer {API_KEY}":
            return self._send(handler, 401, {"error": {"message": "bad key"}})
        if body.get("model") != MODEL:
            return self._send(handler, 404, {"error": {"message": f"no model {body.get('model')}"}})
        if self.mode == "slow":
            self._released.wait(self.slow_s)
        if self.mode == "error":
            return self._send(handler, 500, {"error": {"message": "overloaded"}})
        if self.mode == "bad_json":
            return self._send_raw(handler, 200, b"{not json")
        system = body["messages"][0]["content"]
        if self.mode == "no_answer":
            content = "NO_ANSWER"
        else:
            title = system.split("Article 1: ", 1)[1].split("\n", 1)[0]
            content = REPLY_PREFIX + (self.reply if self.reply is not None else title)
        self._send(handler, 200, {"id": "chatcmpl-1", "object": "chat.completion", "model": MODEL,
                                  "choices": [{"index": 0, "finish_reason": "stop",
                                               "message": {"role": "assistant", "content": content}}]})

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, data: dict[str, Any]) -> None:
        FakeChatCompletions._send_raw(handler, status, json.dumps(data).encode())

    @staticmethod
    def _send_raw(handler: BaseHTTPRequestHandler, status: int, raw: bytes) -> None:
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(raw)))
            handler.end_headers()
            handler.wfile.write(raw)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout test): nothing to answer
