"""Proactive invitations (主动邀请) through real websockets (issue 9, item 4).

An agent sees a visitor browsing and invites them; the visitor's widget gets the
invitation and accepts (a conversation owned by the inviting agent) or declines, or
lets it expire; the inviting agent hears how it ended. The center's switch turns
invitations off; its auto-invite rule invites on the center's behalf.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from actors.store import event_log
from actors.store.database import create_engine, sessionmaker
from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, Socket, online_agent_in_new_group, unique

SHOP = "https://shop.example.cn"


@pytest.fixture
async def admin(center) -> Api:
    return await Api(center.url).login("admin", ADMIN_PASSWORD)


@pytest.fixture
async def invitation_settings(admin):
    """Change the center's invitation settings for one test; the defaults come back after."""
    async def change(**section) -> None:
        await admin.call("PATCH", "/api/v1/admin/center", {"invitations": section})

    yield change
    await admin.call("PATCH", "/api/v1/admin/center", {"invitations": {}})


async def browsing(center, admin: Api, url: str = f"{SHOP}/tea", token: str | None = None
                   ) -> tuple[str, Socket]:
    """A visitor (new, or the one `token` names) on the site, on `url`, listed as
    browsing: (visitor id, socket)."""
    if token is None:
        _, token = await Api(center.url).new_visitor(unique("Vis"))
    socket = await Socket.open(center.url, "visitor", token)
    visitor_id = (await socket.next("welcome"))["visitor_id"]
    await socket.send({"type": "page.view", "url": url, "title": "Tea"})
    deadline = time.monotonic() + 10
    while True:
        listed = await admin.call("GET", "/api/v1/visitors/online")
        if any(v["visitor_id"] == visitor_id and v["page"] for v in listed["visitors"]):
            return visitor_id, socket
        assert time.monotonic() < deadline, "the visitor was not listed as browsing"
        await asyncio.sleep(0.1)


async def _eventually(found, timeout: float = 10.0):
    """What `found` (a look at frames already received) returns, once it is truthy."""
    deadline = time.monotonic() + timeout
    while not (answer := found()):
        assert time.monotonic() < deadline, "never arrived"
        await asyncio.sleep(0.05)
    return answer


async def logged_types(center, visitor_id: str) -> list[tuple[str, str | None]]:
    engine = create_engine(center.settings.database_url, pool_size=1)
    try:
        rows = await event_log.query(sessionmaker(engine), center.settings.center_id,
                                     types=("InvitationSent", "InvitationClosed"))
    finally:
        await engine.dispose()
    return [(row.type, row.data.get("outcome")) for row in rows if row.visitor_id == visitor_id]


async def test_an_accepted_invitation_is_a_conversation_owned_by_the_inviting_agent(center, admin):
    group, agent_id, agent = await online_agent_in_new_group(admin, level=1, max_concurrent=2)
    visitor_id, visitor = await browsing(center, admin)
    await agent.send({"type": "invite", "visitor_id": visitor_id, "text": "Need help choosing a tea?"})
    done = await agent.next("done", request="invite")
    assert done["visitor_id"] == visitor_id
    invitation = await visitor.next("invitation")
    assert invitation["invitation_id"] == done["invitation_id"]
    assert invitation["agent"]["id"] == agent_id and invitation["agent"]["display_name"]
    assert invitation["text"] == "Need help choosing a tea?"
    listed = {v["visitor_id"]: v for v in (await admin.call("GET", "/api/v1/visitors/online"))["visitors"]}
    assert listed[visitor_id]["invited"] is True

    await visitor.send({"type": "invitation.accept", "invitation_id": invitation["invitation_id"]})
    assigned = await visitor.next("assigned")
    assert assigned["agent"]["id"] == agent_id
    closed = (await _eventually(lambda: visitor.all("invitation.closed")))[0]
    assert (closed["outcome"], closed["conversation_id"]) == ("accepted", assigned["conversation_id"])
    await agent.next("assigned", conversation_id=assigned["conversation_id"])
    to_agent = await _eventually(lambda: agent.all("invitation.closed"))
    assert (to_agent[0]["visitor_id"], to_agent[0]["outcome"]) == (visitor_id, "accepted")
    assert to_agent[0]["conversation_id"] == assigned["conversation_id"]
    ack = await visitor.message(assigned["conversation_id"], "Yes please")
    assert ack["seq"] == 1
    assert (await agent.next("message"))["message"]["body"] == "Yes please"
    assert await logged_types(center, visitor_id) == [("InvitationSent", None), ("InvitationClosed", "accepted")]

    # In a conversation now: no second invitation.
    await agent.send({"type": "invite", "visitor_id": visitor_id})
    assert (await agent.next("error"))["code"] == "in_conversation"
    await visitor.close()
    await agent.close()


