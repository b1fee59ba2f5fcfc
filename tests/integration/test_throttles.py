"""Throttles through the real edge (DESIGN.md decision 13), on a gateway of the same
center with tight limits (conftest THROTTLED): 5 visitors and 10 logins a minute per
address, 3 failed logins lock a username for 2 s, doubling after.

The replica reads the client's address from X-Forwarded-For (Serve's uvicorn
trusts the local HAProxy, which passes the header on), so each test speaks from
an address of its own.
"""

from __future__ import annotations

import asyncio
import itertools
import statistics
import time

import httpx
import pytest

from tests.integration.conftest import ADMIN_PASSWORD, THROTTLED
from tests.integration.protocol_client import Api, unique


# Each call a different address for the whole run: an address a test used up (its logins
# or visitors this minute) must never come back to another test by chance.
_ADDRESSES = itertools.chain(
    (f"198.51.100.{n}" for n in range(1, 255)), (f"203.0.113.{n}" for n in range(1, 255)))


def address() -> str:
    return next(_ADDRESSES)


async def post(url: str, path: str, body: dict, ip: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        return await http.post(path, json=body, headers={"X-Forwarded-For": ip})


def assert_throttled(response: httpx.Response) -> int:
    assert response.status_code == 429, response.text
    assert response.json()["error"]["code"] == "rate_limited"
    retry_after = int(response.headers["retry-after"])
    assert retry_after >= 1
    return retry_after


@pytest.fixture
async def account(center) -> tuple[str, str]:
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    username = unique("th")
    await admin.create_agent(username, {}, 1)
    return username, "secret-pw"


async def test_new_visitors_are_rate_limited_per_address(throttled_center):
    url, ip = throttled_center.url, address()
    allowed = THROTTLED["visitors_per_ip_per_min"]
    for _ in range(allowed):
        assert (await post(url, "/api/v1/visitors", {}, ip)).status_code == 200
    retry_after = assert_throttled(await post(url, "/api/v1/visitors", {}, ip))
    assert retry_after <= 60 / allowed + 1
    # Another address is not held back by this one.
    assert (await post(url, "/api/v1/visitors", {}, address())).status_code == 200


async def test_public_help_searches_are_rate_limited_per_address_and_listing_is_not(throttled_center):
    url, ip = throttled_center.url, address()

    async def get(path: str, from_ip: str) -> httpx.Response:
        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            return await http.get(path, headers={"X-Forwarded-For": from_ip})

    for _ in range(THROTTLED["help_searches_per_ip_per_min"]):
        assert (await get("/api/v1/help/articles?q=refund", ip)).status_code == 200
    assert_throttled(await get("/api/v1/help/articles?q=refund", ip))
    # Browsing the categories' articles ranks nothing: not counted; another address searches on.
    assert (await get("/api/v1/help/articles", ip)).status_code == 200
    assert (await get("/api/v1/help/articles?q=refund", address())).status_code == 200


async def test_logins_are_rate_limited_per_address(throttled_center):
    url, ip = throttled_center.url, address()
    for _ in range(THROTTLED["logins_per_ip_per_min"]):
        # A new username each time, so no account lockout gets in the way.
        answer = await post(url, "/api/v1/auth/login", {"username": unique("nobody"), "password": "x"}, ip)
        assert answer.status_code == 401
    assert_throttled(await post(url, "/api/v1/auth/login", {"username": unique("nobody"), "password": "x"}, ip))


async def test_failed_logins_lock_the_username_even_for_the_right_password(throttled_center, account):
    url, (username, password) = throttled_center.url, account
    for _ in range(THROTTLED["login_max_failures"]):
        wrong = await post(url, "/api/v1/auth/login", {"username": username, "password": "wrong"}, address())
        assert wrong.status_code == 401
    # Locked whatever the address: the right password is refused too, until the lock ends.
    locked = await post(url, "/api/v1/auth/login", {"username": username, "password": password}, address())
    retry_after = assert_throttled(locked)
    assert retry_after <= THROTTLED["login_lockout_s"]
    await asyncio.sleep(retry_after)  # the lock's own length is the property under test
    ok = await post(url, "/api/v1/auth/login", {"username": username, "password": password}, address())
    assert ok.status_code == 200 and ok.json()["token"]
    # The success cleared the count: as many failures again before the next lock.
    for _ in range(THROTTLED["login_max_failures"] - 1):
        wrong = await post(url, "/api/v1/auth/login", {"username": username, "password": "wrong"}, address())
        assert wrong.status_code == 401
    assert (await post(url, "/api/v1/auth/login", {"username": username, "password": password},
                       address())).status_code == 200


async def test_each_failure_after_a_lock_locks_for_longer(throttled_center, account):
    url, (username, _) = throttled_center.url, account
    body = {"username": username, "password": "wrong"}
    for _ in range(THROTTLED["login_max_failures"]):
        await post(url, "/api/v1/auth/login", body, address())
    first = assert_throttled(await post(url, "/api/v1/auth/login", body, address()))
    await asyncio.sleep(first)
    assert (await post(url, "/api/v1/auth/login", body, address())).status_code == 401
    second = assert_throttled(await post(url, "/api/v1/auth/login", body, address()))
    assert second > first


async def test_an_unknown_username_takes_as_long_as_a_known_one(center, account):
    username, password = account

    async def timed(name: str) -> float:
        async with httpx.AsyncClient(base_url=center.url, timeout=30) as http:
            start = time.perf_counter()
            answer = await http.post("/api/v1/auth/login", json={"username": name, "password": "wrong-pw"})
            elapsed = time.perf_counter() - start
        assert answer.status_code == 401
        return elapsed

    known, unknown = [], []
    for _ in range(6):
        known.append(await timed(username))
        unknown.append(await timed(unique("nobody")))
        # A right password clears the failures, so the known account never locks.
        await Api(center.url).login(username, password)
    known_s, unknown_s = statistics.median(known), statistics.median(unknown)
    # Both verify an argon2 hash of the same cost (~0.1-0.2 s here); without the
    # stand-in hash an unknown username answered in a few milliseconds.
    assert known_s > 0.03
    assert abs(known_s - unknown_s) < max(0.3 * known_s, 0.03), (known, unknown)
