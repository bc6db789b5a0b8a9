"""REST API: start (`POST /simulations`), get, list and stop runs; `GET /openapi.json`.

Every request but `GET /openapi.json` passes `screen` before Powertools sees it, in this order:
signature headers and HMAC (401, `agentsim.runs.signing`), body size (413), media type (415),
UTF-8 JSON within the nesting limit (400, `agentsim.runs.intake`), valid Unicode in parameters
(400). Powertools validates the request before user middlewares run and parses the body its own
way, so these checks cannot be a middleware: they run first, in the handler, and an unsigned or
unreadable request never reaches a route, so nothing is written. Then Powertools validates the
fields (422) and the route runs; an exception no handler expects answers 500 with the
correlation id, logged with its stack trace but never the request body.

Starting is idempotent (Powertools Idempotency on `start_once`): the key is the
`Idempotency-Key` header, else the canonical body. The run id is derived from the same key
(`agentsim.runs.ids`), so even two concurrent duplicates name one run and one execution.
"""

import base64
import binascii
import functools
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent
from aws_lambda_powertools.utilities.typing import LambdaContext

from agentsim.invocation import api_deadline
from agentsim.providers.base import ProviderName
from agentsim.providers.errors import ProviderError
from agentsim.runs import ids, intake, signing, telemetry
from agentsim.runs.envelope import (
    LABEL_KEY_PATTERN,
    MAX_LABEL_VALUE,
    parse_request,
    problems_from,
    request_union,
)
from agentsim.runs.errors import (
    BodyMalformed,
    InvalidPageToken,
    MediaTypeUnsupported,
    Problem,
    RequestInvalid,
    RequestRefused,
    RunNotFound,
    SecretInvalid,
    TransitionRefused,
)
from agentsim.runs.record import RunStatus, Trigger
from agentsim.runs.repository import RunQuery
from agentsim.runs.services import Services
from agentsim.runs.settings import Settings
from agentsim.runs.stop import stop
from agentsim.runs.submit import submit
from agentsim.runs.views import Accepted, ApiError, CaseList, History, RunList, RunView
from agentsim.runs.wiring import build_services, secrets_of

if TYPE_CHECKING:  # imported when first needed: idempotency brings boto3, OpenAPI models cost more
    from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig

logger = Logger()
tracer = Tracer(auto_patch=False)  # botocore and httpx only: telemetry.trace_clients
metrics = Metrics()
app = APIGatewayRestResolver(enable_validation=True)

RunRequestBody = request_union()
IDEMPOTENCY_HEADER = "Idempotency-Key"
OPENAPI_PATH = "/openapi.json"
IN_PROGRESS_WAITS = (0.2, 0.4, 0.8, 1.6)
"""Seconds to wait for a concurrent duplicate (keyed by body) to finish before answering 409."""
MAX_RUN_ID = 128
RunId = Annotated[str, Path(min_length=1, max_length=MAX_RUN_ID)]


class DuplicateInProgress(Exception):
    """The same request is being handled right now; its run id is not known yet."""


class IdempotencyKeyReused(Exception):
    """The Idempotency-Key was first used with a different body."""


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    services: Services
    idempotency: "IdempotencyConfig"
    start_once: Callable[..., dict[str, Any]]


@functools.cache
def runtime() -> Runtime:
    """Built on the first invocation (never at import): settings, clients, idempotency."""
    from aws_lambda_powertools.utilities.idempotency import (  # noqa: PLC0415
        DynamoDBPersistenceLayer,
        IdempotencyConfig,
        idempotent_function,
    )

    settings = Settings.from_env()
    services = build_services(settings)
    config = IdempotencyConfig(
        event_key_jmespath="key",
        payload_validation_jmespath="request",
        raise_on_no_idempotency_key=True,
        expires_after_seconds=settings.idempotency_expires_seconds,
    )
    persistence = DynamoDBPersistenceLayer(table_name=settings.require("idempotency_table"))

    @idempotent_function(
        data_keyword_argument="submission", persistence_store=persistence, config=config
    )
    def start_once(submission: dict[str, Any]) -> dict[str, Any]:
        request = parse_request(submission["request"])
        submitted = submit(services, submission["run_id"], request, Trigger.WEBHOOK)
        if submitted.created:
            telemetry.count(metrics, telemetry.RUNS_STARTED, dimension=("trigger", "webhook"))
        return submitted.payload()

    return Runtime(settings, services, config, start_once)


