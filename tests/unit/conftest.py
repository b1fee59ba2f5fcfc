"""Fixtures of the unit tier (no Ray)."""

from __future__ import annotations

from typing import AsyncIterator

import pytest

from tests.unit.in_process import InProcessCenter, start_center, stop_center


@pytest.fixture
async def center(tmp_path) -> AsyncIterator[InProcessCenter]:
    """One center on an in-process shard: fresh SQLite, recording bus, manual clock."""
    started = await start_center(tmp_path)
    yield started
    await stop_center(started)
