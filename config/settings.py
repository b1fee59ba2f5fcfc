"""Process settings: typed, validated and read once from the environment.

Business settings (skill groups, caps, hours, rules) live in the database and
are seeded from `config/demo_center.yaml` on first start; this module holds only
what a process needs before it can reach the database.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, replace
from pathlib import Path

CONFIG_DIR = Path(__file__).resolve().parent
PROJECT_DIR = CONFIG_DIR.parent
DEFAULT_CENTER_FILE = CONFIG_DIR / "demo_center.yaml"
INGRESS_MODES = ("haproxy", "direct", "proxy")


class SettingsError(ValueError):
    pass


def center_id_of(center_file: Path) -> str:
    import yaml

    try:
        return str(yaml.safe_load(center_file.read_text())["center"]["id"])
    except (OSError, KeyError, TypeError) as error:
        raise SettingsError(f"{center_file}: cannot read center.id ({error})") from None


def _int(name: str, default: int, low: int = 0, high: int = 10**9) -> int:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, not {value}")
    return value


def _float(name: str, default: float, low: float = 0.0, high: float = 86400.0) -> float:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, not {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low:g} and {high:g}, not {value:g}")
    return value


def _flag(name: str) -> bool:
    return (_str(name, "") or "").lower() in ("1", "true", "yes")


def _str(name: str, default: str | None = None) -> str | None:
    raw = os.environ.get(name)
    return default if raw in (None, "") else raw


def _choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = _str(name, default)
    if value not in choices:
        raise SettingsError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read, from its creation on: a file written
    first and chmod-ed after is readable by anyone for a moment (and for good if
    the process dies in between). O_EXCL: an existing file is never overwritten."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(text)


@dataclass(frozen=True)
class FrameRate:
    per_s: float
    burst: int


@dataclass(frozen=True)
class Settings:
    host: str
    port: int
    data_dir: Path
    database_url: str
    redis_url: str | None
    admin_password: str | None
    center_file: Path
    shards: int
    ingress: str
    max_connections: int
    token_ttl_s: int
    center_id: str = "demo"
    # Proxies whose X-Forwarded-For is believed when locating a visitor's region.
    trusted_proxies: tuple[str, ...] = ()
    gateway_replicas: int = 1
    # Names the Ray actors of one center so two centers can share a Ray cluster
    # (the test suite runs a SQLite and a PostgreSQL center side by side).
    instance: str = "kefu"
    token_secret: str = ""
    identity_secret: str = ""
    # Where Serve's side listeners go (serve/side_ports.py); None: Serve's defaults.
    side_port_base: int | None = None
    # Argon2id costs for new password hashes: "strong" or "light" (serve/auth.py).
    password_cost: str = "strong"
    # Throttles (serve/throttle.py), per gateway replica; 0 turns a rate off.
    visitors_per_ip_per_min: int = 60
    logins_per_ip_per_min: int = 30
    login_max_failures: int = 5
    login_lockout_s: int = 60
    throttle_max_keys: int = 100_000
    # How stale a replica's view of an account (role, disabled, token epoch) may be
    # for changes made through another replica (serve/account_check.py).
    account_cache_s: int = 5
    # Presence (actors/agent/leases.py): a workspace socket's gateway renews its lease
    # every `agent_heartbeat_s`; a socket not renewed for `agent_lease_s` is dropped,
    # and an agent with no socket left is offline. `agent_reconnect_grace_s` keeps a
    # closed workspace's agent connected long enough for a page reload.
    agent_heartbeat_s: float = 5.0
    agent_lease_s: float = 15.0
    agent_reconnect_grace_s: float = 10.0
    # A granted slot the database does not show recorded after this long is checked
    # with its conversation (actors/agent/reservations.py).
    reservation_check_s: float = 10.0
    # Test only: lets a test hold an entity between two steps (actors/runtime/fault_points.py).
    fault_points: bool = False
    # The live monitor (actors/monitor/): its actor and the shards' feed to it; KEFU_MONITOR=0
    # runs without (the relay benchmark's baseline; GET /api/v1/monitor answers 503).
    monitor: bool = True
    # Frames one websocket may send: a steady rate per second and a burst (a token
    # bucket, serve/frame_rate.py). Typing frames count: a visitor typing fast sends
    # ~10 a second. Staff sockets act for many conversations at once.
    visitor_frame_rate: FrameRate = FrameRate(20.0, 40)
    staff_frame_rate: FrameRate = FrameRate(50.0, 100)
    # Visitor tracking (actors/browsing/entity.py): a visitor socket's gateway renews its
    # lease every `visitor_heartbeat_s` (one batched tell per replica); a socket not renewed
    # for `visitor_lease_s` is dropped; a visitor whose last socket closed stays listed for
    # `visitor_leave_grace_s` (the next page of a multi-page site opens a new socket).
    visitor_heartbeat_s: float = 10.0
    visitor_lease_s: float = 30.0
    visitor_leave_grace_s: float = 5.0
    browsing_max_visitors: int = 5000
    # page.view frames per visitor socket, on top of the frame budget: a steady rate and a burst.
    page_view_rate: FrameRate = FrameRate(1.0, 10)
    # Attachments (serve/media/): how long a signed link stays valid, and uploads
    # one visitor or staff member may make a minute (per replica; 0: no limit).
    attachment_url_ttl_s: int = 24 * 3600
    uploads_per_min: int = 30
    # Public help-center searches per address a minute (anyone may search, unauthenticated).
    help_searches_per_ip_per_min: int = 120
    # An attachment no message carried this long after its upload is deleted.
    unsent_attachment_ttl_s: int = 24 * 3600
    # Linked centers (federation/config.py); None: this center links to nobody.
    links_file: Path | None = None

    @classmethod
    def from_env(cls) -> "Settings":
        data_dir = Path(_str("KEFU_DATA_DIR", str(PROJECT_DIR / "var"))).resolve()
        settings = cls(
            host=_str("KEFU_HOST", "127.0.0.1"),
            port=_int("KEFU_PORT", 8000, 1, 65535),
            data_dir=data_dir,
            database_url=_str("KEFU_DATABASE_URL") or f"sqlite+aiosqlite:///{data_dir / 'kefu.db'}",
            redis_url=_str("KEFU_REDIS_URL"),
            admin_password=_str("KEFU_ADMIN_PASSWORD"),
            center_file=Path(_str("KEFU_CENTER_FILE", str(DEFAULT_CENTER_FILE))),
            shards=_int("KEFU_SHARDS", os.cpu_count() or 2, 1, 256),
            ingress=_choice("KEFU_INGRESS", "haproxy", INGRESS_MODES),
            max_connections=_int("KEFU_MAX_CONNECTIONS", 20000, 10, 1_000_000),
            token_ttl_s=_int("KEFU_TOKEN_TTL_S", 12 * 3600, 60, 365 * 86400),
            instance=_str("KEFU_INSTANCE", "kefu"),
            trusted_proxies=tuple(p.strip() for p in (_str("KEFU_TRUSTED_PROXIES", "") or "").split(",")
                                  if p.strip()),
            gateway_replicas=_int("KEFU_GATEWAY_REPLICAS", 1, 1, 64),
            side_port_base=(_int("KEFU_SIDE_PORT_BASE", 0, 1024, 65535 - 500)
                            if _str("KEFU_SIDE_PORT_BASE") else None),
            password_cost=_choice("KEFU_PASSWORD_COST", "strong", ("strong", "light")),
            visitors_per_ip_per_min=_int("KEFU_VISITORS_PER_IP_PER_MIN", 60, 0, 10**7),
            logins_per_ip_per_min=_int("KEFU_LOGINS_PER_IP_PER_MIN", 30, 0, 10**7),
            login_max_failures=_int("KEFU_LOGIN_MAX_FAILURES", 5, 1, 1000),
            login_lockout_s=_int("KEFU_LOGIN_LOCKOUT_S", 60, 1, 86400),
            throttle_max_keys=_int("KEFU_THROTTLE_MAX_KEYS", 100_000, 100, 10**8),
            account_cache_s=_int("KEFU_ACCOUNT_CACHE_S", 5, 0, 3600),
            agent_heartbeat_s=_float("KEFU_AGENT_HEARTBEAT_S", 5.0, 0.1, 3600),
            agent_lease_s=_float("KEFU_AGENT_LEASE_S", 15.0, 0.3, 3600),
            agent_reconnect_grace_s=_float("KEFU_AGENT_RECONNECT_GRACE_S", 10.0, 0.0, 3600),
            reservation_check_s=_float("KEFU_RESERVATION_CHECK_S", 10.0, 0.1, 3600),
            fault_points=_flag("KEFU_TEST_FAULT_POINTS"),
            monitor=(_str("KEFU_MONITOR", "1") or "1").lower() not in ("0", "false", "no"),
            visitor_frame_rate=FrameRate(_float("KEFU_VISITOR_FRAMES_PER_S", 20.0, 0.1, 1e6),
                                         _int("KEFU_VISITOR_FRAME_BURST", 40, 1, 10**7)),
            staff_frame_rate=FrameRate(_float("KEFU_STAFF_FRAMES_PER_S", 50.0, 0.1, 1e6),
                                       _int("KEFU_STAFF_FRAME_BURST", 100, 1, 10**7)),
            visitor_heartbeat_s=_float("KEFU_VISITOR_HEARTBEAT_S", 10.0, 0.1, 3600),
            visitor_lease_s=_float("KEFU_VISITOR_LEASE_S", 30.0, 0.3, 3600),
            visitor_leave_grace_s=_float("KEFU_VISITOR_LEAVE_GRACE_S", 5.0, 0.0, 3600),
            browsing_max_visitors=_int("KEFU_BROWSING_MAX_VISITORS", 5000, 1, 10**6),
            page_view_rate=FrameRate(_float("KEFU_PAGE_VIEWS_PER_S", 1.0, 0.01, 1e4),
                                     _int("KEFU_PAGE_VIEW_BURST", 10, 1, 10**5)),
            attachment_url_ttl_s=_int("KEFU_ATTACHMENT_URL_TTL_S", 24 * 3600, 60, 30 * 86400),
            uploads_per_min=_int("KEFU_UPLOADS_PER_MIN", 30, 0, 10**6),
            help_searches_per_ip_per_min=_int("KEFU_HELP_SEARCHES_PER_IP_PER_MIN", 120, 0, 10**7),
            unsent_attachment_ttl_s=_int("KEFU_UNSENT_ATTACHMENT_TTL_S", 24 * 3600, 60, 365 * 86400),
            links_file=Path(_str("KEFU_LINKS_FILE")).resolve() if _str("KEFU_LINKS_FILE") else None,
        )
        settings.check_presence()
        settings = replace(settings, center_id=_str("KEFU_CENTER_ID") or center_id_of(settings.center_file))
        return settings.with_secrets(
            token_secret=_str("KEFU_TOKEN_SECRET"), identity_secret=_str("KEFU_IDENTITY_SECRET")
        )

    def check_presence(self) -> None:
        """A lease must outlive a heartbeat or live sockets lapse; a grace longer than the
        lease would keep a vanished workspace online past the bound the lease promises."""
        if self.agent_heartbeat_s >= self.agent_lease_s:
            raise SettingsError(f"KEFU_AGENT_HEARTBEAT_S ({self.agent_heartbeat_s:g}) must be "
                                f"shorter than KEFU_AGENT_LEASE_S ({self.agent_lease_s:g})")
        if self.visitor_heartbeat_s >= self.visitor_lease_s:
            raise SettingsError(f"KEFU_VISITOR_HEARTBEAT_S ({self.visitor_heartbeat_s:g}) must be "
                                f"shorter than KEFU_VISITOR_LEASE_S ({self.visitor_lease_s:g})")
        if self.agent_reconnect_grace_s > self.agent_lease_s:
            raise SettingsError(f"KEFU_AGENT_RECONNECT_GRACE_S ({self.agent_reconnect_grace_s:g}) "
                                f"must not exceed KEFU_AGENT_LEASE_S ({self.agent_lease_s:g})")

    def with_secrets(self, token_secret: str | None, identity_secret: str | None) -> "Settings":
        """Fill unset secrets from `secrets.json` in the data folder, creating it once.

        Tokens must stay valid across a restart, so a generated secret is kept.
        """
        stored = self._stored_secrets()
        return replace(
            self,
            token_secret=token_secret or stored["token_secret"],
            identity_secret=identity_secret or stored["identity_secret"],
        )

    def _stored_secrets(self) -> dict[str, str]:
        path = self.data_dir / "secrets.json"
        if path.exists():
            return json.loads(path.read_text())
        self.data_dir.mkdir(parents=True, exist_ok=True)
        values = {"token_secret": secrets.token_hex(32), "identity_secret": secrets.token_hex(32)}
        try:
            write_private(path, json.dumps(values))
        except FileExistsError:  # another process of the center made it first
            return json.loads(path.read_text())
        return values

    @property
    def namespace(self) -> str:
        return f"{self.instance}"

    def actor_name(self, role: str) -> str:
        return f"{self.instance}:{role}"