# -- screening (before Powertools) -------------------------------------------------------------


def _raw_body(event: APIGatewayProxyEvent) -> bytes | None:
    """The body's bytes as the caller signed them; None when API Gateway's base64 is broken."""
    body = event.body or ""
    if event.is_base64_encoded:
        try:
            return base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            return None
    return body.encode("utf-8", "surrogatepass")  # a lone surrogate fails the UTF-8 check


def _signature_headers(event: APIGatewayProxyEvent) -> dict[str, signing.HeaderValue]:
    """The headers, each with all its values when API Gateway saw it more than once."""
    headers: dict[str, signing.HeaderValue] = dict(event.get("headers") or {})
    for name, values in (event.get("multiValueHeaders") or {}).items():
        if name in headers and isinstance(values, list) and len(values) > 1:
            headers[name] = [str(v) for v in values]
    return headers


def _parameters(event: APIGatewayProxyEvent) -> list[Problem]:
    query = event.get("multiValueQueryStringParameters") or {}
    pairs = [(name, value) for name, values in query.items() for value in values or ()]
    pairs += list((event.get("queryStringParameters") or {}).items())
    path = list((event.get("pathParameters") or {}).items())
    return intake.parameter_problems("query", pairs) + intake.parameter_problems("path", path)


def screen(event: APIGatewayProxyEvent) -> None:
    """Raise unless the request is signed and readable; nothing else has looked at it yet."""
    body = _raw_body(event)
    secret = secrets_of(runtime().settings).webhook()
    signing.verify(secret, body or b"", _signature_headers(event))
    if body is None:
        raise BodyMalformed("malformed request body", [Problem("body", "is not valid base64")])
    intake.read_json(body, event.headers.get("content-type"))
    problems = _parameters(event)
    if problems:
        raise BodyMalformed("malformed request", problems)


def _screened(event: dict[str, Any]) -> dict[str, Any] | None:
    """None when the request may go on to the routes, else the answer refusing it."""
    request = APIGatewayProxyEvent(event)
    if request.http_method.upper() == "GET" and request.path == OPENAPI_PATH:
        return None
    try:
        screen(request)
    except (signing.SignatureInvalid, RequestRefused, SecretInvalid) as exc:
        return _proxy_error(*_refusal(exc))
    return None


# -- answers -------------------------------------------------------------------------------------


def _error_body(status: int, message: str, problems: list[Problem] | None = None) -> str:
    body = ApiError.model_validate(
        {
            "message": message,
            "errors": [p.to_dict() for p in problems or []],
            "correlation_id": logger.get_correlation_id(),
        }
    )
    return body.model_dump_json(exclude_none=True)


def _error(status: int, message: str, problems: list[Problem] | None = None) -> Response:
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=_error_body(status, message, problems),
    )


def _proxy_error(
    status: int, message: str, problems: list[Problem] | None = None
) -> dict[str, Any]:
    """An error as the proxy integration response the resolver would have built."""
    return {
        "statusCode": status,
        "multiValueHeaders": {"Content-Type": [content_types.APPLICATION_JSON]},
        "body": _error_body(status, message, problems),
        "isBase64Encoded": False,
    }


def _signature_problems(exc: signing.SignatureInvalid) -> list[Problem]:
    return [Problem(f"headers.{exc.header}", str(exc))] if exc.header else []


