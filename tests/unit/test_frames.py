import json

import pytest

from serve import frames


def parse(data, role="visitor"):
    return frames.parse(json.dumps(data) if not isinstance(data, str) else data, role)


def test_valid_frames_parse_to_their_types():
    assert isinstance(parse({"type": "chat.request"}), frames.ChatRequestFrame)
    message = parse({"type": "message", "conversation_id": "c1", "client_msg_id": "m1", "body": "hi"})
    assert message.body == "hi"
    assert parse({"type": "status", "status": "away"}, "agent").status == "away"
    assert parse({"type": "resume", "conversation_id": "c", "after_seq": 0}).after_seq == 0


@pytest.mark.parametrize("raw,code", [
    ("{not json", "bad_json"),
    ("[1, 2]", "bad_frame"),
    ('{"no": "type"}', "bad_frame"),
    ('{"type": "fly"}', "unknown_type"),
    ('{"type": "pick", "conversation_id": "c"}', "unknown_type"),  # agents only
    ('{"type": "message", "conversation_id": "c", "client_msg_id": "m"}', "invalid_frame"),
    ('{"type": "message", "conversation_id": "c", "client_msg_id": "m", "body": ""}', "invalid_frame"),
    ('{"type": "resume", "conversation_id": "c", "after_seq": -1}', "invalid_frame"),
    ('{"type": "chat.request", "skill_group": 5}', "invalid_frame"),
])
def test_bad_frames_name_the_problem(raw, code):
    with pytest.raises(frames.BadFrame) as caught:
        frames.parse(raw, "visitor")
    assert caught.value.code == code
    assert caught.value.frame()["type"] == "error" and caught.value.frame()["message"]


def test_status_is_limited_to_the_three_presences():
    with pytest.raises(frames.BadFrame):
        parse({"type": "status", "status": "busy"}, "agent")


def test_oversized_frames_and_bodies_are_refused():
    with pytest.raises(frames.BadFrame) as caught:
        frames.parse("x" * (frames.MAX_FRAME_BYTES + 1), "visitor")
    assert caught.value.code == "frame_too_large"
    with pytest.raises(frames.BadFrame):
        parse({"type": "message", "conversation_id": "c", "client_msg_id": "m",
               "body": "x" * (frames.MAX_BODY_CHARS + 1)})


def test_issue_9_frames_parse_and_are_bounded():
    with_files = parse({"type": "message", "conversation_id": "c", "client_msg_id": "m", "body": "",
                        "attachments": ["a_1", "a_2"]})
    assert with_files.attachments == ["a_1", "a_2"] and with_files.body == ""
    rating = parse({"type": "rating", "conversation_id": "c", "score": 5})
    assert (rating.score, rating.comment) == (5, "")
    left = parse({"type": "leave_message", "conversation_id": "c", "client_msg_id": "m",
                  "contact": "a@b.c", "body": "call me"})
    assert (left.contact, left.name) == ("a@b.c", None)
    assert isinstance(parse({"type": "typing", "conversation_id": "c"}, "agent"), frames.AgentTypingFrame)
    # The visitor's typing still needs its text (the input preview), the agent's has none.
    assert isinstance(parse({"type": "typing", "conversation_id": "c", "text": "he"}), frames.TypingFrame)
    for bad, role in (({"type": "message", "conversation_id": "c", "client_msg_id": "m", "body": "x",
                        "attachments": [f"a_{i}" for i in range(11)]}, "visitor"),
                      ({"type": "rating", "conversation_id": "c", "score": 6}, "visitor"),
                      ({"type": "rating", "conversation_id": "c", "score": 4.5}, "visitor"),
                      ({"type": "rating", "conversation_id": "c", "score": 3, "comment": "x" * 501}, "visitor"),
                      ({"type": "leave_message", "conversation_id": "c", "client_msg_id": "m",
                        "body": "hi"}, "visitor"),
                      ({"type": "rating", "conversation_id": "c", "score": 3}, "agent")):
        with pytest.raises(frames.BadFrame):
            parse(bad, role)


def test_any_frame_may_name_its_request_and_its_error_echoes_it():
    assert parse({"type": "ping", "request_id": "r-1"}, "agent").request_id == "r-1"
    assert parse({"type": "ping"}, "agent").request_id is None
    for raw in ('{"type": "fly", "request_id": "r-2"}', '{"request_id": "r-2"}',
                '{"type": "pick", "request_id": "r-2"}'):
        with pytest.raises(frames.BadFrame) as caught:
            frames.parse(raw, "agent")
        assert caught.value.frame()["request_id"] == "r-2"
    # Without one, the error is version 1's, key for key.
    with pytest.raises(frames.BadFrame) as caught:
        frames.parse('{"type": "fly"}', "agent")
    assert list(caught.value.frame()) == ["type", "code", "message"]
    # An id that is not a 1-64 character string is refused, and not echoed.
    for bad in ("", "x" * 65, 7):
        with pytest.raises(frames.BadFrame) as caught:
            parse({"type": "ping", "request_id": bad}, "agent")
        assert caught.value.code == "invalid_frame" and "request_id" not in caught.value.frame()
    assert frames.peek_request_id('{"type": "typing", "request_id": "t-9"}') == "t-9"
    assert frames.peek_request_id("{broken") is None
