"""Error bodies in each provider's shape, and the exception handlers raise to send them."""

from __future__ import annotations

from typing import Any

from agentsim_local.emulator.settings import Provider


class ProviderHTTPError(Exception):
    """Answer with `status` and exactly `body` (for shapes FastAPI's HTTPException can't make)."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(status, body)
        self.status = status
        self.body = body


def error_body(provider: Provider | None, slug: str, message: str) -> dict[str, Any]:
    """OmniDimension answers `{error, error_description}`; Bluejay/Synthflow FastAPI `{detail}`."""
    if provider == "omnidimension":
        return {"error": slug, "error_description": message}
    return {"detail": message}