def _refusal(exc: Exception) -> tuple[int, str, list[Problem]]:
    """(status, message, problems) for an error `screen` raises."""
    if isinstance(exc, signing.SignatureInvalid):
        logger.warning("refused an unsigned or badly signed request", extra={"reason": str(exc)})
        return 401, f"unauthorized: {exc}", _signature_problems(exc)
    if isinstance(exc, RequestRefused):
        logger.info("refused an unreadable request", extra={"status": exc.status})
        return exc.status, exc.message, exc.problems
    if isinstance(exc, SecretInvalid):
        logger.error("the stack's secret is not usable", extra={"reason": str(exc)})
        return 500, f"configuration error: {exc}", []
    raise TypeError(f"not a refusal: {type(exc).__name__}")


@app.exception_handler(signing.SignatureInvalid)
def handle_signature(exc: signing.SignatureInvalid) -> Response:
    return _error(*_refusal(exc))


@app.exception_handler(RequestValidationError)
def handle_validation(exc: RequestValidationError) -> Response:
    errors = exc.errors()
    if any(tuple(e.get("loc", ()))[:1] == ("response",) for e in errors):
        # Powertools raises this error for an answer that fails its own model too: our bug.
        return handle_unexpected(exc)
    return _error(422, "invalid request", problems_from(errors))


@app.exception_handler(RequestUnsupportedContentType)
def handle_media_type(exc: RequestUnsupportedContentType) -> Response:
    refused = MediaTypeUnsupported(
        "unsupported media type", [Problem("headers.Content-Type", "must be application/json")]
    )
    return _error(*_refusal(refused))


@app.exception_handler(RequestRefused)
def handle_refused(exc: RequestRefused) -> Response:
    return _error(*_refusal(exc))


@app.exception_handler(RequestInvalid)
def handle_invalid(exc: RequestInvalid) -> Response:
    return _error(422, "invalid request", exc.problems)


@app.exception_handler(InvalidPageToken)
def handle_token(exc: InvalidPageToken) -> Response:
    return _error(422, "invalid request", [Problem("query.next_token", str(exc))])


@app.exception_handler(RunNotFound)
def handle_not_found(exc: RunNotFound) -> Response:
    return _error(404, str(exc))


@app.not_found
def handle_no_route(exc: NotFoundError) -> Response:
    return _error(404, "no such route")


@app.exception_handler([TransitionRefused, IdempotencyKeyReused, DuplicateInProgress])
def handle_conflict(exc: Exception) -> Response:
    return _error(409, str(exc))


@app.exception_handler(ProviderError)
def handle_provider(exc: ProviderError) -> Response:
    status = 503 if exc.retryable else 502
    return _error(status, f"provider error: {exc}")


@app.exception_handler(SecretInvalid)
def handle_secret(exc: SecretInvalid) -> Response:
    return _error(*_refusal(exc))


@app.exception_handler(Exception)
def handle_unexpected(exc: Exception) -> Response:
    """Our bug, not the caller's: the stack trace goes to the log, the correlation id to both."""
    logger.exception("unexpected error", extra={"error_type": type(exc).__name__})
    return _error(500, "internal error")


def _responses(*statuses: int, success: int = 200) -> dict[int, Any]:
    """OpenAPI entries for every answer of a route: its success (whose schema Powertools takes
    from the route's return type) and its errors, all in the ApiError shape."""
    content = {"application/json": {"model": ApiError}}
    errors = {s: {"description": ERRORS[s], "content": content} for s in {*COMMON, *statuses}}
    return {success: {"description": "Successful Response"}, **dict(sorted(errors.items()))}


ERRORS = {
    400: "Body not a JSON document in UTF-8, nested too deeply, or invalid Unicode",
    401: "Unsigned, stale or wrongly signed (the header at fault is named)",
    404: "No such run",
    409: "Conflict: the run's status, or an Idempotency-Key used with another body",
    413: f"Body over {intake.MAX_BODY_BYTES} bytes",
    415: "Content-Type is not application/json",
    422: "Invalid request: every bad field is listed",
    500: "Internal or configuration error (with a correlation id)",
    502: "The provider refused the call",
    503: "The provider is unavailable; retry later",
}
COMMON = (400, 401, 413, 415, 422, 500)
"""What every signed route can answer: `screen`, parameter validation and the unexpected."""


