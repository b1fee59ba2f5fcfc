"""The slow-changing records, by their old single name.

Split by record kind into centers.py, skill_groups.py, agents.py and visitors.py;
the entities and sockets written before the split still import them from here.
New code imports the module of its record kind.
"""

from __future__ import annotations

from actors.store.agents import (AgentRecord, create_agent, find_agent, get_agent,
                                 present_agents, set_password_hash)
from actors.store.centers import ensure_center, get_center, set_center_routing
from actors.store.records import AlreadyExists, UnknownSkillGroup, new_id
from actors.store.skill_groups import create_skill_group, group_members, list_skill_groups
from actors.store.visitors import create_visitor, get_visitor, identified_visitor, set_visitor_level

__all__ = [
    "AgentRecord", "AlreadyExists", "UnknownSkillGroup", "create_agent", "create_skill_group",
    "create_visitor", "ensure_center", "find_agent", "get_agent", "get_center", "group_members",
    "identified_visitor", "list_skill_groups", "new_id", "set_center_routing", "set_password_hash",
    "set_visitor_level", "get_visitor", "present_agents",
]
