"""Pagination of list endpoints: `limit` (default 50, at most 200) and `offset`.

An answer carries `next_offset`, the offset of the next page, or null on the
last one (one extra row is read to know, so no count query is needed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Sequence, TypeVar

from fastapi import Depends, Query

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_OFFSET = 1_000_000
Row = TypeVar("Row")


@dataclass(frozen=True)
class PageRequest:
    limit: int
    offset: int

    @property
    def fetch(self) -> int:
        return self.limit + 1

    def cut(self, rows: Sequence[Row]) -> tuple[list[Row], int | None]:
        """The page's rows and the next page's offset (None: this is the last)."""
        more = len(rows) > self.limit
        return list(rows[:self.limit]), (self.offset + self.limit if more else None)


def page_request(limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
                 offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0) -> PageRequest:
    return PageRequest(limit, offset)


Page = Annotated[PageRequest, Depends(page_request)]
