"""The bounds of a row id the API takes (departments, categories, dictionary entries...):
INTEGER keys are 32-bit on PostgreSQL, so a larger number is refused with 422 rather than
overflowing in the database (a 500 found by the OpenAPI fuzz)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query
from pydantic import Field

MAX_ROW_ID = 2**31 - 1

RowIdPath = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
RowIdField = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]
RowIdQuery = Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)]
