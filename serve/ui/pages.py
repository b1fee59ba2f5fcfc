"""The pages of PROTOCOL.md version 1.1 (`/widget.js`, `/chat`, `/desk`, `/console`), the public
help center (`/help`, the knowledge base's published public articles) and the files
they load (DESIGN.md decision 11: buildless ES modules, served by the center itself).

Each page is a small HTML shell: the import map of the vendored packages, the app's
stylesheet and its entry module. Nothing user-supplied is ever put into the shell;
the apps render every string as text. The inline import map is allowed by its hash
in the Content-Security-Policy, so no other inline script can run.
"""

from __future__ import annotations

import base64
import hashlib
import json
import mimetypes
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from serve.errors import ApiError

UI_ROOT = Path(__file__).resolve().parent
VENDOR_LOCK = UI_ROOT / "vendor" / "lock.json"
# The folders under serve/ui/ a browser may fetch from, and the kinds of file in them.
SERVED_FOLDERS = frozenset({"vendor", "shared", "chat", "desk", "console", "widget", "help"})
SERVED_SUFFIXES = {".mjs": "text/javascript", ".js": "text/javascript", ".css": "text/css",
                   ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png",
                   ".wav": "audio/wav", ".mp3": "audio/mpeg", ".ogg": "audio/ogg"}
ASSET_PREFIX = "/ui"

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class Page:
    app: str  # the folder under serve/ui/ holding main.mjs and app.css
    title: str
    # Who may put the page in a frame: the chat is embedded by customers' sites; the
    # staff pages never are (clickjacking).
    frame_ancestors: str
    # Stylesheets under shared/ the page loads before its own app.css.
    shared_styles: tuple[str, ...] = ("base.css",)


STAFF_STYLES = ("base.css", "staff.css")
CHAT = Page("chat", "Chat", "*")
DESK = Page("desk", "Agent workspace", "'none'", STAFF_STYLES)
CONSOLE = Page("console", "Console", "'none'", STAFF_STYLES)
# Opened from the widget's "Help" link in a tab of its own: never framed.
HELP = Page("help", "Help center", "'none'")


@dataclass(frozen=True)
class Asset:
    body: bytes
    content_type: str
    etag: str


@lru_cache(maxsize=1)
def import_map() -> str:
    imports = json.loads(VENDOR_LOCK.read_text())["imports"]
    mapped = {name: f"{ASSET_PREFIX}/vendor/{path.removeprefix('./')}" for name, path in imports.items()}
    mapped["kefu/"] = f"{ASSET_PREFIX}/shared/"
    return json.dumps({"imports": mapped}, indent=1, sort_keys=True)


def _csp(page: Page, map_json: str) -> str:
    digest = base64.b64encode(hashlib.sha256(map_json.encode()).digest()).decode()
    return "; ".join((
        "default-src 'self'",
        f"script-src 'self' 'sha256-{digest}'",
        "style-src 'self' 'unsafe-inline'",  # colours set by the center's settings
        "img-src 'self' data: blob: https:",  # the center's logo may live elsewhere
        "media-src 'self' blob:",
        "connect-src 'self' ws: wss:",
        "object-src 'none'",
        "base-uri 'none'",
        f"frame-ancestors {page.frame_ancestors}",
    ))


@lru_cache(maxsize=8)
def _shell(page: Page) -> tuple[str, str]:
    map_json = import_map()
    styles = "\n".join(f'<link rel="stylesheet" href="{ASSET_PREFIX}/shared/{name}">'
                       for name in page.shared_styles)
    html = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{page.title}</title>
<link rel="icon" href="data:,">
<script type="importmap">{map_json}</script>
{styles}
<link rel="stylesheet" href="{ASSET_PREFIX}/{page.app}/app.css">
<script type="module" src="{ASSET_PREFIX}/{page.app}/main.mjs"></script>
</head>
<body>
<noscript>This page needs JavaScript. / 此页面需要启用 JavaScript。</noscript>
<div id="app"></div>
</body>
</html>
"""
    return html, _csp(page, map_json)


def _page(page: Page) -> Response:
    html, csp = _shell(page)
    return Response(html, media_type="text/html; charset=utf-8", headers={
        "Content-Security-Policy": csp, "Cache-Control": "no-cache",
        "X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin"})


@lru_cache(maxsize=512)
def _asset(relative: str, mtime_ns: int) -> Asset:
    # mtime is part of the key so an edited file is read again (a dev center, `make up`).
    del mtime_ns
    path = UI_ROOT / relative
    body = path.read_bytes()
    content_type = SERVED_SUFFIXES.get(path.suffix) or mimetypes.guess_type(path.name)[0]
    return Asset(body, content_type or "application/octet-stream",
                 '"' + hashlib.sha256(body).hexdigest()[:32] + '"')


def resolve_asset(relative: str) -> Path | None:
    """The file a URL path names, or None when it is outside the served folders."""
    parts = PurePosixPath(relative).parts
    if (len(parts) < 2 or parts[0] not in SERVED_FOLDERS or any(p in ("..", ".") or p.startswith(".")
                                                                 for p in parts)):
        return None
    path = (UI_ROOT / relative).resolve()
    if UI_ROOT not in path.parents or path.suffix not in SERVED_SUFFIXES or not path.is_file():
        return None
    return path


def asset_response(request: Request, relative: str, cache: str = "no-cache") -> Response:
    path = resolve_asset(relative)
    if path is None:
        raise ApiError(404, "not_found", f"no such file: {relative}")
    asset = _asset(path.relative_to(UI_ROOT).as_posix(), path.stat().st_mtime_ns)
    headers = {"ETag": asset.etag, "Cache-Control": cache, "X-Content-Type-Options": "nosniff"}
    if request.headers.get("if-none-match") == asset.etag:
        return Response(status_code=304, headers=headers)
    return Response(asset.body, media_type=asset.content_type, headers=headers)


@router.get("/")
async def root() -> RedirectResponse:
    return RedirectResponse("/desk", status_code=307)


@router.get("/chat")
async def chat_page() -> Response:
    return _page(CHAT)


@router.get("/desk")
async def desk_page() -> Response:
    return _page(DESK)


@router.get("/console")
async def console_page() -> Response:
    return _page(CONSOLE)


@router.get("/help")
async def help_page() -> Response:
    return _page(HELP)


@router.get("/widget.js")
async def widget_loader(request: Request) -> Response:
    # Pasted into customers' pages and fetched on every page view: cached for a few
    # minutes, revalidated by its ETag after that.
    return asset_response(request, "widget/loader.js", cache="public, max-age=300")


@router.get(ASSET_PREFIX + "/{relative:path}")
async def ui_asset(relative: str, request: Request) -> Response:
    return asset_response(request, relative)
