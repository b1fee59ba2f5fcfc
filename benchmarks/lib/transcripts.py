"""Lost, doubled and reordered messages of a forwarded conversation, from what its two
ends sent and what each center stored (pure; the federation benchmark reads the stored
transcripts through the REST history).

A conversation crossing a link has two directions (the visitor's messages, the agent's
replies); order is promised within a direction only. A message is *lost* when its
sender's center acknowledged it and some center's transcript lacks it; every stored
copy beyond the first is a *duplicate*; a message out of its direction's send order
in a transcript is *reordered* (counted as how many would have to move: the length of
that direction's stored sequence minus its longest in-order run, not contiguous).
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Sent:
    body: str  # unique within the run
    acked: bool  # its sender's center acknowledged it (so it must arrive)


@dataclass(frozen=True)
class Tally:
    checked: int = 0  # acknowledged messages looked for
    lost: int = 0
    duplicated: int = 0
    reordered: int = 0
    unacknowledged: int = 0  # sent but never acknowledged: neither lost nor promised

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(self.checked + other.checked, self.lost + other.lost, self.duplicated + other.duplicated,
                     self.reordered + other.reordered, self.unacknowledged + other.unacknowledged)


def out_of_order(ranks: list[int]) -> int:
    """How many of `ranks` are not on a longest increasing run through them."""
    tails: list[int] = []
    for rank in ranks:
        at = bisect.bisect_left(tails, rank)
        if at == len(tails):
            tails.append(rank)
        else:
            tails[at] = rank
    return len(ranks) - len(tails)


def check(directions: list[list[Sent]], transcripts: list[list[str]]) -> Tally:
    """`directions`: each direction's messages in the order they were sent;
    `transcripts`: each center's stored bodies in its seq order."""
    acked = [m.body for direction in directions for m in direction if m.acked]
    ours = {m.body for direction in directions for m in direction}
    stored = [Counter(body for body in transcript if body in ours) for transcript in transcripts]
    lost = sum(1 for body in acked if any(counts[body] == 0 for counts in stored))
    duplicated = sum(n - 1 for counts in stored for n in counts.values() if n > 1)
    reordered = 0
    for direction in directions:
        rank = {m.body: i for i, m in enumerate(direction)}
        for transcript in transcripts:
            seen: set[str] = set()
            ranks = []
            for body in transcript:
                if body in rank and body not in seen:  # a duplicate is counted once, above
                    seen.add(body)
                    ranks.append(rank[body])
            reordered += out_of_order(ranks)
    unacknowledged = sum(1 for direction in directions for m in direction if not m.acked)
    return Tally(len(acked), lost, duplicated, reordered, unacknowledged)
