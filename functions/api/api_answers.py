"""Every error answer of the API, in one place: which exception answers which status, and the
`ApiError` body they all share (`{message, errors: [{path, problem}], correlation_id}`).

Exceptions come from the layer's domain (`agentsim.runs.errors`, the provider errors) and from
Powertools' request validation; an exception no handler expects answers 500 with the
correlation id of its log line (the stack trace is logged, never the request body).
"""

import inspect
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)

from agentsim import observability
from agentsim.observability import logger
from agentsim.providers.bluejay.webhooks import WebhookUnsigned
from agentsim.providers.errors import ProviderError
from agentsim.runs import intake, signing
from agentsim.runs.errors import (
    InvalidPageToken,
    MediaTypeUnsupported,
    Problem,
    RequestInvalid,
    RequestRefused,
    RunNotFound,
    SecretInvalid,
    TransitionRefused,
)
from agentsim.runs.validation import problems_from
from agentsim.runs.views import ApiError
from agentsim.runs.webhook import IdempotencyKeyReused
from agentsim.suites.store import SuiteNotFound

ERRORS = {
    400: "Body not a JSON document in UTF-8, nested too deeply, or invalid Unicode",
    401: "Unsigned, stale or wrongly signed (the header at fault is named)",
    404: "No such run or suite",
    409: "Conflict: the run's status, or an Idempotency-Key used with another body",
    413: f"Body over {intake.MAX_BODY_BYTES} bytes ({intake.MAX_SUITE_BODY_BYTES} for a suite)",
    415: "Content-Type is not application/json",
    422: "Invalid request: every bad field is listed",
    500: "Internal or configuration error (with a correlation id)",
    502: "The provider refused the call",
    503: "The provider is unavailable; retry later",
}
COMMON = (400, 401, 413, 415, 422, 500)
"""What every signed route can answer: screening, parameter validation and the unexpected."""
REFUSALS = (signing.SignatureInvalid, WebhookUnsigned, RequestRefused, SecretInvalid)
"""What screening raises before Powertools sees the request."""


def responses(*statuses: int, success: int = 200) -> dict[int, Any]:
    """OpenAPI entries for every answer of a route: its success (whose schema Powertools takes
    from the route's return type) and its errors, all in the ApiError shape."""
    content = {"application/json": {"model": ApiError}}
    errors = {s: {"description": ERRORS[s], "content": content} for s in {*COMMON, *statuses}}
    return {success: {"description": "Successful Response"}, **dict(sorted(errors.items()))}


def new_router() -> Router:
    return Router()  # type: ignore[no-untyped-call]  # untyped in Powertools


def route[F: Callable[..., Any]](
    router: Router, endpoint: str, *errors: int, success: int = 200, body: type | None = None
) -> Callable[[F], F]:
    """Add the decorated view to `router` at `endpoint` (`"GET /path"`): traced, tagged, every
    answer documented (its errors as ApiError). The view's docstring is the OpenAPI summary (its
    first line) and description (the rest); `body` documents the success of a view that builds
    its own `Response` (Powertools reads a plain return type's schema itself)."""
    method, path = endpoint.split(" ", 1)
    add = router.post if method == "POST" else router.get
    answers = responses(*errors, success=success)
    if body is not None:
        content = {"application/json": {"model": body}}
        answers[success] = {"description": HTTPStatus(success).phrase, "content": content}

    def decorate(view: F) -> F:
        summary, _, rest = inspect.cleandoc(view.__doc__ or "").partition("\n")
        description = " ".join(rest.split()) or None
        register = add(
            path, summary=summary, description=description, responses=answers, tags=["simulations"]
        )
        register(observability.tracer().capture_method(view))
        return view

    return decorate


def _body(message: str, problems: list[Problem] | None = None) -> str:
    body = ApiError.model_validate(
        {
            "message": message,
            "errors": [p.to_dict() for p in problems or []],
            "correlation_id": logger().get_correlation_id(),
        }
    )
    return body.model_dump_json(exclude_none=True)


def error(status: int, message: str, problems: list[Problem] | None = None) -> Response[str]:
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=_body(message, problems),
    )


def proxy_error(status: int, message: str, problems: list[Problem] | None = None) -> dict[str, Any]:
    """An error as the proxy integration response the resolver would have built."""
    return {
        "statusCode": status,
        "multiValueHeaders": {"Content-Type": [content_types.APPLICATION_JSON]},
        "body": _body(message, problems),
        "isBase64Encoded": False,
    }


def refusal(exc: Exception) -> tuple[int, str, list[Problem]]:
    """(status, message, problems) for one of the `REFUSALS`."""
    if isinstance(exc, signing.SignatureInvalid):
        logger().warning("refused an unsigned or badly signed request", extra={"reason": str(exc)})
        problems = [Problem(f"headers.{exc.header}", str(exc))] if exc.header else []
        return 401, f"unauthorized: {exc}", problems
    if isinstance(exc, WebhookUnsigned):
        logger().warning("refused an unsigned provider webhook", extra={"reason": str(exc)})
        return 401, f"unauthorized: {exc}", [Problem(f"headers.{exc.header}", str(exc))]
    if isinstance(exc, RequestRefused):
        logger().info("refused an unreadable request", extra={"status": exc.status})
        return exc.status, exc.message, exc.problems
    if isinstance(exc, SecretInvalid):
        logger().error("the stack's secret is not usable", extra={"reason": str(exc)})
        return 500, f"configuration error: {exc}", []
    raise TypeError(f"not a refusal: {type(exc).__name__}")


def unexpected(exc: Exception) -> Response[str]:
    """Our bug, not the caller's: the stack trace goes to the log, the correlation id to both."""
    logger().exception("unexpected error", extra={"error_type": type(exc).__name__})
    return error(500, "internal error")


def register(app: APIGatewayRestResolver) -> None:
    """Map every exception a route (or Powertools) may raise to its answer."""
    app.exception_handler(list(REFUSALS))(lambda exc: error(*refusal(exc)))
    app.exception_handler(RequestValidationError)(_invalid_fields)
    app.exception_handler(RequestUnsupportedContentType)(_media_type)
    app.exception_handler(RequestInvalid)(lambda exc: error(422, "invalid request", exc.problems))
    app.exception_handler(InvalidPageToken)(
        lambda exc: error(422, "invalid request", [Problem("query.next_token", str(exc))])
    )
    app.exception_handler([RunNotFound, SuiteNotFound])(lambda exc: error(404, str(exc)))
    app.exception_handler([TransitionRefused, IdempotencyKeyReused])(
        lambda exc: error(409, str(exc))
    )
    app.exception_handler(ProviderError)(
        lambda exc: error(503 if exc.retryable else 502, f"provider error: {exc}")
    )
    app.exception_handler(Exception)(unexpected)
    app.not_found(_no_route)


def _invalid_fields(exc: RequestValidationError) -> Response[str]:
    errors = exc.errors()
    if any(tuple(e.get("loc", ()))[:1] == ("response",) for e in errors):
        # Powertools raises this error for an answer that fails its own model too: our bug.
        return unexpected(exc)
    return error(422, "invalid request", problems_from(errors))


def _media_type(exc: RequestUnsupportedContentType) -> Response[str]:
    refused = MediaTypeUnsupported(
        "unsupported media type", [Problem("headers.Content-Type", "must be application/json")]
    )
    return error(*refusal(refused))


def _no_route(exc: NotFoundError) -> Response[str]:
    return error(404, "no such route")
