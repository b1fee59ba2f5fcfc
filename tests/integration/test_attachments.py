"""Attachments through the real edge: uploads judged by content, signed links, and messages
that carry them to the other side, again on resume and in the history call."""

from __future__ import annotations

import io
import time
import uuid

import httpx
import pytest
from PIL import Image

from serve.media.links import AttachmentLinks, Variant
from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, Socket, online_agent_in_new_group, unique

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def image(kind: str, size=(800, 600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(out, kind)
    return out.getvalue()


@pytest.fixture
async def admin(center) -> Api:
    return await Api(center.url).login("admin", ADMIN_PASSWORD)


async def upload(base: str, token: str, cid: str, name: str, data: bytes,
                 claimed: str = "application/octet-stream") -> httpx.Response:
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        return await http.post(f"/api/v1/conversations/{cid}/attachments",
                               files={"file": (name, data, claimed)},
                               headers={"Authorization": f"Bearer {token}"})


async def fetch(base: str, url: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        return await http.get(url)


async def served(center, admin: Api) -> tuple[str, str, Socket, str, Socket]:
    """A visitor chatting with an agent: (visitor token, conversation id, visitor socket,
    the agent's token, the agent's socket)."""
    group = (await admin.create_group(unique("g")))["name"]
    username = unique("ag")
    await admin.create_agent(username, {group: 1}, 2)
    agent_token = (await Api(center.url).login(username, "secret-pw")).token
    agent = await Socket.open(center.url, "agent", agent_token)
    await agent.next("welcome")
    await agent.send({"type": "status", "status": "online"})
    await agent.next("status", status="online")
    _, token = await Api(center.url).new_visitor("Mia")
    visitor = await Socket.open(center.url, "visitor", token)
    await visitor.next("welcome")
    await visitor.send({"type": "chat.request", "skill_group": group})
    cid = (await visitor.next("assigned"))["conversation_id"]
    await agent.next("assigned", conversation_id=cid)
    return token, cid, visitor, agent_token, agent


async def test_uploads_are_judged_by_content_and_served_safely(center, admin):
    token, cid, visitor, _, agent = await served(center, admin)
    png = image("PNG")
    answer = await upload(center.url, token, cid, "holiday photo.png", png, "image/png")
    assert answer.status_code == 201, answer.text
    photo = answer.json()
    assert (photo["name"], photo["content_type"], photo["size"]) == ("holiday photo.png", "image/png", len(png))
    got = await fetch(center.url, photo["url"])
    assert got.status_code == 200 and got.content == png
    assert got.headers["content-type"] == "image/png"
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.headers["content-disposition"].startswith("inline;")
    assert "sandbox" in got.headers["content-security-policy"]
    async with httpx.AsyncClient(base_url=center.url, timeout=30) as http:
        part = await http.get(photo["url"], headers={"Range": "bytes=0-7"})
    assert part.status_code == 206 and part.content == png[:8]  # a video can seek
    thumb = await fetch(center.url, photo["thumbnail_url"])
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"
    assert max(Image.open(io.BytesIO(thumb.content)).size) == 320

    # A JPEG named as anything is a JPEG; the name the browser claims does not count.
    jpeg = (await upload(center.url, token, cid, "scan.bin", image("JPEG"))).json()
    assert jpeg["content_type"] == "image/jpeg" and "thumbnail_url" in jpeg
    pdf = await upload(center.url, token, cid, "发票 2026;.pdf", PDF, "image/png")
    assert pdf.status_code == 201 and pdf.json()["content_type"] == "application/pdf"
    assert "thumbnail_url" not in pdf.json() or pdf.json()["thumbnail_url"] is None
    download = await fetch(center.url, pdf.json()["url"])
    assert download.content == PDF and download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"] == (
        "attachment; filename=\"2026_.pdf\"; filename*=UTF-8''%E5%8F%91%E7%A5%A8%202026%3B.pdf")

    # HTML dressed up as a PNG, SVG and unknown bytes: refused by content.
    for name, data in (("cute.png", b"<!DOCTYPE html><html><script>alert(document.cookie)</script>"),
                       ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>'),
                       ("notes.txt", b"plain words")):
        refused = await upload(center.url, token, cid, name, data, "image/png")
        assert refused.status_code == 415, (name, refused.text)
        assert refused.json()["error"]["code"] == "type_not_allowed"
    # A PNG whose pixels announce a decompression bomb.
    bomb = image("PNG", (64, 64))
    bomb = bomb[:16] + (20000).to_bytes(4, "big") + (20000).to_bytes(4, "big") + bomb[24:]
    assert (await upload(center.url, token, cid, "bomb.png", bomb)).status_code in (413, 415)
    no_file = await Api(center.url, token).call("POST", f"/api/v1/conversations/{cid}/attachments",
                                                {"file": "x"}, expect=400)
    assert no_file["error"]["code"] == "bad_upload"
    await visitor.close()
    await agent.close()


async def test_the_center_sets_the_size_and_the_types(center, admin):
    token, cid, visitor, _, agent = await served(center, admin)
    before = (await admin.call("GET", "/api/v1/admin/center"))["attachments"]
    assert before["max_bytes"] == 10 * 1024 * 1024 and "image/png" in before["types"]
    try:
        changed = await admin.call("PATCH", "/api/v1/admin/center", {
            "attachments": {"max_bytes": 4096, "types": ["application/pdf"]}})
        assert changed["attachments"] == {"max_bytes": 4096, "types": ["application/pdf"]}
        big = await upload(center.url, token, cid, "big.pdf", PDF + b"0" * 5000)
        assert big.status_code == 413 and big.json()["error"]["code"] == "too_large"
        huge = await upload(center.url, token, cid, "huge.pdf", PDF + b"0" * 100_000)
        assert huge.status_code == 413  # refused by its Content-Length, before it is read
        png = await upload(center.url, token, cid, "small.png", image("PNG", (8, 8)))
        assert png.status_code == 415
        assert (await upload(center.url, token, cid, "ok.pdf", PDF)).status_code == 201
        bad = await admin.call("PATCH", "/api/v1/admin/center", {
            "attachments": {"max_bytes": 0, "types": []}}, expect=422)
        assert bad["error"]["code"] == "invalid_request"
    finally:
        await admin.call("PATCH", "/api/v1/admin/center", {"attachments": before})
    await visitor.close()
    await agent.close()


async def test_nobody_reaches_another_conversations_files(center, admin):
    token, cid, visitor, _, agent = await served(center, admin)
    photo = (await upload(center.url, token, cid, "mine.png", image("PNG", (16, 16)))).json()
    doc = (await upload(center.url, token, cid, "mine.pdf", PDF)).json()
    _, stranger = await Api(center.url).new_visitor("Eve")
    intrude = await upload(center.url, stranger, cid, "x.pdf", PDF)
    assert intrude.status_code == 403
    assert (await upload(center.url, stranger, "c_nosuchconversation", "x.pdf", PDF)).status_code == 404
    # Another agent of the center, not serving it.
    _, other_agent_token, other = await _other_agent(center, admin)
    assert (await upload(center.url, other_agent_token, cid, "x.pdf", PDF)).status_code == 403
    await other.close()

    path = f"/api/v1/attachments/{photo['id']}"
    assert (await fetch(center.url, path)).status_code == 422  # no signature at all
    forged = await fetch(center.url, path + "?sig=9999999999.AAAA")
    assert forged.status_code == 403 and forged.json()["error"]["code"] == "forbidden"
    # A good signature for one file opens neither another file nor the thumbnail of one without.
    doc_sig = doc["url"].split("sig=")[1]
    assert (await fetch(center.url, f"{path}?sig={doc_sig}")).status_code == 403
    assert (await fetch(center.url, f"/api/v1/attachments/{doc['id']}/thumbnail?sig={doc_sig}")).status_code == 403
    # Signed with the center's secret but expired.
    past = AttachmentLinks(center.settings.token_secret, 60, clock=lambda: time.time() - 7200)
    expired = await fetch(center.url, past.url(photo["id"]))
    assert expired.status_code == 403 and expired.json()["error"]["code"] == "link_expired"
    fresh = AttachmentLinks(center.settings.token_secret, 60)
    assert (await fetch(center.url, fresh.url(photo["id"], Variant.THUMBNAIL))).status_code == 200
    assert (await fetch(center.url, fresh.url("a_nosuchattachment"))).status_code == 404
    await visitor.close()
    await agent.close()


async def _other_agent(center, admin: Api) -> tuple[str, str, Socket]:
    group, agent_id, socket = await online_agent_in_new_group(admin, level=1, max_concurrent=1)
    username = (await admin.call("GET", f"/api/v1/admin/agents/{agent_id}"))["username"]
    return agent_id, (await Api(center.url).login(username, "secret-pw")).token, socket


async def test_messages_carry_attachments_to_the_other_side_and_back_on_resume(center, admin):
    token, cid, visitor, agent_token, agent = await served(center, admin)
    photo = (await upload(center.url, token, cid, "broken.png", image("PNG", (32, 32)))).json()
    doc = (await upload(center.url, token, cid, "receipt.pdf", PDF)).json()
    cmid = uuid.uuid4().hex
    await visitor.send({"type": "message", "conversation_id": cid, "client_msg_id": cmid, "body": "",
                        "attachments": [photo["id"], doc["id"]]})
    ack = await visitor.next("ack", client_msg_id=cmid)
    got = (await agent.next("message"))["message"]
    assert got["seq"] == ack["seq"] and got["body"] == ""
    assert [(a["id"], a["name"], a["content_type"]) for a in got["attachments"]] == [
        (photo["id"], "broken.png", "image/png"), (doc["id"], "receipt.pdf", "application/pdf")]
    assert (await fetch(center.url, got["attachments"][1]["url"])).content == PDF
    assert (await fetch(center.url, got["attachments"][0]["thumbnail_url"])).status_code == 200

    # A resend is the same message; the same attachment in a new message is refused.
    await visitor.send({"type": "message", "conversation_id": cid, "client_msg_id": cmid, "body": "",
                        "attachments": [photo["id"], doc["id"]]})
    assert (await visitor.next("ack", client_msg_id=cmid))["seq"] == ack["seq"]
    await visitor.send({"type": "message", "conversation_id": cid, "client_msg_id": "again", "body": "x",
                        "attachments": [photo["id"]]})
    assert (await visitor.next("error"))["code"] == "attachment_used"
    await visitor.send({"type": "message", "conversation_id": cid, "client_msg_id": "empty", "body": ""})
    assert (await visitor.next("error"))["code"] == "invalid_frame"
    await visitor.send({"type": "message", "conversation_id": cid, "client_msg_id": "many", "body": "x",
                        "attachments": [f"a_{i}" for i in range(11)]})
    assert (await visitor.next("error"))["code"] == "invalid_frame"

    # The agent sends one back; the visitor cannot send the agent's.
    reply_file = (await upload(center.url, agent_token, cid, "manual.pdf", PDF)).json()
    await visitor.send({"type": "message", "conversation_id": cid, "client_msg_id": "steal", "body": "x",
                        "attachments": [reply_file["id"]]})
    assert (await visitor.next("error"))["code"] == "not_found"
    await agent.send({"type": "message", "conversation_id": cid, "client_msg_id": "here", "body": "the manual",
                      "attachments": [reply_file["id"]]})
    await agent.next("ack", client_msg_id="here")
    to_visitor = (await visitor.next("message"))["message"]
    assert to_visitor["attachments"][0]["id"] == reply_file["id"]

    # On resume, and in the history call, with links that work.
    await visitor.send({"type": "resume", "conversation_id": cid, "after_seq": 0})
    await visitor.next("resumed", conversation_id=cid)
    resumed = [f["message"] for f in visitor.all("message") if f["message"]["seq"] == ack["seq"]]
    assert resumed and [a["id"] for a in resumed[-1]["attachments"]] == [photo["id"], doc["id"]]
    await agent.send({"type": "resume", "conversation_id": cid, "after_seq": 0})
    await agent.next("resumed", conversation_id=cid)
    history = await Api(center.url, token).call("GET", f"/api/v1/conversations/{cid}/messages")
    carried = {m["seq"]: m.get("attachments") for m in history["messages"]}
    assert [a["id"] for a in carried[ack["seq"]]] == [photo["id"], doc["id"]]
    assert (await fetch(center.url, carried[ack["seq"]][0]["url"])).status_code == 200
    await visitor.close()
    await agent.close()


async def test_uploads_are_rate_limited_per_person(center, throttled_center, admin):
    """Through the gateway with tight throttles (3 uploads a minute each)."""
    token, cid, visitor, _, agent = await served(center, admin)
    base = throttled_center.url
    statuses = [(await upload(base, token, cid, "n.pdf", PDF)).status_code for _ in range(4)]
    assert statuses == [201, 201, 201, 429]
    limited = await upload(base, token, cid, "n.pdf", PDF)
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
    assert limited.json()["error"]["code"] == "rate_limited"
    # Someone else is not held back.
    other_token, other_cid, other, _, other_agent = await served(center, admin)
    assert (await upload(base, other_token, other_cid, "n.pdf", PDF)).status_code == 201
    for socket in (visitor, agent, other, other_agent):
        await socket.close()


async def test_attachments_never_sent_are_deleted_with_their_bytes(center, admin):
    from actors.store.database import create_engine, sessionmaker
    from serve.media.blob_store import FolderBlobStore
    from serve.media.sweeper import sweep_unsent

    token, cid, visitor, _, agent = await served(center, admin)
    kept = (await upload(center.url, token, cid, "kept.pdf", PDF)).json()
    await visitor.send({"type": "message", "conversation_id": cid, "client_msg_id": "kept", "body": "",
                        "attachments": [kept["id"]]})
    await visitor.next("ack", client_msg_id="kept")
    kept_url = (await agent.next("message"))["message"]["attachments"][0]["url"]
    forgotten = (await upload(center.url, token, cid, "forgotten.png", image("PNG", (40, 40)))).json()
    engine = create_engine(center.settings.database_url)
    db = sessionmaker(engine)
    blobs = FolderBlobStore(center.settings.data_dir / "attachments")
    try:
        from actors.store.attachments import get_attachment
        row = await get_attachment(db, forgotten["id"])
        files = [blobs.local_path(row.blob_key), blobs.local_path(row.thumbnail_key)]
        assert all(path.exists() for path in files)
        # A day is not over: nothing goes.
        assert await sweep_unsent(db, blobs, older_than_s=3600) == 0
        assert (await fetch(center.url, forgotten["url"])).status_code == 200
        assert await sweep_unsent(db, blobs, older_than_s=0) >= 1
        assert await get_attachment(db, forgotten["id"]) is None
        assert not any(path.exists() for path in files)
        assert (await fetch(center.url, forgotten["url"])).status_code == 404
        assert (await fetch(center.url, kept_url)).content == PDF  # a sent one stays
        # Sending it now is refused as an unknown attachment, not half-sent.
        await visitor.send({"type": "message", "conversation_id": cid, "client_msg_id": "late", "body": "",
                            "attachments": [forgotten["id"]]})
        assert (await visitor.next("error"))["code"] == "not_found"
    finally:
        await engine.dispose()
        await visitor.close()
        await agent.close()
