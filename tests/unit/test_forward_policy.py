"""Which partner a conversation is offered to: ownership first, overflow only on a real
gain (with hysteresis), out of hours only to an open partner, never in a loop."""

from __future__ import annotations

import math

from federation.policy import ForwardRule, LocalView, PeerView, candidates

UP = PeerView(up=True, isolated=False, expected_wait_s=10.0, open_now=True, agents_staffed=3)
OPEN_BUSY = LocalView(expected_wait_s=60.0, open_now=True)


def test_a_business_owned_by_a_child_always_goes_there_unless_its_link_is_down():
    rules = [ForwardRule("branch", "aftersales", ("always",))]
    assert candidates(rules, "aftersales", (), OPEN_BUSY, {"branch": UP}, set()) == [("branch", "ownership")]
    down = PeerView(False, False, None, None, None)
    assert candidates(rules, "aftersales", (), OPEN_BUSY, {"branch": down}, set()) == []
    assert candidates(rules, "presales", (), OPEN_BUSY, {"branch": UP}, set()) == []


def test_overflow_needs_the_margin_and_keeps_going_within_the_hysteresis():
    rules = [ForwardRule("partner", "presales", ("overflow",), margin_s=30, hysteresis_s=10, handoff_s=2)]
    # 60 - (10 + 2) = 48 > 30: forward.
    assert candidates(rules, "presales", (), OPEN_BUSY, {"partner": UP}, set()) == [("partner", "overflow")]
    # 35 - 12 = 23: below the margin to start, above margin - hysteresis to keep going.
    local = LocalView(35.0, True)
    assert candidates(rules, "presales", (), local, {"partner": UP}, set()) == []
    assert candidates(rules, "presales", (), local, {"partner": UP}, {"partner"}) == [("partner", "overflow")]
    assert candidates(rules, "presales", (), LocalView(25.0, True), {"partner": UP}, {"partner"}) == []
    # No usable advert (past its TTL), or nobody staffed there: never.
    stale = PeerView(True, False, None, True, 3)
    empty = PeerView(True, False, 0.0, True, 0)
    assert candidates(rules, "presales", (), OPEN_BUSY, {"partner": stale}, set()) == []
    assert candidates(rules, "presales", (), OPEN_BUSY, {"partner": empty}, set()) == []
    # Nobody here at all (infinite local wait) is the biggest gain.
    assert candidates(rules, "presales", (), LocalView(math.inf, True), {"partner": UP}, set())


def test_out_of_hours_goes_to_an_open_partner_only_while_we_are_closed():
    rules = [ForwardRule("partner", "presales", ("out_of_hours",))]
    closed = LocalView(math.inf, False)
    assert candidates(rules, "presales", (), closed, {"partner": UP}, set()) == [("partner", "out_of_hours")]
    assert candidates(rules, "presales", (), OPEN_BUSY, {"partner": UP}, set()) == []
    shut = PeerView(True, False, 5.0, False, 3)
    assert candidates(rules, "presales", (), closed, {"partner": shut}, set()) == []


def test_loops_isolation_and_ranking():
    rules = [ForwardRule("b", "sales", ("overflow",)), ForwardRule("c", "sales", ("overflow",)),
             ForwardRule("owner", "sales", ("always",))]
    faster = PeerView(True, False, 1.0, True, 2)
    views = {"b": UP, "c": faster, "owner": UP}
    assert candidates(rules, "sales", (), OPEN_BUSY, views, set()) == [
        ("owner", "ownership"), ("c", "overflow"), ("b", "overflow")]
    assert [p for p, _ in candidates(rules, "sales", ("a", "owner"), OPEN_BUSY, views, set())] == ["c", "b"]
    views["c"] = PeerView(True, True, 1.0, True, 2)  # c isolated us
    assert [p for p, _ in candidates(rules, "sales", ("owner",), OPEN_BUSY, views, set())] == ["b"]