# -- routes --------------------------------------------------------------------------------------


def _location(run_id: str) -> str:
    """`/simulations/{id}` under the path the caller used (stage or custom domain base path)."""
    event = app.current_event
    full = event.request_context.path or event.path
    prefix = full[: -len(event.path)] if full.endswith(event.path) else ""
    return f"{prefix}/simulations/{run_id}"


def _start(submission: dict[str, Any], chosen_key: bool) -> dict[str, Any]:
    from aws_lambda_powertools.utilities.idempotency.exceptions import (  # noqa: PLC0415
        IdempotencyAlreadyInProgressError,
        IdempotencyValidationError,
    )

    rt = runtime()
    try:
        return rt.start_once(submission=submission)
    except IdempotencyValidationError:
        raise IdempotencyKeyReused(
            f"{IDEMPOTENCY_HEADER} was already used with a different request body"
        ) from None
    except IdempotencyAlreadyInProgressError:
        if chosen_key:
            # The run id follows from the key: the request in progress is creating this run.
            record = rt.services.repository.find(submission["run_id"])
            status = record.status.value if record else RunStatus.PENDING.value
            return {"run_id": submission["run_id"], "status": status}
    for delay in IN_PROGRESS_WAITS:
        time.sleep(delay)
        try:
            return rt.start_once(submission=submission)
        except IdempotencyAlreadyInProgressError:
            continue
    raise DuplicateInProgress("the same request is being started right now; retry shortly")


@app.post(
    "/simulations",
    summary="Start a simulation run",
    description="Validates the request envelope, stores the run and starts its workflow. "
    "Send an Idempotency-Key header to make retries safe (else the body is the key).",
    responses={
        **_responses(409, success=202),
        202: {"description": "Accepted", "content": {"application/json": {"model": Accepted}}},
    },
    tags=["simulations"],
)
@tracer.capture_method
def start_simulation(request: Annotated[RunRequestBody, Body()]) -> Response[Accepted]:  # type: ignore[valid-type]
    stored = request.stored()
    headers = app.current_event.headers  # Powertools: case-insensitive
    identity = ids.webhook_identity(
        stored, headers.get(IDEMPOTENCY_HEADER), headers.get(signing.TIMESTAMP_HEADER) or ""
    )
    logger.set_correlation_id(identity.run_id)
    submission = {"key": identity.idempotency_key, "run_id": identity.run_id, "request": stored}
    answer = _start(submission, identity.chosen_by_caller)
    accepted = Accepted(
        run_id=answer["run_id"],
        status=RunStatus(answer["status"]),
        location=_location(answer["run_id"]),
    )
    logger.set_correlation_id(accepted.run_id)
    logger.info("run accepted", extra={"run_id": accepted.run_id, "status": accepted.status})
    return Response(
        status_code=202,
        content_type=content_types.APPLICATION_JSON,
        body=accepted,
        headers={"Location": accepted.location},
    )


def _label_filters(labels: list[str] | None) -> dict[str, str]:
    parsed: dict[str, str] = {}
    for item in labels or []:
        key, sep, value = item.partition(":")
        if not sep or not re.fullmatch(LABEL_KEY_PATTERN, key) or len(value) > MAX_LABEL_VALUE:
            raise RequestInvalid([Problem("query.label", "must be key:value, as labels are")])
        parsed[key] = value
    return parsed


def _since(moment: datetime | None) -> datetime | None:
    """`since` in UTC (a naive time is taken as UTC); a time UTC cannot express is refused."""
    if moment is None:
        return None
    try:
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except OverflowError:
        raise RequestInvalid([Problem("query.since", "must be a time after year 1")]) from None


