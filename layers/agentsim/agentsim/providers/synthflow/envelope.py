"""Synthflow's `{status, response}` envelope and its error bodies.

Most operations wrap their payload in `{"status": "ok", "response": {...}}`; suite execute does
not. A 200 whose `status` says error/failed/failure is a refusal, not a payload. Error bodies come
as `{detail: str}` (regional FastAPI hosts), `{detail: [{loc, msg, type}]}` (validation) or
`{error, message}` (the global gateway); `fastapi_message` reads them all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agentsim.providers.errors import ProviderRejected
from agentsim.providers.messages import fastapi_message

PROVIDER = "synthflow"
ERROR_STATUSES = frozenset({"error", "failed", "failure"})


def unwrap(body: Any, operation: str) -> Any:
    """The payload of an enveloped answer; raises ProviderRejected for an error status.

    Meant as `ProviderHttp.request(read=...)`, which redacts the key from that error.
    """
    if not isinstance(body, Mapping):
        return body
    status = body.get("status")
    if isinstance(status, str) and status.strip().lower() in ERROR_STATUSES:
        message = fastapi_message(body) or f"Synthflow answered status {status!r}"
        raise ProviderRejected(PROVIDER, message, status_code=200, operation=operation, detail=body)
    if "response" in body:
        return body["response"]
    return body
