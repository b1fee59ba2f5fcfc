"""Which shard hosts an entity: a stable hash of its kind and key.

Stable across processes and restarts (Python's own `hash` of a str is salted
per process, so it cannot be used), which is what lets every gateway replica and
shard compute the same owner without asking anyone.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass


@dataclass(frozen=True)
class EntityRef:
    kind: str
    key: str

    def __str__(self) -> str:
        return f"{self.kind}/{self.key}"


def shard_of(ref: EntityRef, shard_count: int) -> int:
    return zlib.crc32(f"{ref.kind}/{ref.key}".encode()) % shard_count
