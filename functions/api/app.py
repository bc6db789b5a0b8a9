"""REST API: start (`POST /simulations`), get, list and stop runs; `GET /openapi.json`.

Every route but the OpenAPI document needs an HMAC signature (`agentsim.runs.signing`).
Powertools validates the request before user middlewares run, so the signature is checked in
two places that together cover every request: the `require_signature` middleware (valid
requests) and the `RequestValidationError` handler (invalid ones). An unsigned request gets 401
whatever its body, and never reaches a route, so nothing is written.

Starting is idempotent (Powertools Idempotency on `start_once`): the key is the
`Idempotency-Key` header, else the canonical body. The run id is derived from the same key
(`agentsim.runs.ids`), so even two concurrent duplicates name one run and one execution.
"""

import base64
import functools
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from agentsim.invocation import api_deadline
from agentsim.providers.base import ProviderName
from agentsim.providers.errors import ProviderError
from agentsim.runs import ids, signing, telemetry
from agentsim.runs.envelope import parse_request, problems_from, request_union
from agentsim.runs.errors import (
    InvalidPageToken,
    Problem,
    RequestInvalid,
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


# -- authentication ------------------------------------------------------------------------------


def _raw_body() -> bytes:
    event = app.current_event
    body = event.body or ""
    return base64.b64decode(body) if event.is_base64_encoded else body.encode("utf-8")


def authenticate() -> None:
    """Raise SignatureInvalid unless the request is signed with the stack's webhook secret."""
    secret = secrets_of(runtime().settings).webhook()
    signing.verify(secret, _raw_body(), app.current_event.headers)


def require_signature(router: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response:
    if router.current_event.path != OPENAPI_PATH:
        authenticate()
    return next_middleware(router)


app.use(middlewares=[require_signature])


# -- answers -------------------------------------------------------------------------------------


def _error(status: int, message: str, problems: list[Problem] | None = None) -> Response:
    body = ApiError.model_validate(
        {"message": message, "errors": [p.to_dict() for p in problems or []]}
    )
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=body.model_dump_json(),
    )


def _unauthorized(exc: signing.SignatureInvalid) -> Response:
    logger.warning("refused an unsigned or badly signed request", extra={"reason": str(exc)})
    return _error(401, f"unauthorized: {exc}")


@app.exception_handler(signing.SignatureInvalid)
def handle_signature(exc: signing.SignatureInvalid) -> Response:
    return _unauthorized(exc)


@app.exception_handler(RequestValidationError)
def handle_validation(exc: RequestValidationError) -> Response:
    try:
        authenticate()
    except signing.SignatureInvalid as refused:
        return _unauthorized(refused)
    problems = problems_from(exc.errors())
    return _error(422, "invalid request", problems)


@app.exception_handler(RequestInvalid)
def handle_invalid(exc: RequestInvalid) -> Response:
    return _error(422, "invalid request", exc.problems)


@app.exception_handler(InvalidPageToken)
def handle_token(exc: InvalidPageToken) -> Response:
    return _error(422, "invalid request", [Problem("query.next_token", str(exc))])


@app.exception_handler(RunNotFound)
def handle_not_found(exc: RunNotFound) -> Response:
    return _error(404, str(exc))


@app.exception_handler([TransitionRefused, IdempotencyKeyReused, DuplicateInProgress])
def handle_conflict(exc: Exception) -> Response:
    return _error(409, str(exc))


@app.exception_handler(ProviderError)
def handle_provider(exc: ProviderError) -> Response:
    status = 503 if exc.retryable else 502
    return _error(status, f"provider error: {exc}")


@app.exception_handler(SecretInvalid)
def handle_secret(exc: SecretInvalid) -> Response:
    logger.error("the stack's secret is not usable", extra={"reason": str(exc)})
    return _error(500, f"configuration error: {exc}")


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
        202: {"description": "Accepted", "content": {"application/json": {"model": Accepted}}},
        401: {"description": "Unsigned, stale or wrongly signed"},
        409: {"description": "Idempotency-Key reused with another body"},
        422: {"description": "Invalid request: every bad field is listed"},
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
        if not sep or not key:
            raise RequestInvalid([Problem("query.label", "must be key:value")])
        parsed[key] = value
    return parsed


@app.get("/simulations", summary="List runs, newest first", tags=["simulations"])
@tracer.capture_method
def list_simulations(
    provider: Annotated[ProviderName | None, Query()] = None,
    status: Annotated[RunStatus | None, Query()] = None,
    label: Annotated[list[str] | None, Query(description="key:value; repeat for AND")] = None,
    since: Annotated[datetime | None, Query(description="Only runs created at or after")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    next_token: Annotated[str | None, Query(max_length=2048)] = None,
) -> RunList:
    query = RunQuery(
        provider=provider,
        status=status,
        labels=_label_filters(label),
        since=since,
        limit=limit,
        next_token=next_token,
    )
    page = runtime().services.repository.list_runs(query)
    return RunList(runs=[RunView.of(r) for r in page.runs], next_token=page.next_token)


@app.get("/simulations/<run_id>", summary="Get one run", tags=["simulations"])
@tracer.capture_method
def get_simulation(run_id: str) -> RunView:
    logger.set_correlation_id(run_id)
    return RunView.of(runtime().services.repository.get(run_id))


@app.get(
    "/simulations/<run_id>/cases",
    summary="The run's results, one item per call or case, in call order (paginated)",
    tags=["simulations"],
)
@tracer.capture_method
def list_cases(
    run_id: str,
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
    tags=["simulations"],
)
@tracer.capture_method
def get_history(run_id: str) -> History:
    logger.set_correlation_id(run_id)
    repository = runtime().services.repository
    repository.get(run_id)
    return History(run_id=run_id, history=repository.history(run_id))


@app.post(
    "/simulations/<run_id>/stop",
    summary="Stop a run on the provider and end its workflow as STOPPED",
    tags=["simulations"],
)
@tracer.capture_method
def stop_simulation(run_id: str) -> RunView:
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
        "within five minutes.",
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
    runtime().idempotency.register_lambda_context(context)
    return app.resolve(event, context)
