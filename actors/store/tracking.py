"""Visitor tracking records: page views with dwell time, visits, region, device, source.

A visitor is the same visitor for a year: the widget keeps a random key in a
first-party cookie and trades it for fresh tokens (only its hash is stored). A
visit is counted when the visitor comes back after more than `VISIT_GAP` without
activity (a token traded, a socket opened, a page viewed). Page views are written
by the gateway that holds the visitor's socket: a page's dwell time ends at the
socket's next page view or when the socket closes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import distinct, select, update
from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.store.clock import as_utc
from actors.store.schema import ConversationRow, PageViewRow, VisitorRow
from actors.tracking.source import TrafficSource, classify

VISIT_GAP = timedelta(minutes=30)
PROFILE_PAGES = 50


def new_key() -> tuple[str, str]:
    """A visitor key and the hash that is stored of it."""
    key = secrets.token_urlsafe(24)
    return key, key_hash(key)


def key_hash(key: str) -> str:
    # The key is 192 random bits: a plain hash is enough (nothing to brute-force).
    return hashlib.sha256(key.encode()).hexdigest()


def is_new_visit(last_seen: datetime | None, now: datetime) -> bool:
    return last_seen is not None and now - as_utc(last_seen) > VISIT_GAP


def touch(row: VisitorRow, now: datetime) -> None:
    if is_new_visit(row.last_seen_at, now):
        row.visits = (row.visits or 1) + 1
    row.last_seen_at = now


@dataclass(frozen=True)
class Seen:
    """Where a visitor connects from and with what (serve/region.py, serve/device.py)."""

    region: str | None = None  # routing's code: "CN-ZJ", "US"
    country: str | None = None
    province: str | None = None
    city: str | None = None
    device_type: str | None = None
    os: str | None = None
    browser: str | None = None


async def set_key(db: async_sessionmaker, visitor_id: str, hashed: str) -> None:
    async with db() as session, session.begin():
        await session.execute(update(VisitorRow).where(VisitorRow.id == visitor_id)
                              .values(key_hash=hashed))


async def trade_key(db: async_sessionmaker, center_id: str, visitor_id: str, key: str,
                    now: datetime) -> VisitorRow | None:
    """The visitor, if `key` is theirs (counting a visit when one is due); else None."""
    async with db() as session, session.begin():
        row = await session.get(VisitorRow, visitor_id)
        if row is None or row.center_id != center_id or not row.key_hash:
            return None
        if not hmac.compare_digest(row.key_hash, key_hash(key)):
            return None
        touch(row, now)
        return row


async def record_arrival(db: async_sessionmaker, visitor_id: str, seen: Seen,
                         now: datetime) -> VisitorRow | None:
    """A socket opened: count a visit when due, note where from and with what."""
    async with db() as session, session.begin():
        row = await session.get(VisitorRow, visitor_id)
        if row is None:
            return None
        touch(row, now)
        if seen.country is not None:
            row.region, row.country, row.province, row.city = (seen.region, seen.country,
                                                               seen.province, seen.city)
        if seen.device_type or seen.browser or seen.os:
            row.device_type, row.os, row.browser = seen.device_type, seen.os, seen.browser
        return row


async def record_page_view(db: async_sessionmaker, center_id: str, visitor_id: str, url: str,
                           title: str, referrer: str | None, now: datetime,
                           previous_id: int | None) -> tuple[int, TrafficSource | None]:
    """Store a page view, ending the dwell of the socket's previous one; the first page
    of a visit is its landing page, and its referrer says where the visit came from
    (returned then, None otherwise)."""
    async with db() as session, session.begin():
        if previous_id is not None:
            await _end_dwell(session, previous_id, visitor_id, now)
        row = await session.get(VisitorRow, visitor_id)
        if row is None:
            raise LookupError(visitor_id)
        touch(row, now)
        source = None
        if row.landing_visit != row.visits:
            source = classify(url, referrer)
            row.landing_visit = row.visits
            row.landing_url, row.referrer = url, referrer
            row.source_engine, row.source_keyword = source.engine, source.keyword
            row.source_host, row.utm = source.referrer_host, source.utm or None
        view = PageViewRow(center_id=center_id, visitor_id=visitor_id, url=url, title=title,
                           referrer=referrer, at=now)
        session.add(view)
        await session.flush()
        return view.id, source


async def end_page_view(db: async_sessionmaker, page_view_id: int, visitor_id: str,
                        now: datetime) -> None:
    async with db() as session, session.begin():
        await _end_dwell(session, page_view_id, visitor_id, now)


async def _end_dwell(session, page_view_id: int, visitor_id: str, now: datetime) -> None:
    view = await session.get(PageViewRow, page_view_id)
    if view is not None and view.visitor_id == visitor_id and view.dwell_s is None:
        view.dwell_s = round(max(0.0, (now - as_utc(view.at)).total_seconds()), 3)


async def recent_pages(db: async_sessionmaker, visitor_id: str,
                       limit: int = PROFILE_PAGES) -> list[PageViewRow]:
    """Newest first."""
    async with db() as session:
        rows = await session.scalars(select(PageViewRow).where(PageViewRow.visitor_id == visitor_id)
                                     .order_by(PageViewRow.at.desc(), PageViewRow.id.desc())
                                     .limit(limit))
        return list(rows)


def source_of(row: VisitorRow) -> TrafficSource:
    """The latest visit's source as stored."""
    return TrafficSource(row.source_engine, row.source_keyword, row.source_host, row.utm or {})


def known_source(row: VisitorRow | None) -> TrafficSource | None:
    """The latest visit's source without its utm parameters; None when no page of the
    site was ever seen (an API or WeChat visitor): unknown, not "direct"."""
    if row is None or row.landing_url is None:
        return None
    return TrafficSource(row.source_engine, row.source_keyword, row.source_host)


async def in_conversation(db: async_sessionmaker, visitor_ids: list[str]) -> set[str]:
    """Which of these visitors have a conversation waiting or being served."""
    if not visitor_ids:
        return set()
    async with db() as session:
        rows = await session.scalars(select(distinct(ConversationRow.visitor_id)).where(
            ConversationRow.visitor_id.in_(visitor_ids),
            ConversationRow.status.in_(("bot", "queued", "assigned", "forwarded"))))
        return set(rows)
