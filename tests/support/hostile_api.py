"""Hostile requests to the API handler in-process, and the check every refusal must pass: a 4xx
in our error shape naming the part at fault, with nothing written (issue 8's fuzzing findings)."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from support.aws_fixtures import WEBHOOK_SECRET, Stack
from support.handlers import api_event

from agentsim.runs.signing import sign

Answer = tuple[int, dict[str, str], Any]
Call = Callable[[dict[str, Any]], Answer]
"""The API function called with one event: status, headers and decoded body."""


def start(body: Any, **headers: str) -> dict[str, Any]:
    return api_event("POST", "/simulations", body=body, headers=headers)


def raw_start(raw: bytes, content_type: str = "application/json") -> dict[str, Any]:
    """POST /simulations carrying `raw` bytes, signed, base64-encoded as API Gateway sends them."""
    event = api_event("POST", "/simulations", headers={"Content-Type": content_type})
    signed = {"Content-Type": content_type, **sign(WEBHOOK_SECRET, raw)}
    return {
        **event,
        "headers": signed,
        "multiValueHeaders": {k: [v] for k, v in signed.items()},
        "body": base64.b64encode(raw).decode(),
        "isBase64Encoded": True,
    }


def paths(body: dict[str, Any]) -> list[str]:
    return [e["path"] for e in body["errors"]]


def assert_refused(
    stack: Stack, result: Answer, status: int, path: str, *, prefix: bool = False
) -> None:
    """A `status` answer in our error shape naming `path`, with nothing written."""
    got, headers, body = result
    assert got == status, body
    assert headers["Content-Type"] == "application/json"
    assert set(body) <= {"message", "errors", "correlation_id"} and body["message"]
    named = paths(body)
    assert any(p.startswith(path) for p in named) if prefix else path in named, named
    assert all(e["problem"] for e in body["errors"])
    assert stack.stored_items() == 0
