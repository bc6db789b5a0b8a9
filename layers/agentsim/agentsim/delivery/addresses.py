"""Which IP addresses agentsim may call: public ones only.

A URL a user gives us must not reach the stack's own network (loopback, private ranges,
link-local, the cloud metadata endpoints), whichever way its host is written: the check is made
on the addresses the resolver gives, so `2130706433`, `0177.0.0.1` or a name resolving to
127.0.0.1 are all 127.0.0.1 here. An IPv6 address carrying an IPv4 one (IPv4-mapped,
IPv4-compatible, IPv4-translated, 6to4, Teredo, NAT64) is judged by the IPv4 address it carries
(`ipaddress` calls `::7f00:1` and `::ffff:0:7f00:1` global). Built on the stdlib `ipaddress`
registries (IANA special-purpose address blocks, RFC 6890).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from typing import Final

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[str]]
"""host, port -> the addresses the host resolves to (as text)."""

METADATA: Final = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack instance metadata
        "169.254.170.2",  # AWS ECS task metadata and credentials
        "fd00:ec2::254",  # AWS instance metadata over IPv6
        "100.100.100.200",  # Alibaba Cloud metadata
        "168.63.129.16",  # Azure wire server (a public-looking address)
    )
)
CARRYING_IPV4: Final = (
    ipaddress.ip_network("64:ff9b::/96"),  # NAT64's well-known prefix (RFC 6052)
    ipaddress.ip_network("::/96"),  # IPv4-compatible, deprecated (RFC 4291 2.5.5.1)
    ipaddress.ip_network("::ffff:0:0:0/96"),  # IPv4-translated (RFC 2765 2.1)
)
"""Prefixes whose last 32 bits are the IPv4 address reached (`::` and `::1` excepted)."""


class AddressRefused(Exception):
    """A URL whose host is not (or does not resolve only to) public addresses."""


def embedded_ipv4(address: IpAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for, if it carries one."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if int(address) > 1 and any(address in prefix for prefix in CARRYING_IPV4):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def refusal(address: IpAddress, *, allow_loopback: bool = False) -> str | None:
    """Why `address` may not be called (None: it may)."""
    address = embedded_ipv4(address) or address
    if address.is_loopback:
        return None if allow_loopback else "a loopback address"
    if address in METADATA:
        return "a cloud metadata address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_unspecified:
        return "an unspecified address"
    if address.is_multicast:
        return "a multicast address"
    if address.is_private:
        return "a private address"
    if not address.is_global:
        return "not a public address"
    return None


def system_resolver(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (numeric forms included, as the C resolver reads them)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError) as exc:  # gaierror, herror; a NUL or a label too long
        raise AddressRefused("its host does not resolve") from exc
    return [str(info[4][0]) for info in found]


def checked_address(
    host: str, port: int, *, allow_loopback: bool = False, resolver: Resolver = system_resolver
) -> IpAddress:
    """The address to connect to for `host`: every address it resolves to must be callable
    (else AddressRefused saying why), and the first of them is the one used."""
    addresses = [ipaddress.ip_address(a.split("%", 1)[0]) for a in resolver(host, port)]
    if not addresses:
        raise AddressRefused("its host does not resolve")
    for address in addresses:
        reason = refusal(address, allow_loopback=allow_loopback)
        if reason is not None:
            raise AddressRefused(f"its host resolves to {reason}, not a public one")
    return addresses[0]
