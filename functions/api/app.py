"""REST API: start (`POST /simulations`), get, list and stop runs, a run's report page; suites
(`POST /suites`, get, list, report page); a series' history (`GET /series`); Bluejay's webhooks
(`POST /webhooks/bluejay`, signed by Bluejay); `GET /openapi.json` and its Swagger UI.

A request is screened first (`api_screening`: signature, size, media type, readable JSON; an
unsigned or unreadable one never reaches a route, so nothing is written; a report page checks
its share link instead), then Powertools validates its fields (422) and the route runs
(`api_start`, `api_suites`, `api_runs`, `api_series`, `api_bluejay`, `api_report`,
`api_openapi`). Every error answer comes from `api_answers`; anything no handler expects
answers 500 with the correlation id, logged with its stack trace but never the request body.

The function's settings are read when Lambda imports this module (`ApiSettings`: a missing
variable fails the init, naming it); its services are built on the first invocation and kept
while the function is warm.
"""

import functools
from typing import Any

import api_answers
import api_bluejay
import api_openapi
import api_report
import api_runs
import api_screening
import api_series
import api_start
import api_suites
from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.logging import correlation_paths

from agentsim import observability
from agentsim.runs.settings import ApiSettings
from agentsim.runs.wiring import build_services, secrets_of

settings = ApiSettings.from_env()
services = functools.cache(lambda: build_services(settings))

app = APIGatewayRestResolver(enable_validation=True)
api_answers.register(app)
app.include_router(api_start.router(services))
app.include_router(api_suites.router(services))
app.include_router(api_runs.router(services))
app.include_router(api_series.router(services))
app.include_router(api_bluejay.router(services))
app.include_router(api_report.router(services))
api_openapi.register(app)


def webhook_secret() -> str:
    return secrets_of(settings).webhook()


def bluejay_key() -> bytes:
    return secrets_of(settings).bluejay_signing_key()


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    try:
        refusal = api_screening.refusal(event, webhook_secret, bluejay_key)
        if refusal is not None:
            return refusal
        api_openapi.prepare(app, str(event.get("httpMethod", "")), str(event.get("path", "")))
        return app.resolve(event, context)
    except Exception as exc:  # outside any route (screening, the resolver): same answer as inside
        observability.logger().exception(
            "unexpected error", extra={"error_type": type(exc).__name__}
        )
        return api_answers.proxy_error(500, "internal error")


lambda_handler = observability.observed(
    handle, correlation_id_path=correlation_paths.API_GATEWAY_REST
)
