"""A visitor's device, OS and browser from the User-Agent, by ua-parser (the maintained
port of Browserscope's parser, with its regexes precompiled in ua-parser-builtins).

The browser sends it, so it is a description to show agents, never a fact to
decide on.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

MAX_USER_AGENT_CHARS = 1000
_TABLETS = ("ipad", "tablet", "kindle", "silk", "playbook", "nexus 7", "nexus 9", "nexus 10")
_MOBILE_OS = ("ios", "android", "windows phone", "harmonyos", "kaios")


@dataclass(frozen=True)
class Device:
    type: str | None = None  # "desktop" | "mobile" | "tablet" | "bot"; None when unknown
    os: str | None = None  # "iOS 17.0", "Windows 10"
    browser: str | None = None  # "Chrome 120", "WeChat 8.0"


def _named(family: str | None, major: str | None, minor: str | None = None) -> str | None:
    if not family or family == "Other":
        return None
    version = ".".join(v for v in (major, minor) if v)
    return f"{family} {version}".strip()[:64]


@lru_cache(maxsize=4096)
def describe(user_agent: str | None) -> Device:
    if not user_agent:
        return Device()
    from ua_parser import parse

    result = parse(user_agent[:MAX_USER_AGENT_CHARS])
    agent, os_, device = result.user_agent, result.os, result.device
    browser = _named(agent.family, agent.major) if agent else None
    os_name = _named(os_.family, os_.major, os_.minor) if os_ else None
    family = (device.family if device else "") or ""
    lowered = f"{family} {user_agent}".lower()
    if family == "Spider":
        kind = "bot"
    elif any(t in lowered for t in _TABLETS) or (
            os_ and os_.family == "Android" and "mobile" not in user_agent.lower()):
        kind = "tablet"
    elif (os_ and os_.family.lower() in _MOBILE_OS) or "mobile" in user_agent.lower():
        kind = "mobile"
    elif os_name or browser:
        kind = "desktop"
    else:
        kind = None
    return Device(kind, os_name, browser)
