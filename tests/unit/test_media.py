"""Attachments' pure parts: sniffing by content, thumbnails within bounds, signed links,
file names in headers, the upload check and the message rendering with attachments."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import datetime, timezone

import pytest
from PIL import Image

from actors.conversation.protocol import AgentTyped, ConversationRated, MessagePosted
from actors.domain_event import decode, encode
from actors.participants import AgentRef, PartyKind
from actors.store.attachments import Attachment
from actors.store.messages import StoredMessage
from serve.media.file_names import clean_name, content_disposition
from serve.media.limits import AttachmentLimits, attachment_limits
from serve.media.links import AttachmentLinks, BadLink, Variant
from serve.media.sniffing import shown_inline, sniff
from serve.media.thumbnails import THUMBNAIL_EDGE, TooManyPixels, UnreadableImage, thumbnail
from serve.media.uploads import UploadRefused, check_upload
from serve.rendering import render


def image_bytes(kind: str, size=(640, 480), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 30, 30, 128) if mode == "RGBA" else (200, 30, 30)).save(out, kind)
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` x `height` (a decompression bomb's shape)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk
            + struct.pack(">I", zlib.crc32(chunk)) + b"\x00\x00\x00\x00IEND\xaeB`\x82")


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.mark.parametrize("kind,expected", [("PNG", "image/png"), ("JPEG", "image/jpeg"),
                                           ("GIF", "image/gif"), ("WEBP", "image/webp")])
def test_images_are_known_by_their_bytes(kind, expected):
    assert sniff(image_bytes(kind)) == expected


def test_content_not_names_decides():
    assert sniff(PDF) == "application/pdf"
    assert sniff(b"<!DOCTYPE html><html><script>alert(1)</script></html>") == "text/html"
    assert sniff(b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>') == "image/svg+xml"
    assert sniff(b"just some words") is None
    assert sniff(b"") is None


def test_only_images_and_videos_show_inline():
    assert shown_inline("image/png") and shown_inline("video/mp4")
    for kind in ("image/svg+xml", "text/html", "application/pdf", "application/zip"):
        assert not shown_inline(kind)


def test_a_thumbnail_fits_the_edge_and_keeps_transparency():
    small = thumbnail(image_bytes("PNG", (1600, 800), "RGBA"))
    assert small.content_type == "image/png"
    assert Image.open(io.BytesIO(small.data)).size == (THUMBNAIL_EDGE, THUMBNAIL_EDGE // 2)
    opaque = thumbnail(image_bytes("JPEG", (300, 900)))
    assert opaque.content_type == "image/jpeg"
    assert max(Image.open(io.BytesIO(opaque.data)).size) == THUMBNAIL_EDGE


def test_an_image_announcing_too_many_pixels_is_refused_before_decoding():
    bomb = png_header_only(100_000, 100_000)  # 10 gigapixels in 57 bytes
    assert len(bomb) < 100
    with pytest.raises(TooManyPixels):
        thumbnail(bomb)
    with pytest.raises(TooManyPixels):
        thumbnail(image_bytes("PNG", (200, 200)), max_pixels=100 * 100)


def test_a_file_that_only_starts_like_an_image_is_unreadable():
    with pytest.raises(UnreadableImage):
        thumbnail(image_bytes("PNG")[:40] + b"<html><script>alert(1)</script></html>")


def test_the_upload_check_answers_size_type_and_bombs():
    limits = AttachmentLimits(max_bytes=50_000)
    checked = check_upload(image_bytes("PNG", (64, 64)), "C:\\Users\\me\\photo.png", limits)
    assert (checked.name, checked.content_type) == ("photo.png", "image/png")
    assert checked.thumbnail is not None
    assert check_upload(PDF, "a.pdf", limits).thumbnail is None
    refusals = {
        "empty": (b"", 422, "empty_file"),
        "html named png": (b"<html><body>hi</body></html>", 415, "type_not_allowed"),
        "too big": (b"%PDF-1.4\n" + b"0" * 60_000, 413, "too_large"),
        "bomb": (png_header_only(50_000, 50_000), 413, "too_many_pixels"),
        "broken": (image_bytes("PNG")[:40], 415, "unreadable_image"),
    }
    for what, (data, status, code) in refusals.items():
        with pytest.raises(UploadRefused) as refused:
            check_upload(data, "x.png", limits)
        assert (refused.value.status, refused.value.code) == (status, code), what
    only_pdf = AttachmentLimits(types=("application/pdf",))
    with pytest.raises(UploadRefused):
        check_upload(image_bytes("PNG"), "x.png", only_pdf)


def test_limits_come_from_the_center_settings_with_defaults():
    assert attachment_limits(None) == AttachmentLimits()
    assert attachment_limits({"attachments": {"max_bytes": 5, "types": ["image/png"]}}) == \
        AttachmentLimits(5, ("image/png",))
    assert attachment_limits({"attachments": {"max_bytes": -1}}).max_bytes == AttachmentLimits().max_bytes


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_link_is_good_for_one_attachment_and_variant_until_it_expires():
    clock = Clock()
    links = AttachmentLinks("secret", ttl_s=600, clock=clock)
    sig = links.sign("a_1", Variant.FILE)
    assert links.verify("a_1", Variant.FILE, sig) >= clock.now + 600
    assert links.url("a_1").startswith("/api/v1/attachments/a_1?sig=")
    assert links.url("a_1", Variant.THUMBNAIL).startswith("/api/v1/attachments/a_1/thumbnail?sig=")
    for attachment_id, variant, forged in (("a_2", Variant.FILE, sig), ("a_1", Variant.THUMBNAIL, sig),
                                           ("a_1", Variant.FILE, "9999999999." + sig.split(".")[1]),
                                           ("a_1", Variant.FILE, ""), ("a_1", Variant.FILE, "x.y")):
        with pytest.raises(BadLink) as bad:
            links.verify(attachment_id, variant, forged)
        assert bad.value.code == "forbidden"
    with pytest.raises(BadLink):
        AttachmentLinks("another secret", 600, clock).verify("a_1", Variant.FILE, sig)
    clock.now += 600 + 3600
    with pytest.raises(BadLink) as expired:
        links.verify("a_1", Variant.FILE, sig)
    assert expired.value.code == "link_expired"


def test_links_are_stable_within_the_hour_so_browsers_cache_them():
    clock = Clock()
    links = AttachmentLinks("secret", ttl_s=600, clock=clock)
    first = links.url("a_1")  # the clock starts on the hour
    clock.now += 1800
    assert links.url("a_1") == first
    clock.now += 1800
    assert links.url("a_1") != first


def test_file_names_cannot_break_the_header():
    assert clean_name("../../etc/passwd") == "passwd"
    assert clean_name("a\r\nb\x00.png") == "ab.png"
    assert clean_name("") == clean_name(None) == "file"
    header = content_disposition('报告 "final";\r\n.pdf', inline=False)
    assert "\r" not in header and "\n" not in header
    assert header.startswith('attachment; filename="')
    assert "filename*=UTF-8''%E6%8A%A5%E5%91%8A%20%22final%22%3B%0D%0A.pdf" in header
    assert content_disposition("报告.pdf", inline=True) == \
        "inline; filename=\"file.pdf\"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf"


TS = datetime(2026, 12, 1, 8, 30, tzinfo=timezone.utc)


def test_a_message_renders_its_attachments_with_signed_links():
    photo = Attachment("a_1", "cat.png", "image/png", 1234, thumbnail=True)
    doc = Attachment("a_2", "<b>x</b>.pdf", "application/pdf", 99)
    message = StoredMessage("c_1", 2, PartyKind.VISITOR, "v_1", "", "k", TS, attachments=(photo, doc))
    links = AttachmentLinks("secret", 600)
    frame = render(decode(encode(MessagePosted(message))), staff=True, links=links)
    first, second = frame["message"]["attachments"]
    assert first["id"] == "a_1" and first["thumbnail_url"].startswith("/api/v1/attachments/a_1/thumbnail?sig=")
    assert links.verify("a_1", Variant.FILE, first["url"].split("sig=")[1])
    assert second == {"id": "a_2", "name": "<b>x</b>.pdf", "content_type": "application/pdf", "size": 99,
                      "url": second["url"]}
    plain = StoredMessage("c_1", 3, PartyKind.VISITOR, "v_1", "hi", "k2", TS)
    assert "attachments" not in render(MessagePosted(plain), staff=False, links=links)["message"]


def test_rated_goes_to_everyone_and_the_typing_indicator_to_the_visitor_only():
    rated = ConversationRated("c_1", "demo", "v_1", "ag_1", "presales", 4, "quick")
    assert render(decode(encode(rated)), staff=True) == render(rated, staff=False) == {
        "type": "rated", "conversation_id": "c_1", "score": 4, "comment": "quick"}
    typed = AgentTyped("c_1", AgentRef("ag_1", "Lily"))
    assert render(typed, staff=True) is None
    assert render(decode(encode(typed)), staff=False) == {
        "type": "typing.indicator", "conversation_id": "c_1",
        "sender": {"kind": "agent", "id": "ag_1", "display_name": "Lily"}}


def test_a_message_may_carry_only_its_senders_unsent_uploads_of_this_conversation():
    from actors.store.attachments import check_use
    from actors.store.schema import AttachmentRow

    def row(attachment_id, conversation="c_1", kind="visitor", uploader="v_1", seq=None):
        return AttachmentRow(id=attachment_id, conversation_id=conversation, uploader_kind=kind,
                             uploader_id=uploader, message_seq=seq)

    rows = {r.id: r for r in (row("a_1"), row("a_2"), row("a_other", conversation="c_2"),
                              row("a_agent", kind="agent", uploader="ag_1"), row("a_sent", seq=4))}
    assert check_use(rows, ("a_1", "a_2"), "c_1", "visitor", "v_1") is None
    for ids, code in ((("a_other",), "not_found"), (("a_agent",), "not_found"), (("a_none",), "not_found"),
                      (("a_sent",), "attachment_used"), (("a_1", "a_1"), "invalid_frame"),
                      (tuple(f"a_{i}" for i in range(11)), "invalid_frame")):
        assert check_use(rows, ids, "c_1", "visitor", "v_1").code == code, ids
    assert check_use(rows, ("a_1",), "c_1", "visitor", "v_2").code == "not_found"
