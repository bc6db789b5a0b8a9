"""Reading a provider's own words out of an error body: pure functions, no HTTP client.

Kept apart from `http` so a request model that needs them (Synthflow's) imports no httpx.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def fastapi_message(body: Any) -> str | None:
    """`{detail: str}` or FastAPI's `{detail: [{loc, msg}]}`, as one line."""
    if not isinstance(body, Mapping):
        return None
    detail = body.get("detail")
    if isinstance(detail, str):
        return detail
    if isinstance(detail, list):
        parts = []
        for item in detail:
            if isinstance(item, Mapping):
                loc = ".".join(str(p) for p in item.get("loc", []) if p != "body")
                parts.append(f"{loc}: {item.get('msg')}" if loc else str(item.get("msg")))
        return "; ".join(parts) or None
    if isinstance(detail, Mapping):
        return str(detail.get("description") or detail.get("message") or detail)
    message = body.get("message") or body.get("error")
    return str(message) if message else None
