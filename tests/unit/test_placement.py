import subprocess
import sys
from collections import Counter

from actors.placement import EntityRef, shard_of


def test_placement_is_stable_across_processes():
    refs = [EntityRef("conversation", f"c_{i}") for i in range(50)]
    here = [shard_of(r, 7) for r in refs]
    code = ("from actors.placement import EntityRef, shard_of;"
            "print([shard_of(EntityRef('conversation', f'c_{i}'), 7) for i in range(50)])")
    there = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert str(here) == there.stdout.strip()


def test_placement_spreads_keys_over_shards():
    counts = Counter(shard_of(EntityRef("agent", f"ag_{i}"), 4) for i in range(4000))
    assert set(counts) == {0, 1, 2, 3}
    assert min(counts.values()) > 800  # roughly even: 1000 each


def test_kind_is_part_of_the_key():
    spread = {shard_of(EntityRef(kind, "same"), 64) for kind in ("agent", "conversation", "center", "x")}
    assert len(spread) > 1
