"""The websocket edges, one module per socket kind (DESIGN.md decision 12)."""

from fastapi import APIRouter

from serve.sockets.agent import router as agent_router
from serve.sockets.visitor import router as visitor_router

router = APIRouter()
router.include_router(visitor_router)
router.include_router(agent_router)
