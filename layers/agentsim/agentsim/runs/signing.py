"""Webhook signatures: HMAC-SHA256 over `f"{timestamp}.{raw body}"`.

Headers: `X-Agentsim-Timestamp` (unix seconds) and `X-Agentsim-Signature: v1=<hex>` (several
comma-separated `v1=` values are accepted, for secret rotation). A request is accepted within
five minutes of its timestamp, either way; comparison is constant-time. The API handler and the
CLI both use this module, so the two sides cannot drift.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping

TIMESTAMP_HEADER = "X-Agentsim-Timestamp"
SIGNATURE_HEADER = "X-Agentsim-Signature"
VERSION = "v1"
TOLERANCE_SECONDS = 300


class SignatureInvalid(Exception):
    """The request is unsigned, stale, or signed with another secret. Says which, never more."""


def _digest(secret: str, timestamp: str, body: bytes) -> str:
    message = timestamp.encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """The two headers that sign `body` now (or at `timestamp`)."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return {
        TIMESTAMP_HEADER: stamp,
        SIGNATURE_HEADER: f"{VERSION}={_digest(secret, stamp, body)}",
    }


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None


def verify(secret: str, body: bytes, headers: Mapping[str, str], now: float | None = None) -> None:
    """Raise SignatureInvalid unless `headers` sign `body` with `secret` within the window."""
    if not secret:
        raise SignatureInvalid("the webhook secret is not configured")
    stamp = _header(headers, TIMESTAMP_HEADER)
    signature = _header(headers, SIGNATURE_HEADER)
    if not stamp:
        raise SignatureInvalid(f"missing {TIMESTAMP_HEADER} header")
    if not signature:
        raise SignatureInvalid(f"missing {SIGNATURE_HEADER} header")
    stamp = stamp.strip()
    if not stamp.isdigit():
        raise SignatureInvalid(f"{TIMESTAMP_HEADER} must be unix seconds")
    current = time.time() if now is None else now
    if abs(current - int(stamp)) > TOLERANCE_SECONDS:
        raise SignatureInvalid(
            f"{TIMESTAMP_HEADER} is outside the {TOLERANCE_SECONDS // 60}-minute window"
        )
    expected = _digest(secret, stamp, body)
    offered = [
        value.strip()[len(VERSION) + 1 :]
        for value in signature.split(",")
        if value.strip().startswith(f"{VERSION}=")
    ]
    if not offered:
        raise SignatureInvalid(f"{SIGNATURE_HEADER} must be {VERSION}=<hex HMAC-SHA256>")
    # Compare every offered value, so the time taken does not tell which one matched.
    matches = [hmac.compare_digest(expected, candidate) for candidate in offered]
    if not any(matches):
        raise SignatureInvalid("signature does not match the body")
