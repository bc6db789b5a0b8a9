"""Webhook signatures: HMAC-SHA256 over `f"{timestamp}.{raw body}"`.

Headers: `X-Agentsim-Timestamp` (unix seconds) and `X-Agentsim-Signature: v1=<hex>` (several
comma-separated `v1=` values are accepted, for secret rotation). A request is accepted within
five minutes of its timestamp, either way; comparison is constant-time. Each header must come
once, in ASCII, of bounded length: anything else is refused (never parsed or compared). The API
handler and the CLI both use this module, so the two sides cannot drift.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping, Sequence

TIMESTAMP_HEADER = "X-Agentsim-Timestamp"
SIGNATURE_HEADER = "X-Agentsim-Signature"
VERSION = "v1"
TOLERANCE_SECONDS = 300
MAX_TIMESTAMP_DIGITS = 12
"""Unix seconds have 10 digits until the year 2286; more is not a timestamp."""
MAX_SIGNATURE_LENGTH = 1024
"""Room for a dozen comma-separated `v1=` values (rotation); more is not a signature."""

HeaderValue = str | Sequence[str]
"""A header's value, or all of its values when it was sent several times."""


class SignatureInvalid(Exception):
    """The request is unsigned, stale, or signed with another secret. Says which, never more.

    `header` names the signature header at fault, when one is.
    """

    def __init__(self, reason: str, header: str | None = None) -> None:
        super().__init__(reason)
        self.header = header


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


def _header(headers: Mapping[str, HeaderValue], name: str, longest: int) -> str:
    """The one value of header `name`: present once, ASCII, at most `longest` characters."""
    wanted = name.lower()
    values: list[str] = []
    for key, value in headers.items():
        if key.lower() == wanted:
            values.extend([value] if isinstance(value, str) else value)
    if len(values) > 1:
        raise SignatureInvalid(f"{name} must be sent once", name)
    value = values[0].strip() if values else ""
    if not value:
        raise SignatureInvalid(f"missing {name} header", name)
    if not value.isascii():
        raise SignatureInvalid(f"{name} must be ASCII", name)
    if len(value) > longest:
        raise SignatureInvalid(f"{name} must be at most {longest} characters", name)
    return value


def verify(
    secret: str, body: bytes, headers: Mapping[str, HeaderValue], now: float | None = None
) -> None:
    """Raise SignatureInvalid unless `headers` sign `body` with `secret` within the window.

    Header names are case-insensitive; a header sent more than once (a list of values, or two
    spellings of its name) is refused rather than guessed at.
    """
    if not secret:
        raise SignatureInvalid("the webhook secret is not configured")
    stamp = _header(headers, TIMESTAMP_HEADER, MAX_TIMESTAMP_DIGITS)
    signature = _header(headers, SIGNATURE_HEADER, MAX_SIGNATURE_LENGTH)
    if not stamp.isdigit():  # ASCII already, so only 0-9 (str.isdigit also takes "²")
        raise SignatureInvalid(f"{TIMESTAMP_HEADER} must be unix seconds", TIMESTAMP_HEADER)
    current = time.time() if now is None else now
    if abs(current - int(stamp)) > TOLERANCE_SECONDS:
        raise SignatureInvalid(
            f"{TIMESTAMP_HEADER} is outside the {TOLERANCE_SECONDS // 60}-minute window",
            TIMESTAMP_HEADER,
        )
    expected = _digest(secret, stamp, body)
    offered = [
        value.strip()[len(VERSION) + 1 :]
        for value in signature.split(",")
        if value.strip().startswith(f"{VERSION}=")
    ]
    if not offered:
        raise SignatureInvalid(
            f"{SIGNATURE_HEADER} must be {VERSION}=<hex HMAC-SHA256>", SIGNATURE_HEADER
        )
    # Compare every offered value, so the time taken does not tell which one matched.
    matches = [hmac.compare_digest(expected, candidate) for candidate in offered]
    if not any(matches):
        raise SignatureInvalid("signature does not match the body", SIGNATURE_HEADER)
