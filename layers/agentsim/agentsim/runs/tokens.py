"""Page tokens: a DynamoDB start key as an opaque string the API hands out and takes back.

`<base64url payload>.<hex HMAC-SHA256 of scope and payload>`, signed with a key from the stack's
secret and bound to its listing (the runs, or one run's cases), so a forged or altered token is
refused (`InvalidPageToken`) instead of reading from a place of the caller's choosing.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
from collections.abc import Mapping
from typing import Any

from agentsim.runs.errors import InvalidPageToken
from agentsim.runs.stored import LIST_PARTITION

MAX_TOKEN_LENGTH = 2048
RUNS_SCOPE = "runs"
PROCESS_TOKEN_KEY = os.urandom(32)
"""Signs tokens when no key is given: they hold within one process (tests, local tools)."""


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(token_key: bytes, scope: str, payload: str) -> str:
    return hmac.new(token_key, f"{scope}\n{payload}".encode(), hashlib.sha256).hexdigest()


def encode_token(
    key: Mapping[str, Any], *, scope: str = RUNS_SCOPE, token_key: bytes = PROCESS_TOKEN_KEY
) -> str:
    """`key` (a DynamoDB start key) as an opaque token: `<base64url payload>.<hex HMAC-SHA256 of
    scope and payload>`."""
    payload = _b64(json.dumps(key, separators=(",", ":"), sort_keys=True).encode())
    return f"{payload}.{_mac(token_key, scope, payload)}"


def decode_token(
    token: str,
    expected: Mapping[str, str | None] | None = None,
    *,
    scope: str = RUNS_SCOPE,
    token_key: bytes = PROCESS_TOKEN_KEY,
) -> dict[str, Any]:
    """The DynamoDB start key inside a token this API issued for `scope`; InvalidPageToken for
    anything else (checked in constant time before the payload is even decoded).

    `expected`: the key's attribute names, each with the value it must have (None: any); by
    default the list index's key.
    """
    expected = expected or {"run_id": None, "list_pk": LIST_PARTITION, "list_sk": None}
    if not token.isascii() or len(token) > MAX_TOKEN_LENGTH or token.count(".") != 1:
        raise InvalidPageToken()
    payload, _, signature = token.partition(".")
    if not hmac.compare_digest(signature, _mac(token_key, scope, payload)):
        raise InvalidPageToken()
    try:
        key = json.loads(_unb64(payload))
    except (binascii.Error, ValueError):
        raise InvalidPageToken() from None
    if (
        not isinstance(key, dict)
        or set(key) != set(expected)
        or not all(isinstance(v, dict) and isinstance(v.get("S"), str) for v in key.values())
        or any(want is not None and key[k]["S"] != want for k, want in expected.items())
    ):
        raise InvalidPageToken()
    return key
