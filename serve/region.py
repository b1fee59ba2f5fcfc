"""A visitor's region from the connection's IP (the browser's word is not taken).

Country level, from the GeoIP data geoip2fast ships. Behind a reverse proxy the
peer address is the proxy's, so X-Forwarded-For is read only when the peer is a
proxy the operator listed in KEFU_TRUSTED_PROXIES, and then the right-most hop
that is not itself a trusted proxy is the client.
"""

from __future__ import annotations

import ipaddress
import logging
from functools import lru_cache

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _geoip():
    from geoip2fast import GeoIP2Fast

    return GeoIP2Fast(verbose=False)


def country_of(ip: str) -> str | None:
    try:
        ipaddress.ip_address(ip)
    except ValueError:
        return None
    try:
        code = _geoip().lookup(ip).country_code
    except Exception:  # the lookup library's own failures must not refuse a visitor
        log.exception("GeoIP lookup failed for %s", ip)
        return None
    return code if code and len(code) == 2 and code.isalpha() else None


class RegionLookup:
    def __init__(self, trusted_proxies: tuple[str, ...] = ()) -> None:
        self.trusted = [ipaddress.ip_network(p, strict=False) for p in trusted_proxies]

    def _is_trusted(self, ip: str) -> bool:
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return False
        return any(address in network for network in self.trusted)

    def client_ip(self, peer: str | None, forwarded_for: str | None) -> str | None:
        if peer is None or not self._is_trusted(peer) or not forwarded_for:
            return peer
        for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
            if not self._is_trusted(hop):
                return hop
        return peer

    def region(self, peer: str | None, forwarded_for: str | None) -> str | None:
        ip = self.client_ip(peer, forwarded_for)
        return country_of(ip) if ip else None
