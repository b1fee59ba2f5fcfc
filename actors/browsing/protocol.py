"""The browsing entity's protocol (value types only).

One entity per center holds who is on the site now, fed by tells from the gateways
that hold the visitors' sockets: `Present` when a socket opens (and again, batched
per gateway, as each socket's heartbeat), `Viewed` on each page, `Left` on close.
A socket whose gateway died stops being renewed and lapses within a lease.
"""

from __future__ import annotations

from dataclasses import dataclass

from actors.placement import EntityRef

KIND = "browsing"


def browsing_ref(center_id: str) -> EntityRef:
    return EntityRef(KIND, center_id)


@dataclass(frozen=True)
class BrowsingVisitor:
    """What agents see of a visitor, as the gateway read it when the socket opened."""

    name: str = ""
    source: str = "direct"  # "Baidu: 普洱茶", "example.com", "direct"
    region: str | None = None  # "浙江 杭州", "US"
    device: str | None = None
    browser: str | None = None
    os: str | None = None
    visits: int = 1

    @property
    def returning(self) -> bool:
        return self.visits > 1


@dataclass(frozen=True)
class PageShown:
    url: str
    title: str
    since: float  # epoch seconds


# -- commands (tells from gateways) -------------------------------------------------------


@dataclass(frozen=True)
class Present:
    """A visitor socket is open (takes or renews its lease). Carries what a rebuilt
    entity needs to list the visitor again."""

    center_id: str
    visitor_id: str
    socket_id: str
    opened_at: float
    visitor: BrowsingVisitor
    page: PageShown | None = None


@dataclass(frozen=True)
class Renew:
    """One gateway's heartbeat for many of its visitor sockets at once."""

    presents: tuple[Present, ...]


@dataclass(frozen=True)
class Viewed:
    visitor_id: str
    socket_id: str
    page: PageShown
    source: str | None = None  # the visit's source, once its landing page told it


@dataclass(frozen=True)
class Left:
    visitor_id: str
    socket_id: str


@dataclass(frozen=True)
class InvitationPending:
    """From the visitor entity: whether an invitation to this visitor is open."""

    visitor_id: str
    pending: bool


@dataclass(frozen=True)
class Reload:
    """The center's invitation settings changed."""


@dataclass(frozen=True)
class SweepDue:
    """Timer: drop the sockets whose leases lapsed."""


@dataclass(frozen=True)
class AutoInviteDue:
    """Timer: the visitor has been on a page matching the auto-invite rule long enough."""

    visitor_id: str
    since: float


# -- asks and replies ------------------------------------------------------------------------


@dataclass(frozen=True)
class GetBrowsing:
    limit: int = 200


@dataclass(frozen=True)
class IsBrowsing:
    visitor_id: str


@dataclass(frozen=True)
class BrowsingEntry:
    visitor_id: str
    visitor: BrowsingVisitor
    page: PageShown | None
    pages_viewed: int
    arrived_at: float
    invited: bool


@dataclass(frozen=True)
class BrowsingList:
    entries: tuple[BrowsingEntry, ...]  # newest arrival first, at most the limit asked
    total: int
