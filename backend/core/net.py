"""The client's IP address as recorded in the audit log, behind reverse proxies we trust and no others."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_ip(value: str) -> IPAddress | None:
    """Return the address in `value`, or None if it is not a bare IPv4/IPv6 address."""
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    # ::ffff:10.0.0.1 from a dual-stack socket is the IPv4 peer 10.0.0.1: compare it as such.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"PORTAL_TRUSTED_PROXIES: {entry!r} is not an IP address or CIDR network"
            ) from exc
    return tuple(networks)


def trusted_proxy_networks() -> tuple[IPNetwork, ...]:
    """Return the parsed PORTAL_TRUSTED_PROXIES (an empty setting trusts nobody)."""
    return _networks(tuple(getattr(settings, "PORTAL_TRUSTED_PROXIES", ()) or ()))


@register(Tags.security)
def check_trusted_proxies(app_configs=None, **kwargs) -> list[Error]:
    """Report a malformed PORTAL_TRUSTED_PROXIES at start-up rather than at the first login."""
    try:
        trusted_proxy_networks()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="core.E001")]
    return []


def _is_trusted(address: IPAddress, networks: tuple[IPNetwork, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_ip(request: HttpRequest | None) -> str | None:
    """Return the client's IP address: REMOTE_ADDR, unless that peer is a trusted proxy.

    Behind a trusted proxy, X-Forwarded-For is read from the right (each proxy appends the peer it
    saw) and the first address that is not itself a trusted proxy is the client. Everything left of
    it was written by the client and may be forged. Malformed entries are skipped; if every address
    is a trusted proxy, the farthest one is returned.
    """
    if request is None:
        return None
    peer = parse_ip(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return None
    networks = trusted_proxy_networks()
    if not _is_trusted(peer, networks):
        return str(peer)
    farthest = peer
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = parse_ip(entry)
        if address is None:
            continue
        if not _is_trusted(address, networks):
            return str(address)
        farthest = address
    return str(farthest)