async def test_decline_and_one_open_invitation_at_a_time(center, admin):
    _, agent_id, agent = await online_agent_in_new_group(admin, level=1, max_concurrent=1)
    _, _, colleague = await online_agent_in_new_group(admin, level=1, max_concurrent=1)
    visitor_id, visitor = await browsing(center, admin)
    await agent.send({"type": "invite", "visitor_id": visitor_id, "request_id": "inv-1"})
    done = await agent.next("done", request="invite")
    assert done["request_id"] == "inv-1"  # the answer names the request it answers
    invitation = await visitor.next("invitation")
    # No text of the agent's nor the center's: the widget words it in the visitor's language.
    assert invitation["text"] == ""
    await colleague.send({"type": "invite", "visitor_id": visitor_id, "request_id": "inv-2"})
    refused = await colleague.next("error")
    assert (refused["code"], refused["request_id"]) == ("already_invited", "inv-2")

    await visitor.send({"type": "invitation.decline", "invitation_id": done["invitation_id"]})
    closed = await visitor.next("invitation.closed")
    assert closed == {"type": "invitation.closed", "invitation_id": done["invitation_id"],
                      "outcome": "declined"}
    assert (await agent.next("invitation.closed"))["outcome"] == "declined"
    # Declined is closed: accepting it now finds nothing.
    await visitor.send({"type": "invitation.accept", "invitation_id": done["invitation_id"]})
    assert (await visitor.next("error"))["code"] == "not_found"
    assert await logged_types(center, visitor_id) == [("InvitationSent", None), ("InvitationClosed", "declined")]
    # The colleague may invite now.
    await colleague.send({"type": "invite", "visitor_id": visitor_id})
    await colleague.next("done", request="invite")
    await visitor.close()
    await agent.close()
    await colleague.close()


async def test_invitations_expire(center, admin, invitation_settings):
    await invitation_settings(ttl_s=1)
    _, _, agent = await online_agent_in_new_group(admin, level=1, max_concurrent=1)
    visitor_id, visitor = await browsing(center, admin)
    await agent.send({"type": "invite", "visitor_id": visitor_id})
    done = await agent.next("done", request="invite")
    await visitor.next("invitation")
    closed = await visitor.next("invitation.closed", timeout=15)
    assert (closed["invitation_id"], closed["outcome"]) == (done["invitation_id"], "expired")
    assert (await agent.next("invitation.closed", timeout=15))["outcome"] == "expired"
    await visitor.close()
    await agent.close()


async def test_only_browsing_visitors_of_the_center_and_only_when_switched_on(center, admin,
                                                                               invitation_settings):
    _, _, agent = await online_agent_in_new_group(admin, level=1, max_concurrent=1)
    await agent.send({"type": "invite", "visitor_id": "v_nobody"})
    assert (await agent.next("error"))["code"] == "not_found"
    away_id, _ = await Api(center.url).new_visitor("Away")  # never opened a socket
    await agent.send({"type": "invite", "visitor_id": away_id})
    assert (await agent.next("error"))["code"] == "visitor_not_browsing"
    await agent.send({"type": "invite", "visitor_id": away_id, "text": "x" * 501})
    assert (await agent.next("error"))["code"] == "invalid_frame"

    visitor_id, visitor = await browsing(center, admin)
    await invitation_settings(enabled=False)
    await agent.send({"type": "invite", "visitor_id": visitor_id})
    assert (await agent.next("error"))["code"] == "invitations_off"
    settings = await admin.call("GET", "/api/v1/admin/center")
    assert settings["invitations"]["enabled"] is False
    await visitor.close()
    await agent.close()


