"""An article's body: rich text as authors write it, sanitized by nh3 (ammonia) to the
few elements the editor makes, and its plain text for the search index and snippets.

What is only formatting the editor does not make (a span, a font) is stripped
quietly; what is active content (a script, a frame, an event handler, a javascript:
link) is refused, so an author learns that it will not be kept.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import nh3

MAX_BODY_CHARS = 100_000
ALLOWED_TAGS = {"p", "br", "b", "strong", "i", "em", "u", "s", "ul", "ol", "li", "a", "h2", "h3", "h4",
                "blockquote", "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "hr", "img"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt"}}
URL_SCHEMES = {"http", "https", "mailto"}
ACTIVE_TAGS = {"script", "style", "iframe", "frame", "frameset", "object", "embed", "form", "input",
               "button", "textarea", "select", "link", "meta", "base", "svg", "math", "applet"}
_BLOCKS = {"p", "br", "li", "h2", "h3", "h4", "blockquote", "pre", "tr", "hr", "div"}
_ACTIVE_URL = re.compile(r"^\s*(javascript|vbscript|data)\s*:", re.IGNORECASE)


class UnsafeHtml(ValueError):
    pass


class _Inspector(HTMLParser):
    """Finds active content, and collects the text (blocks end lines)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.active: list[str] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ACTIVE_TAGS:
            self.active.append(f"<{tag}>")
            self._skip += tag in ("script", "style")
        for name, value in attrs:
            if name.startswith("on"):
                self.active.append(f"the {name} attribute")
            elif name in ("href", "src") and value and _ACTIVE_URL.match(value):
                self.active.append(f"a {value.split(':')[0].strip().lower()}: link")
        if tag in _BLOCKS:
            self.text.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        if tag in _BLOCKS:
            self.text.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def sanitize(body_html: str) -> str:
    """The body as stored; UnsafeHtml names what active content it held."""
    if len(body_html) > MAX_BODY_CHARS:
        raise UnsafeHtml(f"the body is longer than {MAX_BODY_CHARS} characters")
    inspector = _Inspector()
    inspector.feed(body_html)
    inspector.close()
    if inspector.active:
        raise UnsafeHtml("the body holds active content, which is not kept: "
                         + ", ".join(dict.fromkeys(inspector.active)))
    return nh3.clean(body_html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer nofollow", strip_comments=True)


def text_of(body_html: str) -> str:
    """The body's text, one line per block, spaces folded."""
    inspector = _Inspector()
    inspector.feed(body_html)
    inspector.close()
    lines = (" ".join(line.split()) for line in "".join(inspector.text).split("\n"))
    return "\n".join(line for line in lines if line)


def paragraphs_of(texts: list[str]) -> str:
    """Plain texts as the body's paragraphs, escaped (what a promoted conversation says)."""
    return "".join(f"<p>{html.escape(text).replace(chr(10), '<br>')}</p>" for text in texts if text.strip())
