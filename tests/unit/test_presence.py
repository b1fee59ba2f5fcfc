"""Socket leases and provisional reservations: the agent's bookkeeping, without Ray."""

from __future__ import annotations

import pytest

from actors.agent.leases import EXPECTED, SocketLeases
from actors.agent.reservations import Reservations
from config.settings import Settings, SettingsError


def test_a_renewed_lease_lives_on_and_an_unrenewed_one_lapses():
    leases = SocketLeases(lease_s=15)
    leases.renew("a", now=0)
    leases.renew("b", now=0)
    leases.renew("a", now=10)  # a's gateway heart-beats; b's died
    assert leases.expire(now=14.9) == []
    assert leases.expire(now=15) == ["b"]
    assert leases and leases.sockets() == ["a"]
    assert leases.next_expiry() == 25
    assert leases.expire(now=25) == ["a"] and not leases


def test_an_expected_workspace_is_held_for_at_most_a_lease_and_gives_way_to_a_socket():
    leases = SocketLeases(lease_s=15)
    leases.expect(now=0, for_s=60)
    assert leases and leases.sockets() == [] and leases.next_expiry() == 15
    leases.renew("a", now=3)  # the workspace is back: nobody is merely expected any more
    assert EXPECTED not in leases.expiries and leases.next_expiry() == 18


def test_a_closed_socket_drops_at_once():
    leases = SocketLeases(lease_s=15)
    leases.renew("a", now=0)
    leases.drop("a")
    assert not leases and leases.next_expiry() is None


def test_a_reservation_is_due_for_a_check_after_the_bound():
    pending = Reservations()
    pending.granted("c1", now=0)
    pending.granted("c2", now=5)
    assert pending.due(now=9.9, after_s=10) == []
    assert pending.due(now=10, after_s=10) == ["c1"]
    assert pending.next_due(after_s=10) == 10


def test_an_answer_counts_only_for_the_grant_it_was_asked_about():
    pending = Reservations()
    pending.granted("c1", now=0)
    token = pending.ask("c1", now=10)
    assert pending.answers("c1", token)
    assert pending.next_due(after_s=10) == 20  # asked again later if no answer comes
    pending.granted("c1", now=11)  # offered again and granted again meanwhile
    assert not pending.answers("c1", token)
    pending.settle("c1")
    assert "c1" not in pending and not pending.answers("c1", token)


def test_presence_timings_must_bound_each_other(monkeypatch, tmp_path):
    monkeypatch.setenv("KEFU_DATA_DIR", str(tmp_path))
    defaults = Settings.from_env()
    assert (defaults.agent_heartbeat_s, defaults.agent_lease_s,
            defaults.agent_reconnect_grace_s) == (5.0, 15.0, 10.0)
    monkeypatch.setenv("KEFU_AGENT_HEARTBEAT_S", "15")
    with pytest.raises(SettingsError, match="shorter than KEFU_AGENT_LEASE_S"):
        Settings.from_env()
    monkeypatch.setenv("KEFU_AGENT_HEARTBEAT_S", "5")
    monkeypatch.setenv("KEFU_AGENT_RECONNECT_GRACE_S", "20")
    with pytest.raises(SettingsError, match="must not exceed"):
        Settings.from_env()
    monkeypatch.setenv("KEFU_AGENT_RECONNECT_GRACE_S", "soon")
    with pytest.raises(SettingsError, match="must be a number"):
        Settings.from_env()


async def test_fault_points_hold_nothing_unless_enabled_and_armed():
    import asyncio

    from actors.runtime.fault_points import FaultPoints, FaultPointsDisabled

    off = FaultPoints()
    await asyncio.wait_for(off.reach("conversation.granted", "ag1"), 1)  # passes at once
    with pytest.raises(FaultPointsDisabled):
        off.arm("conversation.granted", "ag1")

    points = FaultPoints(enabled=True)
    points.arm("conversation.granted", "ag1")
    await asyncio.wait_for(points.reach("conversation.granted", "ag2"), 1)  # another key
    held = asyncio.ensure_future(points.reach("conversation.granted", "ag1"))
    await asyncio.sleep(0)
    assert points.reached("conversation.granted", "ag1") and not held.done()
    points.release("conversation.granted", "ag1")
    await asyncio.wait_for(held, 1)
    await asyncio.wait_for(points.reach("conversation.granted", "ag1"), 1)  # held only once
