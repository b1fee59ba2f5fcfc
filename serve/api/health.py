"""`GET /healthz`: the center accepts traffic."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

from serve.api.access import Runtime

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: Literal["ok"]


@router.get("/healthz", response_model=Health)
async def healthz(rt: Runtime) -> Health:
    return Health(status="ok")
