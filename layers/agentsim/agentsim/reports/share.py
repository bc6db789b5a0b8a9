"""Share links: a report's URL with an expiry and an HMAC over its path and expiry.

`<base>/simulations/<id>/report?expires=<unix seconds>&signature=<hex HMAC-SHA256>` (a suite's
page: `/suites/<id>/report?...`), the MAC taken with a key derived from the stack's secret
(`AgentsimSecrets.report_link_key`) over `"<path>\\n<expires>"`, so a link opens one report
until it expires, and changing its path or its expiry breaks it. The path is the route's, without
the stage: the same link checks behind any host or stage prefix that reaches the API.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import quote, urlencode

from agentsim.runs.record import utcnow

DEFAULT_LIFETIME = timedelta(days=7)
EXPIRES = "expires"
SIGNATURE = "signature"
MAX_EXPIRES_DIGITS = 12


class LinkRefused(Exception):
    """A missing, malformed, expired or altered share link (the message says which)."""


def report_path(run_id: str) -> str:
    return f"/simulations/{quote(run_id, safe='')}/report"


def suite_report_path(suite_id: str) -> str:
    return f"/suites/{quote(suite_id, safe='')}/report"


def link_signature(key: bytes, path: str, expires: int) -> str:
    return hmac.new(key, f"{path}\n{expires}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ShareLinks:
    """Makes and checks the share links of one stack."""

    key: Callable[[], bytes] = field(repr=False)
    lifetime: timedelta = DEFAULT_LIFETIME
    base_url: str | None = None
    """Where the API is reached (its stage URL); None: links are made per request's host."""
    clock: Callable[[], datetime] = utcnow

    def query(self, path: str) -> str:
        """`expires=...&signature=...` for `path`, valid for `lifetime` from now."""
        expires = int((self.clock() + self.lifetime).timestamp())
        signature = link_signature(self.key(), path, expires)
        return urlencode({EXPIRES: expires, SIGNATURE: signature})

    def url(self, run_id: str, base_url: str | None = None) -> str | None:
        """The report's share link under `base_url` (default: the configured one); None when
        neither is known."""
        return self.link(report_path(run_id), base_url)

    def suite_url(self, suite_id: str, base_url: str | None = None) -> str | None:
        """The suite report's share link, as `url` makes a run's."""
        return self.link(suite_report_path(suite_id), base_url)

    def link(self, path: str, base_url: str | None) -> str | None:
        base = base_url or self.base_url
        if not base:
            return None
        return f"{base.rstrip('/')}{path}?{self.query(path)}"

    def check(self, path: str, expires: str | None, signature: str | None) -> None:
        """Raise `LinkRefused` unless `expires` and `signature` open `path` now."""
        if not expires or not signature:
            raise LinkRefused("the link has no expiry or no signature")
        if not expires.isascii() or not expires.isdigit() or len(expires) > MAX_EXPIRES_DIGITS:
            raise LinkRefused("the link's expiry is malformed")
        given = signature.strip().lower()
        expected = link_signature(self.key(), path, int(expires))
        if not given.isascii() or not hmac.compare_digest(expected, given):
            raise LinkRefused("the link's signature does not match")
        if int(expires) < self.clock().timestamp():
            raise LinkRefused("the link has expired")
