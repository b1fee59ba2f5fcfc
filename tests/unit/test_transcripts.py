"""The federation benchmark's count of lost, doubled and reordered messages."""

from __future__ import annotations

from benchmarks.lib.transcripts import Sent, Tally, check, out_of_order


def sent(*bodies: str, acked: bool = True) -> list[Sent]:
    return [Sent(body, acked) for body in bodies]


def test_two_faithful_transcripts_have_nothing_wrong():
    directions = [sent("v1", "v2", "v3"), sent("a1", "a2")]
    upstream = ["v1", "a1", "v2", "v3", "a2"]
    downstream = ["v1", "v2", "a1", "v3", "a2"]  # the directions interleave differently: fine
    assert check(directions, [upstream, downstream]) == Tally(checked=5)


def test_a_message_missing_on_either_side_is_lost_once():
    directions = [sent("v1", "v2"), sent("a1")]
    assert check(directions, [["v1", "v2", "a1"], ["v1", "a1"]]).lost == 1
    assert check(directions, [["v1", "a1"], ["v1", "a1"]]).lost == 1  # missing on both: one message


def test_every_extra_copy_is_a_duplicate():
    directions = [sent("v1", "v2")]
    tally = check(directions, [["v1", "v1", "v2"], ["v1", "v2", "v2", "v2"]])
    assert (tally.duplicated, tally.lost, tally.reordered) == (3, 0, 0)


def test_reordering_counts_the_messages_that_would_have_to_move():
    directions = [sent("v1", "v2", "v3", "v4")]
    assert check(directions, [["v1", "v3", "v2", "v4"]]).reordered == 1
    assert check(directions, [["v4", "v3", "v2", "v1"]]).reordered == 3
    assert out_of_order([]) == 0 and out_of_order([0, 2, 1, 3, 5, 4]) == 2


def test_an_unacknowledged_message_may_be_missing_but_not_doubled():
    directions = [sent("v1") + sent("v2", acked=False)]
    assert check(directions, [["v1"], ["v1"]]) == Tally(checked=1, unacknowledged=1)
    assert check(directions, [["v1", "v2", "v2"], ["v1"]]).duplicated == 1


def test_messages_not_sent_by_the_run_are_ignored():
    directions = [sent("v1")]
    assert check(directions, [["welcome", "v1", "transfer note"], ["v1"]]) == Tally(checked=1)


def test_tallies_add_up_across_conversations():
    assert Tally(2, 1, 0, 0, 1) + Tally(3, 0, 2, 1, 0) == Tally(5, 1, 2, 1, 1)
