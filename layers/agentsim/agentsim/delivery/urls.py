"""The rule for a URL agentsim calls on someone's behalf: https to a public address.

Checked when a request names the URL (a 422 naming the field) and again at every delivery,
since what a name resolves to can change between the two (`outbound` then connects to the very
address this check passed). A stack deployed with loopback allowed (the local stack's receiver
on 127.0.0.1) may also call loopback addresses, over http too; nothing else is ever allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from agentsim.delivery.addresses import (
    AddressRefused,
    IpAddress,
    Resolver,
    checked_address,
    embedded_ipv4,
    system_resolver,
)

MAX_URL = 2048
DEFAULT_PORTS = {"https": 443, "http": 80}


@dataclass(frozen=True)
class CheckedUrl:
    """A URL that passed the rule, and the address it is to be called at."""

    url: str
    scheme: str
    host: str
    port: int
    address: IpAddress


def url_shape_problem(url: str) -> str | None:
    """What is wrong with `url` as written, before any lookup (None: nothing)."""
    if len(url) > MAX_URL:
        return f"must be at most {MAX_URL} characters"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port out of range or not a number)
    except ValueError:
        return "must be an https URL"
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return "must be an https URL"
    if parts.username is not None or parts.password is not None:
        return "must not carry credentials"
    return None


@dataclass(frozen=True)
class UrlPolicy:
    """Where this stack may send: `allow_loopback` is the template's AllowLoopbackTargets."""

    allow_loopback: bool = False
    resolver: Resolver = system_resolver

    def check(self, url: str) -> CheckedUrl:
        """`url` with the address to call it at; AddressRefused saying why it may not be."""
        problem = url_shape_problem(url)
        if problem is not None:
            raise AddressRefused(problem)
        parts: SplitResult = urlsplit(url)
        host = str(parts.hostname)
        port = parts.port or DEFAULT_PORTS[parts.scheme]
        address = checked_address(
            host, port, allow_loopback=self.allow_loopback, resolver=self.resolver
        )
        if parts.scheme != "https" and not (embedded_ipv4(address) or address).is_loopback:
            raise AddressRefused("must be an https URL")
        return CheckedUrl(url, parts.scheme, host, port, address)
