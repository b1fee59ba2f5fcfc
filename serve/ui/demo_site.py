"""A demo customer site on an origin of its own, with the widget's embed code pasted in.

`make up` serves it beside the center (KEFU_DEMO_SITE_PORT, 8001 by default; 0 turns
it off) so a new user sees the widget as their visitors would: on somebody else's
page, in a cross-origin frame. The browser tests use the same site as the host page.
Its pages are fixed HTML (nothing from the request is echoed); the embed code is the
one the admin API hands out.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from serve.ui.embed import embed_code

PAGES = {
    "/": ("Lotus Tea House", "Home",
          "<p>Fine teas from Yunnan and Fujian, shipped within a day.</p>"
          '<p><a href="/products/pu-erh">Aged Pu-erh, 2015</a> · <a href="/about">About us</a></p>'),
    "/products/pu-erh": ("Aged Pu-erh, 2015 - Lotus Tea House", "Aged Pu-erh, 2015",
                         "<p>357 g cake, stored in Menghai. ¥ 680.</p>"
                         '<p><a href="/">Back to the shop</a></p>'),
    "/about": ("About us - Lotus Tea House", "About us",
               "<p>A family shop since 1998.</p><p><a href=\"/\">Back to the shop</a></p>"),
}


def page_html(path: str, center_url: str, skill_group: str | None = None) -> str | None:
    if path not in PAGES:
        return None
    title, heading, body = PAGES[path]
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>"
            "<style>body{font:16px/1.5 Georgia,serif;max-width:40em;margin:3em auto;padding:0 1em}</style>"
            f"</head><body><h1>{heading}</h1>{body}"
            f"{embed_code(center_url, skill_group)}</body></html>")


class DemoSite:
    def __init__(self, center_url: str, host: str = "127.0.0.1", port: int = 8001,
                 skill_group: str | None = None) -> None:
        center, group = center_url.rstrip("/"), skill_group

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                text = page_html(self.path.split("?", 1)[0], center, group)
                body = (text or "<!doctype html><title>Not found</title><h1>Not found</h1>").encode()
                self.send_response(200 if text else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.url = f"http://{host}:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="demo-site", daemon=True)

    def start(self) -> "DemoSite":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
