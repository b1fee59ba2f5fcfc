"""The center's outgoing mail server (centers.settings `email`), as the admin sets it in
the console (README "Left messages").

The password is kept so the center can sign in to the server; the admin API never
shows it again (`public_view`), and a form sent back without one keeps the stored one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from email.utils import parseaddr
from enum import Enum
from typing import Any


class Security(str, Enum):
    NONE = "none"  # a relay on the same network
    STARTTLS = "starttls"  # port 587
    TLS = "tls"  # implicit TLS, port 465


@dataclass(frozen=True)
class EmailSettings:
    host: str
    port: int
    from_address: str
    security: Security = Security.STARTTLS
    from_name: str = ""
    username: str = ""
    password: str = ""

    def public_view(self) -> dict[str, Any]:
        view = asdict(self)
        view["security"] = self.security.value
        view["password_set"] = bool(view.pop("password"))
        return view

    def to_stored(self) -> dict[str, Any]:
        return {**asdict(self), "security": self.security.value}


def looks_like_address(value: str) -> bool:
    """One address with a local part and a dotted domain: what a reply can be sent to."""
    name, address = parseaddr(value)
    local, at, domain = address.partition("@")
    return bool(at and local and "." in domain.strip(".") and address == value.strip() and " " not in address)


def parse_email_settings(data: Any) -> EmailSettings | None:
    """The stored or submitted `email` section; None: no mail server (replies go into the
    widget only). A value that cannot be used raises ValueError with what is wrong."""
    if data is None:
        return None
    if not isinstance(data, dict):
        raise ValueError("email must be an object")
    host = data.get("host")
    if not isinstance(host, str) or not 0 < len(host.strip()) <= 255:
        raise ValueError("email.host must be the mail server's name")
    port = data.get("port")
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise ValueError("email.port must be a port number from 1 to 65535")
    sender = data.get("from_address")
    if not isinstance(sender, str) or not looks_like_address(sender):
        raise ValueError("email.from_address must be an email address")
    try:
        security = Security(data.get("security", Security.STARTTLS.value))
    except ValueError:
        raise ValueError("email.security must be none, starttls or tls") from None
    texts = {}
    for key in ("from_name", "username", "password"):
        value = data.get(key, "")
        if not isinstance(value, str) or len(value) > 255:
            raise ValueError(f"email.{key} must be text of at most 255 characters")
        texts[key] = value
    return EmailSettings(host.strip(), port, sender.strip(), security, **texts)