async def test_a_visitor_answers_only_their_own_invitations(center, admin):
    _, _, agent = await online_agent_in_new_group(admin, level=1, max_concurrent=1)
    visitor_id, visitor = await browsing(center, admin)
    _, other = await browsing(center, admin)
    await agent.send({"type": "invite", "visitor_id": visitor_id})
    done = await agent.next("done", request="invite")
    await visitor.next("invitation")
    for answer in ("invitation.accept", "invitation.decline"):
        await other.send({"type": answer, "invitation_id": done["invitation_id"]})
        assert (await other.next("error"))["code"] == "not_found"
    assert not other.all("invitation") and not other.all("assigned")
    # A visitor socket cannot invite anyone.
    await visitor.send({"type": "invite", "visitor_id": visitor_id})
    assert (await visitor.next("error"))["code"] == "unknown_type"
    await other.close()
    await agent.close()


async def test_an_open_invitation_follows_the_visitor_to_the_next_page(center, admin):
    _, _, agent = await online_agent_in_new_group(admin, level=1, max_concurrent=1)
    visitor_id, token = await Api(center.url).new_visitor("Nav")
    _, first_page = await browsing(center, admin, token=token)
    await agent.send({"type": "invite", "visitor_id": visitor_id})
    done = await agent.next("done", request="invite")
    await first_page.next("invitation")
    await first_page.close()
    # A multi-page site: the next page opens a new socket, which is shown the invitation.
    _, next_page = await browsing(center, admin, url=f"{SHOP}/tea/green", token=token)
    again = await next_page.next("invitation")
    assert again["invitation_id"] == done["invitation_id"]
    await next_page.send({"type": "invitation.decline", "invitation_id": done["invitation_id"]})
    await next_page.next("invitation.closed", outcome="declined")
    await next_page.close()
    await agent.close()


async def test_when_the_inviting_agent_cannot_serve_the_acd_does(center, admin):
    group, agent_id, agent = await online_agent_in_new_group(admin, level=1, max_concurrent=1)
    visitor_id, visitor = await browsing(center, admin)
    await agent.send({"type": "invite", "visitor_id": visitor_id})
    done = await agent.next("done", request="invite")
    await visitor.next("invitation")
    await agent.send({"type": "status", "status": "away"})
    await agent.next("status", status="away")
    await visitor.send({"type": "invitation.accept", "invitation_id": done["invitation_id"]})
    queued = await visitor.next("queued")
    assert queued["skill_group"] == group  # waits in the inviting agent's group
    await _eventually(lambda: visitor.all("invitation.closed", outcome="accepted"))
    # Back online: the ACD offers it to them (they were designated and are free).
    await agent.send({"type": "status", "status": "online"})
    assigned = await visitor.next("assigned")
    assert (assigned["conversation_id"], assigned["agent"]["id"]) == (queued["conversation_id"], agent_id)
    await visitor.close()
    await agent.close()


async def test_the_auto_invite_rule_invites_on_the_centers_behalf(center, admin, invitation_settings):
    pattern = f"{SHOP}/{unique('auto')}/*"
    await invitation_settings(auto={"enabled": True, "after_s": 0.5, "url_pattern": pattern,
                                    "text": "欢迎光临! Welcome!"})
    _, elsewhere = await browsing(center, admin, url=f"{SHOP}/other")
    visitor_id, visitor = await browsing(center, admin, url=pattern.replace("*", "oolong"))
    invitation = await visitor.next("invitation", timeout=15)
    assert invitation["agent"] is None and invitation["text"] == "欢迎光临! Welcome!"
    await visitor.send({"type": "invitation.accept", "invitation_id": invitation["invitation_id"]})
    answer = await visitor.next(None)
    while answer["type"] not in ("queued", "assigned", "offline"):
        answer = await visitor.next(None)
    assert answer["conversation_id"]
    await _eventually(lambda: visitor.all("invitation.closed", outcome="accepted"))
    await visitor.send({"type": "chat.end", "conversation_id": answer["conversation_id"]})
    await visitor.next("ended")
    assert not elsewhere.all("invitation")  # its page does not match the rule
    assert ("InvitationSent", None) in await logged_types(center, visitor_id)
    await visitor.close()
    await elsewhere.close()
