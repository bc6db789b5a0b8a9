"""The stack's REST API, over HTTP to its API Gateway stage: requests, and signed webhooks sent
again while unanswered (`agentsim_local.webhook`)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypedDict, Unpack

import httpx

from agentsim.runs.signing import sign
from agentsim_local.deployed import WEBHOOK_PATH
from agentsim_local.webhook import post_signed


class EmbeddedStackError(RuntimeError):
    """A trigger was refused or a run could not be found; the message says which and why."""


@dataclass(frozen=True)
class ApiResponse:
    """What the stack's REST API answered."""

    status: int
    headers: httpx.Headers
    json: Any
    text: str


class RequestParts(TypedDict, total=False):
    """What a request may carry besides its method and URL."""

    body: bytes | str | Mapping[str, Any] | None
    """Sent as it is; a mapping is sent as JSON."""
    headers: Mapping[str, str] | None
    query: Mapping[str, str] | None


def request(
    http: httpx.Client, url: str, method: str, **parts: Unpack[RequestParts]
) -> ApiResponse:
    """One HTTP request; a mapping body is sent as JSON."""
    body, query = parts.get("body"), parts.get("query")
    content = json.dumps(body).encode() if isinstance(body, Mapping) else body
    sent = dict(parts.get("headers") or {})
    if content is not None and not any(k.lower() == "content-type" for k in sent):
        sent["Content-Type"] = "application/json"
    response = http.request(
        method, url, content=content, headers=sent, params=dict(query) if query else None
    )
    return ApiResponse(response.status_code, response.headers, _json(response), response.text)


@dataclass(frozen=True)
class Submitted:
    run_id: str
    attempts: int


def submit_webhook(
    http: httpx.Client,
    api_url: str,
    secret: str,
    request_body: Mapping[str, Any],
    idempotency_key: str | None = None,
    *,
    path: str = WEBHOOK_PATH,
    id_field: str = "run_id",
) -> Submitted:
    """POST the request (to `path`: `/suites` for a suite) signed; the id the API answered
    with (`id_field`), and the attempts it took.

    An unanswered webhook (the API's 29 s timeout, a throttle) is sent again: one key, one run.
    With a key each attempt is signed afresh; without one the identical request is resent.
    """
    body = json.dumps(request_body).encode()

    def signed() -> dict[str, str]:
        headers = {"Content-Type": "application/json", **sign(secret, body)}
        if idempotency_key is not None:
            headers["Idempotency-Key"] = idempotency_key
        return headers

    url = api_url.rstrip("/") + path
    posted = post_signed(http, url, body, signed if idempotency_key else signed())
    response = posted.response
    answer = _json(response)
    if response.status_code >= 400:
        tries = f" ({posted.attempts} attempts)" if posted.attempts > 1 else ""
        reason = _error_text(answer, response.text)
        raise EmbeddedStackError(f"webhook refused: HTTP {response.status_code}{tries}: {reason}")
    if isinstance(answer, dict) and isinstance(answer.get(id_field), str):
        return Submitted(str(answer[id_field]), posted.attempts)
    raise EmbeddedStackError(f"no {id_field} in the answer: {answer}")


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _error_text(body: Any, text: str) -> str:
    """The useful part of an error answer: a Lambda crash's message, not its stack trace."""
    if isinstance(body, dict) and "errorMessage" in body:
        return f"{body.get('errorType', 'Error')}: {body['errorMessage']}"
    return text
