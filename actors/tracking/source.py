"""Where a visit came from (来源): the search engine and keyword, or the referring site.

A pure function of the landing URL and its referrer. A search engine's results page
carries the keyword in its own parameter (Baidu `wd` or `word`, Sogou `query`, 360
`q`, Bing and Google `q`); a campaign link carries `utm_source` / `utm_term`, which
win when the referrer says nothing (search engines often strip the query from the
referrer, and apps send none). A referrer on the landing page's own host is the
site itself, not a source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import parse_qs, urlsplit

MAX_KEYWORD_CHARS = 200
UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")


@dataclass(frozen=True)
class SearchEngine:
    name: str  # as shown to agents
    hosts: tuple[str, ...]  # the host or a parent domain of it
    keyword_params: tuple[str, ...]


ENGINES: tuple[SearchEngine, ...] = (
    SearchEngine("Baidu", ("baidu.com",), ("wd", "word")),
    SearchEngine("Sogou", ("sogou.com",), ("query", "keyword")),
    SearchEngine("360", ("so.com", "360.cn"), ("q",)),
    SearchEngine("Bing", ("bing.com",), ("q",)),
    SearchEngine("Google", ("google.com", "google.com.hk", "google.cn"), ("q",)),
)


SourceKind = Literal["search", "campaign", "referral", "direct"]


@dataclass(frozen=True)
class TrafficSource:
    engine: str | None = None  # a search engine's name, or the utm_source of a campaign
    keyword: str | None = None
    referrer_host: str | None = None  # another site that linked here
    utm: dict[str, str] = field(default_factory=dict)

    @property
    def display(self) -> str:
        """What the agents' list shows: "Baidu: 普洱茶", "Bing", "example.com" or "direct"."""
        if self.engine:
            return f"{self.engine}: {self.keyword}" if self.keyword else self.engine
        return self.referrer_host or "direct"

    @property
    def kind(self) -> SourceKind:
        # A campaign's engine is its utm_source; only an engine's own results page
        # (the referrer) makes a search.
        if self.engine:
            return "search" if self.referrer_host and engine_of(self.referrer_host) else "campaign"
        return "referral" if self.referrer_host else "direct"

    @property
    def name(self) -> str | None:
        """The engine or campaign, or the referring site's host; None for direct."""
        return self.engine or self.referrer_host

    def compact(self) -> "TrafficSource":
        """Without the utm parameters: what travels with a waiting conversation."""
        return TrafficSource(self.engine, self.keyword, self.referrer_host)


def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.lower().rstrip(".") if host else None


def _within(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def _first(query: dict[str, list[str]], names: tuple[str, ...]) -> str | None:
    for name in names:
        for value in query.get(name, ()):
            value = value.strip()
            if value:
                return value[:MAX_KEYWORD_CHARS]
    return None


def _query(url: str | None) -> dict[str, list[str]]:
    if not url:
        return {}
    try:
        return parse_qs(urlsplit(url).query)
    except ValueError:
        return {}


def engine_of(host: str) -> SearchEngine | None:
    for engine in ENGINES:
        if any(_within(host, domain) for domain in engine.hosts):
            return engine
    return None


def _engine_named(name: str) -> str:
    """A known engine's display name for a utm_source such as "baidu"; else as given."""
    lowered = name.lower()
    for engine in ENGINES:
        if lowered == engine.name.lower() or any(_within(lowered, d) for d in engine.hosts):
            return engine.name
    return name[:64]


def classify(landing_url: str, referrer: str | None) -> TrafficSource:
    landing = _query(landing_url)
    utm = {key: values[0][:MAX_KEYWORD_CHARS] for key in UTM_KEYS
           if (values := landing.get(key)) and values[0].strip()}
    referrer_host = _host(referrer)
    if referrer_host and referrer_host == _host(landing_url):
        referrer_host = None  # a page of the site itself
    if referrer_host:
        engine = engine_of(referrer_host)
        if engine is not None:
            keyword = _first(_query(referrer), engine.keyword_params) or utm.get("utm_term")
            return TrafficSource(engine.name, keyword, referrer_host, utm)
    if "utm_source" in utm:
        return TrafficSource(_engine_named(utm["utm_source"]), utm.get("utm_term"), referrer_host, utm)
    return TrafficSource(referrer_host=referrer_host, utm=utm)
