"""POST to a checked URL at the address that was checked, so DNS cannot change in between.

The host is resolved and judged by `UrlPolicy` on every call; the request then goes to that IP
address, with the name kept in the `Host` header and as the TLS server name (SNI, and the name
the certificate is verified against: httpcore's `sni_hostname` extension). Redirects are not
followed (a redirect could lead anywhere), and no connection is reused (`NO_KEEPALIVE`). What
comes back is only the status code, or the class of the error when nothing answered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

from agentsim.delivery.addresses import AddressRefused
from agentsim.delivery.urls import DEFAULT_PORTS, UrlPolicy

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
LONGEST_POST_SECONDS = 25.0
"""One POST at worst: connect, write and read each up to its timeout."""
RETRIED_STATUSES = frozenset({408, 425, 429})
"""Besides 5xx: answers saying to come back later."""
USER_AGENT = "agentsim-delivery/1"
NO_KEEPALIVE = httpx.Limits(max_keepalive_connections=0)
"""A connection per POST: the pool keys connections by address, so a kept one (its TLS
session verified for one name) would carry the next POST to another name at the same address
(a shared CDN address) unverified. Deliveries are few; a handshake each costs nothing."""


@dataclass(frozen=True)
class Sent:
    """How one POST went: the status code, or the class of the error."""

    status_code: int | None = None
    error: str | None = None
    final: bool = False
    """Nothing will change by waiting (the address was refused, nothing to send with)."""

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def retryable(self) -> bool:
        """Worth another attempt later: no answer, a 5xx, or an answer asking to wait."""
        if self.final:
            return False
        code = self.status_code
        return code is None or code >= 500 or code in RETRIED_STATUSES


@dataclass
class Outbound:
    policy: UrlPolicy
    client: httpx.Client = field(
        default_factory=lambda: httpx.Client(
            timeout=TIMEOUT, follow_redirects=False, limits=NO_KEEPALIVE
        )
    )

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> Sent:
        try:
            checked = self.policy.check(url)
        except AddressRefused:
            return Sent(error=AddressRefused.__name__, final=True)
        try:
            parsed = httpx.URL(url)
            name = parsed.raw_host.decode("ascii")  # IDNA-encoded, as DNS and TLS know it
            host = name if ":" not in name else f"[{name}]"
            if checked.port != DEFAULT_PORTS[checked.scheme]:
                host = f"{host}:{checked.port}"
            target = parsed.copy_with(host=str(checked.address))
            extensions = {"sni_hostname": name} if checked.scheme == "https" else {}
            sent_headers = {"User-Agent": USER_AGENT, **headers, "Host": host}
            answer = self.client.post(
                target, content=body, headers=sent_headers, extensions=extensions
            )
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            return Sent(error=type(exc).__name__)
        return Sent(status_code=answer.status_code)

    def close(self) -> None:
        self.client.close()
