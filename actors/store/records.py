"""What the record stores (centers, skill groups, agents, visitors) share: ids and refusals."""

from __future__ import annotations

import uuid


class AlreadyExists(Exception):
    pass


class UnknownSkillGroup(LookupError):
    pass


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:20]}"
