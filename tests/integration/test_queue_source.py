"""The queue shows where each waiting visitor came from (issue 9, the people's side):
the visit's source travels with the conversation into its group's line, into the
agents' `waiting` frames and the queue's REST list."""

from __future__ import annotations

from urllib.parse import quote

from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, Socket, staff_member, unique

SHOP = "https://shop.example.cn"


async def waiting_visitor(center, group: str, name: str, referrer: str | None = None,
                          landing: str | None = f"{SHOP}/tea") -> tuple[str, Socket]:
    """A visitor who saw one page of the site (none if `landing` is None) and asked for
    an agent of `group`: (conversation id, socket)."""
    _, token = await Api(center.url).new_visitor(name)
    socket = await Socket.open(center.url, "visitor", token)
    await socket.next("welcome")
    if landing is not None:
        frame = {"type": "page.view", "url": landing, "title": "Tea"}
        if referrer is not None:
            frame["referrer"] = referrer
        await socket.send(frame)
    await socket.send({"type": "chat.request", "skill_group": group})
    return (await socket.next("queued"))["conversation_id"], socket


async def test_the_agent_sees_a_baidu_visitor_with_the_keyword_while_they_wait(center):
    admin = await Api(center.url).login("admin", ADMIN_PASSWORD)
    group = (await admin.create_group(unique("g")))["name"]
    # Away: nobody serves the group, so every visitor waits and the agent watches the line.
    _, agent = await staff_member(admin, {group: 1}, 2, online=False)
    baidu = f"https://www.baidu.com/s?ie=utf-8&wd={quote('普洱茶 <b>2015</b>')}"
    from_baidu, first = await waiting_visitor(center, group, "Wu", baidu)
    from_blog, second = await waiting_visitor(center, group, "Li", "https://blog.example.com/post/9")
    campaign, third = await waiting_visitor(center, group, "Xu", None,
                                            landing=f"{SHOP}/?utm_source=newsletter&utm_term=oolong")
    by_api, fourth = await waiting_visitor(center, group, "Api", landing=None)  # never showed a page

    listed = await agent.next("waiting", skill_group=group, count=4, timeout=15)
    sources = {e["conversation_id"]: e["source"] for e in listed["entries"]}
    assert sources == {
        from_baidu: {"kind": "search", "name": "Baidu", "keyword": "普洱茶 <b>2015</b>"},
        from_blog: {"kind": "referral", "name": "blog.example.com"},
        campaign: {"kind": "campaign", "name": "newsletter", "keyword": "oolong"},
        by_api: None,
    }
    # The version-1 fields are all still there.
    head = listed["entries"][0]
    assert head["conversation_id"] == from_baidu and head["visitor"]["name"] == "Wu"
    assert {"position", "channel", "priority", "waited_s", "enqueued_at"} <= set(head)

    # The list the desk loads once at start says the same.
    lists = await admin.call("GET", "/api/v1/queue")
    [line] = [g for g in lists["skill_groups"] if g["skill_group"] == group]
    assert line["entries"][0]["source"] == sources[from_baidu]
    for socket in (first, second, third, fourth, agent):
        await socket.close()
