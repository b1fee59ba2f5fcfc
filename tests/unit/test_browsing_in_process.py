"""The center's "browsing now" list and its auto-invite rule, through the shard's
in-process host with a manual clock: leases lapse when a gateway stops renewing
them, a closed visitor stays for a short grace, the list is bounded, and the rule
invites after its time on a matching page."""

from __future__ import annotations

from dataclasses import replace

from actors.browsing.protocol import (BrowsingVisitor, GetBrowsing, IsBrowsing, Left, PageShown,
                                      Present, Renew, Viewed, browsing_ref)
from actors.center.protocol import Reload, center_ref
from actors.store import accounts, centers
from actors.visitor.protocol import (AcceptInvitation, InvitationClosed, InvitationSent, Invite,
                                     Invited, visitor_ref)
from actors.runtime.replies import Rejected
from tests.unit.in_process import InProcessCenter


def present(center: InProcessCenter, visitor_id: str, socket_id: str, url: str | None = None,
            name: str = "") -> Present:
    page = PageShown(url, "Page", center.clock.now) if url else None
    return Present(center.center_id, visitor_id, socket_id, center.clock.now,
                   BrowsingVisitor(name=name), page)


async def listed(center: InProcessCenter) -> dict[str, object]:
    answer = await center.ask(browsing_ref(center.center_id), GetBrowsing())
    return {entry.visitor_id: entry for entry in answer.entries}


async def test_a_socket_whose_gateway_died_lapses_within_a_lease(center):
    lease = center.host.services.settings.visitor_lease_s
    browsing = browsing_ref(center.center_id)
    await center.ask(browsing, present(center, "v1", "s1", "https://a.example/"))
    await center.ask(browsing, present(center, "v2", "s2", "https://a.example/"))
    # v1's gateway keeps renewing; v2's died and says nothing more.
    for _ in range(3):
        await center.advance(lease / 2)
        await center.ask(browsing, Renew((present(center, "v1", "s1"),)))
    assert set(await listed(center)) == {"v1"}
    assert await center.ask(browsing, IsBrowsing("v2")) is False
    entry = (await listed(center))["v1"]
    assert entry.page.url == "https://a.example/" and entry.pages_viewed == 1
    assert entry.arrived_at == center.clock.now - 1.5 * lease  # time on site kept across renewals


async def test_a_closed_visitor_stays_for_the_grace_and_a_next_page_keeps_their_stay(center):
    grace = center.host.services.settings.visitor_leave_grace_s
    browsing = browsing_ref(center.center_id)
    await center.ask(browsing, present(center, "v1", "s1", "https://a.example/1"))
    arrived = center.clock.now
    await center.ask(browsing, Left("v1", "s1"))
    await center.advance(grace / 2)
    # A multi-page site: the next page is a new socket.
    await center.ask(browsing, present(center, "v1", "s2"))
    await center.ask(browsing, Viewed("v1", "s2", PageShown("https://a.example/2", "Two", center.clock.now)))
    await center.advance(grace)
    entry = (await listed(center))["v1"]
    assert (entry.page.url, entry.pages_viewed, entry.arrived_at) == ("https://a.example/2", 2, arrived)
    await center.ask(browsing, Left("v1", "s2"))
    await center.advance(grace + 0.1)
    assert await listed(center) == {}


async def test_the_list_is_bounded(center):
    services = center.host.services
    services.settings = replace(services.settings, browsing_max_visitors=3)
    browsing = browsing_ref(center.center_id)
    for i in range(5):
        await center.ask(browsing, present(center, f"v{i}", f"s{i}"))
        await center.advance(1)
    answer = await center.ask(browsing, GetBrowsing(limit=2))
    assert answer.total == 3
    assert [e.visitor_id for e in answer.entries] == ["v2", "v1"]  # newest arrival first


async def _visitor(center: InProcessCenter) -> str:
    return (await accounts.create_visitor(center.db, center.center_id, "Ann", "web", None)).id