@app.get(
    "/simulations",
    summary="List runs, newest first",
    responses=_responses(),
    tags=["simulations"],
)
@tracer.capture_method
def list_simulations(
    provider: Annotated[ProviderName | None, Query()] = None,
    status: Annotated[RunStatus | None, Query()] = None,
    label: Annotated[
        list[str] | None, Query(description="key:value; repeat for AND", max_length=20)
    ] = None,
    since: Annotated[datetime | None, Query(description="Only runs created at or after")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    next_token: Annotated[str | None, Query(max_length=2048)] = None,
) -> RunList:
    query = RunQuery(
        provider=provider,
        status=status,
        labels=_label_filters(label),
        since=_since(since),
        limit=limit,
        next_token=next_token,
    )
    page = runtime().services.repository.list_runs(query)
    return RunList(runs=[RunView.of(r) for r in page.runs], next_token=page.next_token)


@app.get(
    "/simulations/<run_id>",
    summary="Get one run",
    responses=_responses(404),
    tags=["simulations"],
)
@tracer.capture_method
def get_simulation(run_id: RunId) -> RunView:
    logger.set_correlation_id(run_id)
    return RunView.of(runtime().services.repository.get(run_id))


@app.get(
    "/simulations/<run_id>/cases",
    summary="The run's results, one item per call or case, in call order (paginated)",
    responses=_responses(404),
    tags=["simulations"],
)
@tracer.capture_method
def list_cases(
    run_id: RunId,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    next_token: Annotated[str | None, Query(max_length=2048)] = None,
) -> CaseList:
    logger.set_correlation_id(run_id)
    repository = runtime().services.repository
    repository.get(run_id)  # 404 for an unknown run, rather than an empty page
    page = repository.case_page(run_id, limit=limit, next_token=next_token)
    return CaseList(run_id=run_id, cases=page.cases, next_token=page.next_token)


@app.get(
    "/simulations/<run_id>/history",
    summary="The run's status changes, oldest first",
    responses=_responses(404),
    tags=["simulations"],
)
@tracer.capture_method
def get_history(run_id: RunId) -> History:
    logger.set_correlation_id(run_id)
    repository = runtime().services.repository
    repository.get(run_id)
    return History(run_id=run_id, history=repository.history(run_id))


@app.post(
    "/simulations/<run_id>/stop",
    summary="Stop a run on the provider and end its workflow as STOPPED",
    responses=_responses(404, 409, 502, 503),
    tags=["simulations"],
)
@tracer.capture_method
def stop_simulation(run_id: RunId) -> RunView:
    logger.set_correlation_id(run_id)
    deadline = api_deadline(app.current_event.raw_event, app.lambda_context)
    record = stop(runtime().services.within(deadline), run_id)
    telemetry.run_finished(metrics, record.status)
    return RunView.of(record)


@app.get(OPENAPI_PATH, include_in_schema=False)
def openapi_document() -> Response[str]:
    from aws_lambda_powertools.event_handler.openapi.models import APIKey, APIKeyIn  # noqa: PLC0415

    document = app.get_openapi_json_schema(
        title="agentsim",
        version="1.0.0",
        summary="Start and follow voice-agent simulations on OmniDimension, Bluejay, Synthflow",
        description="Sign every request: X-Agentsim-Timestamp (unix seconds) and "
        "X-Agentsim-Signature: v1=<hex HMAC-SHA256(webhook secret, timestamp + '.' + raw body)>, "
        f"within five minutes. Bodies are JSON (UTF-8, I-JSON), at most {intake.MAX_BODY_BYTES} "
        f"bytes, nested at most {intake.MAX_JSON_DEPTH} levels.",
        security_schemes={
            "timestamp": APIKey(name=signing.TIMESTAMP_HEADER, in_=APIKeyIn.header),
            "signature": APIKey(name=signing.SIGNATURE_HEADER, in_=APIKeyIn.header),
        },
        security=[{"timestamp": [], "signature": []}],
    )
    return Response(status_code=200, content_type=content_types.APPLICATION_JSON, body=document)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        refusal = _screened(event)
        if refusal is not None:
            return refusal
        runtime().idempotency.register_lambda_context(context)
        return app.resolve(event, context)
    except Exception as exc:  # outside any route (screening, the resolver): same answer as inside
        logger.exception("unexpected error", extra={"error_type": type(exc).__name__})
        return _proxy_error(500, "internal error")
