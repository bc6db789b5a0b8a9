"""Emulator errors, and the one place that answers them in each provider's own shape.

The backends raise these in no HTTP terms (moto's service exceptions are the model): they say
what went wrong, never with which status. Here alone an error becomes an answer:

- the status: `NotFound` 404, `InvalidRequest` and `InvalidState` 400, `ValidationFailed` 422,
  `Unauthorized` 401, `Throttled` 429 (with `Retry-After` when it says how long),
  `Unavailable` its own 5xx;
- the body: OmniDimension `{error, error_description}`, `error` being the error's slug (its
  OpenAPI documents a bare `{error: "<Thing> not found"}` for unknown ids); Bluejay and Synthflow
  FastAPI's `{detail}`, as their servers answer (FastAPI's own 422s are left as they are);
  GitHub `{message, documentation_url, status}`, plus `errors` when a 422 lists them; Slack its
  error word as plain text (`invalid_payload`, `invalid_token` with 403, ...).

`install` registers the exception handler on the app; the auth check and the canned fault
answers, which run before any route, use `error_response` directly.
"""

from __future__ import annotations

from typing import Any, ClassVar

from fastapi import FastAPI, Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from agentsim_local.emulator.settings import Provider, provider_of


class EmulatorError(Exception):
    """A call the emulated provider refuses. `slug` is the code word OmniDimension puts first."""

    default_slug: ClassVar[str] = "invalid_request"

    def __init__(self, message: str, *, slug: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.slug = slug or self.default_slug


class NotFound(EmulatorError):
    """No record with that id."""

    default_slug = "not_found"


class InvalidRequest(EmulatorError):
    """A body or parameter the provider refuses (a slug `invalid_<field>` can name the field)."""


class ValidationFailed(InvalidRequest):
    """A body the API can read but refuses (GitHub's 422), with its per-field `errors`."""

    def __init__(self, message: str, *, errors: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []


class InvalidState(EmulatorError):
    """An operation the record's current state does not allow."""

    default_slug = "invalid_state"


class Unauthorized(EmulatorError):
    """No API key, or not the one the emulator was told to accept."""

    default_slug = "unauthorized"


class Throttled(EmulatorError):
    """Too many requests; `retry_after` seconds, when given, are sent as `Retry-After`."""

    default_slug = "rate_limited"

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Unavailable(EmulatorError):
    """The provider failing on its side, with the 5xx `status` to answer."""

    default_slug = "server_error"

    def __init__(self, message: str, *, status: int = 503) -> None:
        super().__init__(message)
        self.status = status


GITHUB_DOCS = "https://docs.github.com/rest"

STATUS: dict[type[EmulatorError], int] = {
    NotFound: 404,
    ValidationFailed: 422,
    InvalidRequest: 400,
    InvalidState: 400,
    Unauthorized: 401,
    Throttled: 429,
}


def status_of(error: EmulatorError) -> int:
    if isinstance(error, Unavailable):
        return error.status
    return next((STATUS[kind] for kind in type(error).__mro__ if kind in STATUS), 400)


def error_body(provider: Provider | None, error: EmulatorError) -> dict[str, Any]:
    """The body `provider` words `error` in (FastAPI's `{detail}` outside the providers)."""
    if provider == "github":
        body: dict[str, Any] = {
            "message": error.message,
            "documentation_url": GITHUB_DOCS,
            "status": str(status_of(error)),
        }
        if isinstance(error, ValidationFailed) and error.errors:
            body["errors"] = error.errors
        return body
    if provider == "omnidimension":
        if isinstance(error, NotFound):
            return {"error": error.message}
        return {"error": error.slug, "error_description": error.message}
    return {"detail": error.message}


def error_headers(error: EmulatorError) -> dict[str, str] | None:
    if isinstance(error, Throttled) and error.retry_after is not None:
        seconds = error.retry_after
        return {"Retry-After": str(int(seconds)) if float(seconds).is_integer() else str(seconds)}
    return None


def error_response(provider: Provider | None, error: EmulatorError) -> Response:
    """`error` answered as `provider` answers it: status, body and headers."""
    if provider == "slack":  # plain-text error words; a refused token is 403 there
        status = 403 if isinstance(error, Unauthorized) else status_of(error)
        return PlainTextResponse(error.slug, status, error_headers(error))
    return JSONResponse(error_body(provider, error), status_of(error), error_headers(error))


def install(app: FastAPI) -> None:
    """Answer every `EmulatorError` a route raises in the shape of the provider it is under."""

    @app.exception_handler(EmulatorError)
    async def emulator_error(request: Request, exc: EmulatorError) -> Response:
        return error_response(provider_of(request.url.path), exc)
