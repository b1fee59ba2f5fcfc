"""Every bus topic the center uses, declared once.

Events are addressed to recipients, not to conversations: a socket subscribes
to its own principal's topic and to nothing else it could not see, which keeps
authorization at the edge simple (a visitor socket can only ever receive what
was published for that visitor).
"""


def visitor(visitor_id: str) -> str:
    """Frames for one visitor: queue positions, assignment, messages, endings."""
    return f"kefu:visitor:{visitor_id}"


def agent(agent_id: str) -> str:
    """Frames for one agent: assignments, messages, typing previews, endings."""
    return f"kefu:agent:{agent_id}"


def skill_group(center_id: str, group: str) -> str:
    """The waiting list of one skill group, for the agents who serve it."""
    return f"kefu:group:{center_id}:{group}"


def links(center_id: str) -> str:
    """A forwarded conversation's events, for the center's link actor (federation/)."""
    return f"kefu:links:{center_id}"


def monitor(center_id: str) -> str:
    """Every committed fact of a center (logged events, stored messages), for its
    live monitor (actors/monitor/); no socket subscribes to it."""
    return f"kefu:monitor:{center_id}"
