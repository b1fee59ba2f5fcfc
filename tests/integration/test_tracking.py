"""Visitor tracking through real websockets and REST: page views with dwell time, where a
visit came from, device and region, returning visitors with their visit count, and the
center's "browsing now" list (issue 9, item 3).

The center's gateway sits behind the local HAProxy, whose X-Forwarded-For Serve's uvicorn
believes: a test speaks from the address it puts there.
"""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from urllib.parse import quote

import pytest
from sqlalchemy import update

from actors.store.clock import utcnow
from actors.store.database import create_engine, sessionmaker
from actors.store.schema import VisitorRow
from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, Socket

IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")
HANGZHOU = "183.136.190.62"
SHOP = "https://shop.example.cn"


@pytest.fixture
async def admin(center) -> Api:
    return await Api(center.url).login("admin", ADMIN_PASSWORD)


async def browsing_visitor(center, name: str = "", headers: dict | None = None
                           ) -> tuple[str, str, Socket]:
    body_headers = headers or {}
    answer = await Api(center.url).call("POST", "/api/v1/visitors", {"name": name}, headers=body_headers)
    socket = await Socket.open(center.url, "visitor", answer["token"], headers=headers)
    await socket.next("welcome")
    return answer["visitor_id"], answer["token"], socket


async def until(check, timeout: float = 15.0, every: float = 0.1):
    """Polls `check` (an async function) until it answers something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        answer = await check()
        if answer:
            return answer
        assert time.monotonic() < deadline, f"not in time; last entries {_last_seen_entry}"
        await asyncio.sleep(every)


async def online(admin: Api) -> dict[str, dict]:
    listed = await admin.call("GET", "/api/v1/visitors/online")
    return {v["visitor_id"]: v for v in listed["visitors"]}


async def test_page_views_with_dwell_and_the_visit_source(center, admin):
    visitor_id, _, socket = await browsing_visitor(center, "Pu", {"User-Agent": IPHONE})
    baidu = f"https://www.baidu.com/s?wd={quote('普洱茶')}"
    await socket.send({"type": "page.view", "url": f"{SHOP}/tea", "title": "Tea", "referrer": baidu})
    listed = await until(lambda: _listed_on(admin, visitor_id, f"{SHOP}/tea"))
    assert listed["source"] == "Baidu: 普洱茶"
    assert (listed["device"], listed["os"]) == ("mobile", "iOS 17.0")
    assert listed["pages_viewed"] == 1 and listed["visits"] == 1 and not listed["returning"]
    await socket.send({"type": "page.view", "url": f"{SHOP}/tea/puer", "title": "普洱 Pu'er"})
    await until(lambda: _listed_on(admin, visitor_id, f"{SHOP}/tea/puer"))
    await socket.close()

    async def both_dwelt():
        profile = await admin.call("GET", f"/api/v1/visitors/{visitor_id}/profile")
        return profile if all(p["dwell_s"] is not None for p in profile["pages"]) else None

    profile = await until(both_dwelt)
    assert [p["url"] for p in profile["pages"]] == [f"{SHOP}/tea/puer", f"{SHOP}/tea"]
    assert [p["title"] for p in profile["pages"]] == ["普洱 Pu'er", "Tea"]
    assert all(p["dwell_s"] >= 0 for p in profile["pages"])
    assert profile["source"]["landing_url"] == f"{SHOP}/tea"
    assert (profile["source"]["engine"], profile["source"]["keyword"]) == ("Baidu", "普洱茶")
    assert profile["device"] == {"type": "mobile", "os": "iOS 17.0", "browser": "Mobile Safari 17"}


async def _listed_on(admin: Api, visitor_id: str, url: str) -> dict | None:
    entry = (await online(admin)).get(visitor_id)
    _last_seen_entry[visitor_id] = entry
    return entry if entry and entry["page"] and entry["page"]["url"] == url else None


_last_seen_entry: dict = {}


async def test_region_comes_from_the_forwarded_address(center, admin):
    visitor_id, _, socket = await browsing_visitor(center, headers={"X-Forwarded-For": HANGZHOU})
    await socket.send({"type": "page.view", "url": f"{SHOP}/", "title": "Home"})
    listed = await until(lambda: _listed_on(admin, visitor_id, f"{SHOP}/"))
    assert listed["region"] == "浙江 杭州"
    profile = await admin.call("GET", f"/api/v1/visitors/{visitor_id}/profile")
    assert profile["region"] == {"country": "CN", "province": "浙江", "city": "杭州"}
    row = await admin.call("GET", f"/api/v1/admin/visitors/{visitor_id}")
    assert row["region"] == "CN-ZJ"  # what routing rules match ("CN" takes it too)
    await socket.close()


async def test_a_returning_visitor_trades_their_key_and_counts_visits(center, admin):
    created = await Api(center.url).call("POST", "/api/v1/visitors", {"name": "Ret"})
    visitor_id, key = created["visitor_id"], created["key"]
    assert key and key not in created["token"]
    traded = await Api(center.url).call("POST", f"/api/v1/visitors/{visitor_id}/tokens", {"key": key})
    assert (traded["visitor_id"], traded["key"]) == (visitor_id, key)
    socket = await Socket.open(center.url, "visitor", traded["token"])
    assert (await socket.next("welcome"))["visitor_id"] == visitor_id
    await socket.close()
    wrong = await Api(center.url).call("POST", f"/api/v1/visitors/{visitor_id}/tokens",
                                       {"key": key + "x"}, expect=401)
    assert wrong["error"]["code"] == "unauthorized"
    await Api(center.url).call("POST", "/api/v1/visitors/v_nobody/tokens", {"key": key}, expect=401)
    profile = await admin.call("GET", f"/api/v1/visitors/{visitor_id}/profile")
    assert profile["visits"] == 1  # all within one visit

    # Their last activity was 31 minutes ago: coming back now is a new visit.
    await _backdate(center, visitor_id, timedelta(minutes=31))
    again = await Api(center.url).call("POST", f"/api/v1/visitors/{visitor_id}/tokens", {"key": key})
    socket = await Socket.open(center.url, "visitor", again["token"])
    await socket.next("welcome")
    await socket.send({"type": "page.view", "url": f"{SHOP}/back", "title": "Back",
                       "referrer": "https://blog.example.com/review"})
    listed = await until(lambda: _listed_on(admin, visitor_id, f"{SHOP}/back"))
    assert (listed["visits"], listed["returning"], listed["source"]) == (2, True, "blog.example.com")
    profile = await admin.call("GET", f"/api/v1/visitors/{visitor_id}/profile")
    assert profile["visits"] == 2 and profile["source"]["landing_url"] == f"{SHOP}/back"
    await socket.close()


async def _backdate(center, visitor_id: str, by: timedelta) -> None:
    engine = create_engine(center.settings.database_url, pool_size=1)
    try:
        async with sessionmaker(engine)() as session, session.begin():
            await session.execute(update(VisitorRow).where(VisitorRow.id == visitor_id)
                                  .values(last_seen_at=utcnow() - by))
    finally:
        await engine.dispose()


async def test_the_online_list_follows_the_sockets(center, admin):
    first, _, one = await browsing_visitor(center, "One")
    second, _, two = await browsing_visitor(center, "Two")
    await one.send({"type": "page.view", "url": f"{SHOP}/a", "title": "A"})
    await two.send({"type": "page.view", "url": f"{SHOP}/b", "title": "B"})
    await until(lambda: _listed_on(admin, second, f"{SHOP}/b"))
    assert (await online(admin))[first]["name"] == "One"
    await one.close()

    async def first_gone():
        listed = await online(admin)
        return second in listed and first not in listed

    # Gone after the short grace that keeps a visitor listed across a page navigation.
    await until(first_gone, timeout=center.settings.visitor_leave_grace_s + 10)
    await two.close()


async def test_page_views_are_checked_and_rate_limited(center):
    _, _, socket = await browsing_visitor(center)
    await socket.send({"type": "page.view", "url": "x" * 2001, "title": "Long"})
    assert (await socket.next("error"))["code"] == "invalid_frame"
    await socket.send({"type": "page.view", "title": "no url"})
    assert (await socket.next("error"))["code"] == "invalid_frame"
    burst = center.settings.page_view_rate.burst
    for i in range(burst + 1):
        await socket.send({"type": "page.view", "url": f"{SHOP}/p{i}", "title": str(i)})
    limited = await socket.next("error", code="rate_limited")
    assert limited["retry_after_s"] > 0
    await socket.send({"type": "ping"})
    await socket.next("pong")  # the socket stays open
    await socket.close()


async def test_only_staff_read_tracking(center, admin):
    visitor_id, token, socket = await browsing_visitor(center)
    as_visitor = Api(center.url, token)
    assert (await as_visitor.call("GET", "/api/v1/visitors/online", expect=403))["error"]["code"] == "forbidden"
    await as_visitor.call("GET", f"/api/v1/visitors/{visitor_id}/profile", expect=403)
    await Api(center.url).call("GET", "/api/v1/visitors/online", expect=401)
    await admin.call("GET", "/api/v1/visitors/v_nobody/profile", expect=404)
    await socket.close()
