"""The hub's stream protocol and its routing, without sockets or Ray."""

from __future__ import annotations

import pytest

from actors.bus import hub_wire
from actors.bus.hub import Hub


def test_frames_survive_any_split_of_the_byte_stream():
    stream = b"".join([
        hub_wire.hello("s3cret"),
        hub_wire.event(hub_wire.PUBLISH, "visitor:7", '{"text": "您好 👋"}'),
        hub_wire.topics_request(hub_wire.JOIN, 41, ["agent:1", "agent:2"]),
        hub_wire.topics_request(hub_wire.LEAVE, 42, []),
        hub_wire.done(41),
        hub_wire.ping(),
        hub_wire.event(hub_wire.EVENT, "", "{}"),
    ])
    expected = [
        hub_wire.Frame(hub_wire.HELLO, payload="s3cret"),
        hub_wire.Frame(hub_wire.PUBLISH, topic="visitor:7", payload='{"text": "您好 👋"}'),
        hub_wire.Frame(hub_wire.JOIN, request=41, topics=("agent:1", "agent:2")),
        hub_wire.Frame(hub_wire.LEAVE, request=42),
        hub_wire.Frame(hub_wire.DONE, request=41),
        hub_wire.Frame(hub_wire.PING),
        hub_wire.Frame(hub_wire.EVENT, topic="", payload="{}"),
    ]
    for size in (1, 2, 3, 7, 64, len(stream)):
        reader = hub_wire.FrameReader()
        frames = []
        for start in range(0, len(stream), size):
            frames.extend(reader.feed(stream[start:start + size]))
        assert frames == expected, size


@pytest.mark.parametrize("garbage", [
    b"\x00\x00\x00\x00",                    # a frame of no bytes
    b"\x7f\xff\xff\xff" + b"P",             # past the size limit
    b"\x00\x00\x00\x01Z",                   # an unknown kind
    b"\x00\x00\x00\x02P\x00",               # an event cut inside its topic length
    b"\x00\x00\x00\x04P\x00\x09a",          # a topic longer than the frame
    b"\x00\x00\x00\x03J\x00\x00",           # a request without its number
    b"\x00\x00\x00\x04E\x00\x00\xff",       # not UTF-8
])
def test_what_is_not_the_protocol_is_refused(garbage: bytes):
    with pytest.raises(hub_wire.WireError):
        hub_wire.FrameReader().feed(garbage)


def test_a_published_event_reaches_each_subscriber_of_its_topic_once():
    hub = Hub()
    got: dict[str, list[bytes]] = {"a": [], "b": [], "c": []}
    a, b, c = (hub.open(got[name].append) for name in "abc")
    hub.subscribe(a, ["t", "u"])
    hub.subscribe(b, ["t"])
    hub.subscribe(c, ["u"])
    assert hub.publish("t", '{"n": 1}') == 2
    assert hub.publish("nobody", "{}") == 0
    frame = hub_wire.event(hub_wire.EVENT, "t", '{"n": 1}')
    assert got == {"a": [frame], "b": [frame], "c": []}
    assert got["a"][0] is got["b"][0]  # encoded once for all of them

    hub.unsubscribe(a, ["t"])
    hub.close(b)
    assert hub.subscriber_count("t") == 0 and hub.subscriber_count("u") == 2
    assert hub.publish("t", "{}") == 0
    hub.close(c)
    hub.close(c)  # closing twice is harmless
    assert hub.stats() == {"connections": 1, "topics": 1}
