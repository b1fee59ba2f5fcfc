"""Where the customers report's visitors came from, where they are and what they browse
with: each visitor counted once, by what tracking recorded of them (actors/store/
tracking.py: the latest visit's landing page and source, region and device), in top-N
lists, all in one statement.

The visitors are read once (a CTE used several times, which both SQLite and PostgreSQL
materialize) and each list is a GROUP BY with a LIMIT over them, so the answer is at
most TOP rows a list whatever the range. A visitor's source, region and device are as of
their latest visit: one who came back since, from elsewhere, counts by the newer one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import String, and_, case, cast, func, literal, null, or_, select, union_all
from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.reports.customer_report import counted_conversations
from actors.reports.scope import ReportScope
from actors.store.schema import VisitorRow
from actors.tracking.source import ENGINES

VISITORS = VisitorRow.__table__
TOP = 20
# TrafficSource.kind, and "unknown": no page of the site was ever seen (an API or WeChat visitor).
SOURCE_KINDS = ("search", "campaign", "referral", "direct", "unknown")


@dataclass(frozen=True)
class Share:
    key: str | None  # None: not recorded
    visitors: int


@dataclass(frozen=True)
class SourceShare:
    kind: str  # search | campaign | referral
    name: str  # the search engine, the campaign's utm_source, or the referring site's host
    visitors: int


@dataclass(frozen=True)
class PlaceShare:
    country: str | None  # None: not recorded
    province: str | None
    city: str | None
    visitors: int


@dataclass(frozen=True)
class VisitorBreakdowns:
    source_kinds: list[Share] = field(default_factory=list)
    sources: list[SourceShare] = field(default_factory=list)
    search_keywords: list[Share] = field(default_factory=list)
    regions: list[PlaceShare] = field(default_factory=list)  # by country and province
    cities: list[PlaceShare] = field(default_factory=list)
    devices: list[Share] = field(default_factory=list)
    browsers: list[Share] = field(default_factory=list)
    operating_systems: list[Share] = field(default_factory=list)
    channels: list[Share] = field(default_factory=list)  # a visitor counts in each channel they used


LISTS = tuple(VisitorBreakdowns.__dataclass_fields__)


async def visitor_breakdowns(db: async_sessionmaker, scope: ReportScope) -> VisitorBreakdowns:
    async with db() as session:
        rows = (await session.execute(_statement(scope))).all()
    found: dict[str, list[Any]] = {name: [] for name in LISTS}
    for row in sorted(rows, key=lambda r: (-int(r.visitors), r.a is None, r.a or "", r.b or "", r.c or "")):
        found[row.list].append(_item(row))
    return VisitorBreakdowns(**found)


def _item(row: Any) -> Share | SourceShare | PlaceShare:
    if row.list == "sources":
        return SourceShare(row.a, row.b, int(row.visitors))
    if row.list in ("regions", "cities"):
        return PlaceShare(row.a, row.b, row.c, int(row.visitors))
    return Share(row.a, int(row.visitors))


def source_kind(visitors: Any) -> Any:
    """TrafficSource.kind in SQL: a search when the referrer is a search engine's host."""
    host = visitors.c.source_host
    on_engine = or_(*(or_(host == domain, host.like("%." + domain)) for e in ENGINES for domain in e.hosts))
    return case((visitors.c.landing_url.is_(None), "unknown"),
                (and_(visitors.c.source_engine.is_not(None), on_engine), "search"),
                (visitors.c.source_engine.is_not(None), "campaign"),
                (host.is_not(None), "referral"), else_="direct")


def _statement(scope: ReportScope) -> Any:
    counted = counted_conversations(scope).cte("counted")
    seen = (select(VISITORS).where(VISITORS.c.id.in_(select(counted.c.visitor_id))).cte("seen"))
    kind = source_kind(seen)
    named = kind.in_(("search", "campaign", "referral"))
    v = seen.c
    lists = [
        _top("source_kinds", seen, (kind,)),
        _top("sources", seen, (kind, func.coalesce(v.source_engine, v.source_host)), named),
        _top("search_keywords", seen, (v.source_keyword,), and_(v.landing_url.is_not(None),
                                                                 v.source_keyword.is_not(None))),
        _top("regions", seen, (v.country, v.province)),
        _top("cities", seen, (v.country, v.province, v.city), v.city.is_not(None)),
        _top("devices", seen, (v.device_type,)),
        _top("browsers", seen, (v.browser,)),
        _top("operating_systems", seen, (v.os,)),
        _top("channels", counted, (counted.c.channel,), visitors=func.count(counted.c.visitor_id.distinct())),
    ]
    return union_all(*(select(branch) for branch in lists))


def _top(name: str, source: Any, keys: tuple[Any, ...], where: Any = None, visitors: Any = None) -> Any:
    """One list: (list, a, b, c, visitors), its TOP largest groups."""
    count = func.count() if visitors is None else visitors
    columns = [cast(k, String) for k in keys] + [cast(null(), String)] * (3 - len(keys))
    statement = select(literal(name, String).label("list"), *(c.label(n) for c, n in zip(columns, "abc")),
                       count.label("visitors")).select_from(source)
    if where is not None:
        statement = statement.where(where)
    return (statement.group_by(*keys)
            .order_by(count.desc(), *(k.is_(None) for k in keys), *keys).limit(TOP).subquery(name))