async def _rule(center: InProcessCenter, **auto) -> None:
    await centers.set_center_settings(center.db, center.center_id, {"invitations": {
        "auto": {"enabled": True, "after_s": 20, "url_pattern": "https://a.example/tea/*", **auto}}})
    await center.ask(center_ref(center.center_id), Reload())


async def test_the_auto_invite_rule_invites_after_its_time_on_a_matching_page(center):
    await _rule(center, text="Need help?")
    matching, elsewhere, moved_on = await _visitor(center), await _visitor(center), await _visitor(center)
    browsing = browsing_ref(center.center_id)
    await center.ask(browsing, present(center, matching, "s1", "https://a.example/tea/puer"))
    await center.ask(browsing, present(center, elsewhere, "s2", "https://a.example/shoes"))
    await center.ask(browsing, present(center, moved_on, "s3", "https://a.example/tea/green"))
    await center.advance(10)
    await center.ask(browsing, Viewed(moved_on, "s3", PageShown("https://a.example/cart", "Cart", center.clock.now)))
    await center.advance(10.5)
    sent = center.told_visitor(matching, InvitationSent)
    assert len(sent) == 1 and sent[0].agent_id is None and sent[0].text == "Need help?" and sent[0].auto
    assert center.told_visitor(elsewhere, InvitationSent) == []
    assert center.told_visitor(moved_on, InvitationSent) == []  # left the page before its time
    assert (await listed(center))[matching].invited is True
    # Once per stay: the next matching page does not invite again.
    await center.ask(browsing, Viewed(matching, "s1", PageShown("https://a.example/tea/red", "Red", center.clock.now)))
    await center.advance(60)
    assert len(center.told_visitor(matching, InvitationSent)) == 1


async def test_an_invitation_expires_and_its_end_is_logged(center):
    visitor_id = await _visitor(center)
    await centers.set_center_settings(center.db, center.center_id, {"invitations": {"ttl_s": 30}})
    await center.ask(center_ref(center.center_id), Reload())
    invited = await center.ask(visitor_ref(visitor_id), Invite(center.center_id, "ag1", "Ann Agent", None))
    assert isinstance(invited, Invited)
    await center.advance(29)
    assert center.told_visitor(visitor_id, InvitationClosed) == []
    await center.advance(1)
    closed = center.told_visitor(visitor_id, InvitationClosed)
    assert [(c.invitation_id, c.outcome) for c in closed] == [(invited.invitation_id, "expired")]
    assert [c.outcome for c in center.told_agent("ag1", InvitationClosed)] == ["expired"]
    late = await center.ask(visitor_ref(visitor_id), AcceptInvitation(invited.invitation_id, None))
    assert isinstance(late, Rejected) and late.code == "not_found"


async def test_auto_invitations_need_the_rule_switched_on(center):
    visitor_id = await _visitor(center)
    refused = await center.ask(visitor_ref(visitor_id), Invite(center.center_id, None, None, None))
    assert isinstance(refused, Rejected) and refused.code == "invitations_off"


async def test_a_chat_request_of_their_own_withdraws_an_open_invitation(center):
    from actors.conversation.protocol import Open
    from actors.routing.types import ChatRequest, VisitorProfile
    from actors.visitor.protocol import RequestChat, conversation_id_near

    visitor_id = await _visitor(center)
    invited = await center.ask(visitor_ref(visitor_id), Invite(center.center_id, "ag1", "Ann Agent", "Hi"))
    cid = conversation_id_near(visitor_id, center.host.services.directory.shard_count)
    await center.ask(visitor_ref(visitor_id), RequestChat(cid, Open(
        center.center_id, VisitorProfile(visitor_id), "Ann", ChatRequest())))
    closed = center.told_agent("ag1", InvitationClosed)
    assert [(c.invitation_id, c.outcome) for c in closed] == [(invited.invitation_id, "withdrawn")]
