"""The client's address, the same for throttles, login limits and the ledger.

`X-Forwarded-For` is written by whoever sends the request, so it is believed only when the
request comes from one of our own reverse proxies (setting TRUSTED_PROXIES: addresses and/or
networks; empty, the default, trusts nobody).
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _address(raw: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(raw.strip())
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket (::ffff:a.b.c.d) is the IPv4 client.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def address_in(raw: str, networks) -> bool:
    """Whether the address `raw` (an IPv4 client seen as ::ffff:a.b.c.d included) is in one of
    `networks` (addresses or CIDR strings); False for anything that is not an address."""
    address = _address(raw)
    if address is None:
        return False
    nets = _networks(tuple(networks or ()))
    return any(address.version == net.version and address in net for net in nets)


def from_trusted_proxy(request) -> bool:
    """Whether the request's direct peer (REMOTE_ADDR) is one of TRUSTED_PROXIES."""
    return address_in(
        request.META.get("REMOTE_ADDR") or "", getattr(settings, "TRUSTED_PROXIES", ())
    )


def client_ip(request) -> str:
    """Return the client's address: REMOTE_ADDR, or the nearest untrusted hop of
    X-Forwarded-For when REMOTE_ADDR is a trusted proxy; "" when there is none."""
    if request is None:
        return ""
    remote = _address(request.META.get("REMOTE_ADDR") or "")
    if remote is None:
        return ""
    trusted = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))

    def is_trusted(address) -> bool:
        return any(address.version == net.version and address in net for net in trusted)

    if not is_trusted(remote):
        return str(remote)
    # Walk from the right (the hop our proxy saw) towards the left (what the client claims).
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR") or ""
    for hop in reversed(forwarded.split(",")):
        address = _address(hop)
        if address is None:
            # A hop our proxies did not write: nothing left of it can be believed.
            break
        if not is_trusted(address):
            return str(address)
    return str(remote)
