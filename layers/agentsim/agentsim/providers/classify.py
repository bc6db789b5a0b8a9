"""From an HTTP exchange to a payload or a classified `ProviderError`, the same for every
provider (the table is the README's "Errors" paragraph).

- 2xx: the parsed JSON body; an empty one where a body was expected, or one that is not JSON,
  is `ProviderUnavailable(ambiguous=True)`: the call may have done its work.
- 401/403 `ProviderAuthError`, 404 `ProviderNotFound`, 429 `ProviderThrottled` (with
  `Retry-After`), 408 and 5xx `ProviderUnavailable`, any other 4xx `ProviderRejected`.
- A 503 in the provider's own error shape refused before doing anything (RFC 9110 15.6.4,
  "unable to handle the request"): not ambiguous. A 500, a gateway's 502/504 or a page that is
  not the provider's may come after the work was done: ambiguous.
- A failed connection sent nothing (not ambiguous); a timeout or a connection lost mid-request
  may have been processed (ambiguous).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from agentsim.providers.errors import (
    ErrorFields,
    ProviderAuthError,
    ProviderNotFound,
    ProviderRejected,
    ProviderThrottled,
    ProviderUnavailable,
)
from agentsim.providers.retry import parse_retry_after

ErrorMessage = Callable[[Any], str | None]
"""Extracts the provider's own error message from a parsed error body."""

_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def transport_failure(provider: str, exc: httpx.TransportError, operation: str) -> Exception:
    """The error for an exchange that got no answer (raise it `from exc`)."""
    if isinstance(exc, _NOT_SENT):
        what, ambiguous = "could not connect", False
    elif isinstance(exc, httpx.TimeoutException):
        what, ambiguous = "timed out waiting for the answer", True
    else:
        what, ambiguous = "connection failed mid-request", True
    return ProviderUnavailable(
        provider, f"{what}: {type(exc).__name__}", operation=operation, ambiguous=ambiguous
    )


def read_answer(
    provider: str,
    response: httpx.Response,
    operation: str,
    *,
    expect_body: bool,
    error_message: ErrorMessage,
) -> Any:
    """The JSON body of a 2xx answer (None when empty and none was expected); raises the
    classified error for anything else."""
    status = response.status_code
    body: Any = None
    parsed = False
    if response.content:
        try:
            body, parsed = response.json(), True
        except ValueError:
            parsed = False
    if 200 <= status < 300:
        if parsed or not (response.content or expect_body):
            return body
        problem = (
            f"malformed body ({_media(response)}): {_snippet(response)}"
            if response.content
            else "empty body where JSON was expected"
        )
        raise ProviderUnavailable(
            provider, problem, status_code=status, operation=operation, ambiguous=True
        )
    words = error_message(body) if parsed else None
    message = words or _snippet(response) or response.reason_phrase or f"HTTP {status}"
    kwargs: ErrorFields = {
        "status_code": status,
        "operation": operation,
        "detail": body if parsed else None,
    }
    if status in (401, 403):
        raise ProviderAuthError(provider, message, **kwargs)
    if status == 404:
        raise ProviderNotFound(provider, message, **kwargs)
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        raise ProviderThrottled(provider, message, retry_after=retry_after, **kwargs)
    if status >= 500 or status == 408:
        refused = status == 503 and words is not None
        raise ProviderUnavailable(provider, message, ambiguous=not refused, **kwargs)
    raise ProviderRejected(provider, message, **kwargs)


def _media(response: httpx.Response) -> str:
    content_type: str = response.headers.get("Content-Type", "no content type")
    return content_type.split(";", maxsplit=1)[0]


def _snippet(response: httpx.Response) -> str:
    return response.text.strip().replace("\n", " ")[:200]
