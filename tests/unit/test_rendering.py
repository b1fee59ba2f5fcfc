"""Events become version-1 frames exactly, and a visitor's socket is never shown what is not theirs."""

from __future__ import annotations

from datetime import datetime, timezone

from actors.bus.base import BusEvent
from actors.conversation.protocol import (ConversationAssigned, ConversationEnded, ConversationQueued,
                                          ConversationTransferred, MessagePosted, ParticipantJoined,
                                          TypingPreviewed)
from actors.conversation.left_pool_protocol import LeftMessageAssigned, LeftMessageSubmitted
from actors.domain_event import decode, encode
from actors.participants import (AgentRef, Participant, ParticipantRole, PartyKind, SupervisionMode,
                                 Visibility, VisitorRef)
from actors.skill_group.protocol import WaitingListChanged, WaitingVisitor
from actors.store.messages import StoredMessage
from actors.tracking.source import TrafficSource
from serve.rendering import render

TS = datetime(2026, 12, 1, 8, 30, tzinfo=timezone.utc)


def message(visibility: Visibility = Visibility.PUBLIC) -> MessagePosted:
    return MessagePosted(StoredMessage("c_1", 3, PartyKind.AGENT, "ag_1", "hi", "k1", TS, visibility))


def test_a_public_message_keeps_the_version_1_shape():
    assert render(message(), staff=False) == {"type": "message", "message": {
        "conversation_id": "c_1", "seq": 3, "sender": {"kind": "agent", "id": "ag_1"}, "body": "hi",
        "client_msg_id": "k1", "ts": "2026-12-01T08:30:00.000Z"}}


def test_internal_messages_and_typing_are_for_staff_only():
    internal = message(Visibility.INTERNAL)
    assert render(internal, staff=False) is None
    assert render(internal, staff=True)["message"]["visibility"] == "internal"
    preview = TypingPreviewed("c_1", "hel", 2)
    assert render(preview, staff=False) is None
    assert render(preview, staff=True) == {"type": "typing.preview", "conversation_id": "c_1", "text": "hel"}


def test_assignment_frames_differ_by_reader():
    event = ConversationAssigned("c_1", "demo", "presales", AgentRef("ag_1", "Lily"),
                                 VisitorRef("v_1", "Vera"), "web", 4)
    assert render(event, staff=False) == {"type": "assigned", "conversation_id": "c_1",
                                          "agent": {"id": "ag_1", "display_name": "Lily"}}
    for_staff = render(event, staff=True)
    assert for_staff["visitor"] == {"id": "v_1", "name": "Vera"} and for_staff["last_seq"] == 4
    assert "transferred_from" not in for_staff


def test_a_supervisor_watches_unseen_a_collaborator_is_introduced():
    boss = Participant(PartyKind.SUPERVISOR, "ag_9", ParticipantRole.SUPERVISOR, SupervisionMode.MONITOR)
    mate = Participant(PartyKind.AGENT, "ag_2", ParticipantRole.COLLABORATOR)
    assert render(ParticipantJoined("c_1", "demo", boss), staff=False) is None
    assert render(ParticipantJoined("c_1", "demo", boss), staff=True)["participant"] == {
        "kind": "supervisor", "id": "ag_9", "role": "supervisor", "mode": "monitor"}
    assert render(ParticipantJoined("c_1", "demo", mate), staff=False)["participant"]["role"] == "collaborator"


def test_transfer_notes_stay_with_staff():
    event = ConversationTransferred("c_1", "demo", "ag_1", "ag_2", None, "ag_1", "VIP", "Mei")
    for_visitor = render(event, staff=False)
    assert for_visitor == {"type": "transferred", "conversation_id": "c_1", "from": {"agent_id": "ag_1"},
                           "to": {"agent_id": "ag_2", "display_name": "Mei"}}
    assert render(event, staff=True)["note"] == "VIP"


def test_events_survive_the_wire_as_themselves():
    events = [message(Visibility.INTERNAL), ConversationQueued("c_1", "demo", "v_1", "vip", 2, 7),
              ConversationEnded("c_1", "demo", PartyKind.VISITOR, "closed", None),
              ParticipantJoined("c_1", "demo", Participant(PartyKind.AGENT, "a", ParticipantRole.COLLABORATOR))]
    for event in events:
        again = BusEvent.from_json_dict(BusEvent(event, origin="s1").to_json_dict())
        assert again == BusEvent(event, origin="s1")
        assert decode(encode(event)) == event


def test_waiting_entries_carry_the_visit_source_across_the_bus():
    def entry(cid: str, source: TrafficSource | None) -> WaitingVisitor:
        return WaitingVisitor(cid, 1, VisitorRef("v_" + cid, "Wu"), "web", 0, 3.0, "2026-12-01T08:30:00Z",
                              source)

    event = WaitingListChanged("demo", "sales", 3, (
        entry("c_1", TrafficSource("Baidu", "普洱茶", "www.baidu.com")),
        entry("c_2", TrafficSource(referrer_host="blog.example.com")),
        entry("c_3", None)))
    again = decode(encode(event))
    assert again == event
    frame = render(again, staff=True)
    assert [e["source"] for e in frame["entries"]] == [
        {"kind": "search", "name": "Baidu", "keyword": "普洱茶"},
        {"kind": "referral", "name": "blog.example.com"}, None]


def test_left_message_news_is_for_staff_only():
    assigned = LeftMessageAssigned("c_1", "demo", "ag_2", "ag_9", "ag_1")
    assert render(assigned, staff=False) is None
    assert render(assigned, staff=True) == {"type": "left_message.assigned", "conversation_id": "c_1",
                                            "agent_id": "ag_2", "by": "ag_9", "previous": "ag_1"}
    submitted = LeftMessageSubmitted("c_1", "demo", "v_1", "presales")
    assert render(submitted, staff=False) is None
    assert render(submitted, staff=True) == {"type": "left_message.new", "conversation_id": "c_1",
                                             "skill_group": "presales"}
    assert decode(encode(assigned)) == assigned  # it crosses the bus
