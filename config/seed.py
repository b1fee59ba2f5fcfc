"""Loads a center file into an empty database, and keeps the built-in admin account."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.routing.rules import parse_center_routing
from actors.store import accounts
from actors.store.knowledge_categories import create_default_categories
from serve.auth import hash_password, verify_password

log = logging.getLogger(__name__)
ADMIN_USERNAME = "admin"


def read_center_file(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text())
    routing = _routing_of(data)
    parse_center_routing(routing)  # refuse a broken file before anything is written
    return data


def _routing_of(data: dict[str, Any]) -> dict[str, Any]:
    center = data["center"]
    return {"default_skill_group": center["default_skill_group"],
            "sticky_agent": center.get("sticky_agent", True),
            "selection_policy": center.get("selection_policy", "least_loaded"),
            "work_hours": center.get("work_hours"),
            "routing_rules": data.get("routing_rules", []),
            "skill_groups": data.get("skill_groups", [])}


async def seed_center(db: async_sessionmaker, data: dict[str, Any], password_cost: str = "strong") -> bool:
    """Write the center, its groups and demo agents if the center is new. True if it was."""
    center = data["center"]
    routing = _routing_of(data)
    stored = {k: v for k, v in routing.items() if k != "skill_groups"}
    if not await accounts.ensure_center(db, center["id"], center.get("name", center["id"]), stored):
        return False
    for group in data.get("skill_groups", []):
        await accounts.create_skill_group(
            db, center["id"], group["name"], group.get("display_name", group["name"]),
            group.get("queue_timeout_s"), group.get("overflow_to"), group.get("work_hours"))
    for agent in data.get("agents", []):
        await accounts.create_agent(
            db, center["id"], agent["username"], hash_password(agent["password"], password_cost),
            agent["display_name"], agent.get("role", "agent"), agent["max_concurrent"],
            {s["name"]: s.get("level", 1) for s in agent.get("skill_groups", [])})
    await create_default_categories(db, center["id"])
    log.info("center %s created from its center file", center["id"])
    return True


async def ensure_admin(db: async_sessionmaker, center_id: str, password: str | None,
                       password_cost: str = "strong") -> str | None:
    """Create or update the built-in admin. Returns a generated password to print once."""
    existing = await accounts.find_agent(db, center_id, ADMIN_USERNAME)
    if existing is not None:
        if password and not verify_password(existing.password_hash, password):
            await accounts.set_password_hash(db, existing.id, hash_password(password, password_cost))
        return None
    generated = None if password else secrets.token_urlsafe(12)
    await accounts.create_agent(db, center_id, ADMIN_USERNAME,
                                hash_password(password or generated, password_cost),
                                "Administrator", "admin", 10, {})
    return generated
