from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from actors.routing.waiting_line import WaitingEntry, WaitingLine


def entry(cid: str, priority: int = 0, at: float = 0.0, deadline: float | None = None) -> WaitingEntry:
    return WaitingEntry(cid, f"v-{cid}", priority, at, deadline)


def test_priority_first_then_first_come_first_served():
    line = WaitingLine()
    for e in [entry("a", 0, 1), entry("b", 0, 2), entry("vip", 5, 3), entry("c", 0, 2)]:
        line.add(e)
    assert [e.conversation_id for e in line] == ["vip", "a", "b", "c"]
    assert line.positions() == {"vip": 1, "a": 2, "b": 3, "c": 4}
    assert line.head().conversation_id == "vip"


def test_remove_moves_everyone_behind_up():
    line = WaitingLine()
    for i in range(4):
        line.add(entry(str(i), at=i))
    assert line.remove("1").conversation_id == "1"
    assert line.remove("1") is None
    assert [line.position(c) for c in "023"] == [1, 2, 3]
    assert "1" not in line and len(line) == 3


def test_replacing_an_entry_keeps_its_place_unless_priority_changes():
    line = WaitingLine()
    for i in range(3):
        line.add(entry(str(i), at=i))
    line.add(entry("0", at=0, deadline=50.0))
    assert line.position("0") == 1 and line.get("0").deadline == 50.0
    line.add(entry("2", priority=1, at=2))
    assert line.position("2") == 1


def test_expired_and_next_deadline():
    line = WaitingLine()
    line.add(entry("a", at=0, deadline=10))
    line.add(entry("b", at=1, deadline=5))
    line.add(entry("c", at=2))
    assert line.next_deadline() == 5
    assert [e.conversation_id for e in line.expired(10)] == ["a", "b"]
    assert line.expired(4) == []


operations = st.lists(st.tuples(st.sampled_from(["add", "remove"]), st.integers(0, 15),
                                st.integers(0, 3)), max_size=60)


@given(operations)
def test_line_order_matches_a_sorted_model(ops):
    line, model, clock = WaitingLine(), {}, 0.0
    for op, n, priority in ops:
        cid = f"c{n}"
        if op == "add" and cid not in model:
            clock += 1
            model[cid] = (-priority, clock)
            line.add(entry(cid, priority, clock))
        elif op == "remove":
            assert (line.remove(cid) is not None) == (model.pop(cid, None) is not None)
    expected = sorted(model, key=model.__getitem__)
    assert [e.conversation_id for e in line] == expected
    assert line.positions() == {cid: i for i, cid in enumerate(expected, start=1)}
    assert all(line.position(cid) == i for i, cid in enumerate(expected, start=1))


def test_an_entry_offered_and_back_keeps_its_place_among_equal_times():
    # Two conversations enqueued in the same clock tick: the tie is broken by arrival,
    # and an entry taken out for an offer that was refused comes back first again.
    line = WaitingLine()
    line.add(entry("first", at=5.0))
    line.add(entry("second", at=5.0))
    offered = line.remove("first")
    line.add(offered)
    assert [e.conversation_id for e in line] == ["first", "second"]
