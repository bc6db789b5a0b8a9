"""`POST /simulations`: the body, validated once as the request envelope, is handed to the
layer's `submit_webhook`, which owns the run's identity and its duplicate guard (see there)."""

from collections.abc import Callable
from typing import Annotated

import api_answers
import api_report
from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body

from agentsim import observability
from agentsim.observability import logger
from agentsim.runs.envelope import AnyRunRequest
from agentsim.runs.services import Services
from agentsim.runs.signing import TIMESTAMP_HEADER
from agentsim.runs.views import Accepted
from agentsim.runs.webhook import IDEMPOTENCY_HEADER, submit_webhook

ACCEPTED = 202


def router(services: Callable[[], Services]) -> Router:
    routes = api_answers.new_router()

    @api_answers.route(routes, "POST /simulations", 409, success=ACCEPTED, body=Accepted)
    def start_simulation(request: Annotated[AnyRunRequest, Body()]) -> Response[Accepted]:
        """Start a simulation run

        Validates the request envelope, stores the run and starts its workflow. Send an
        Idempotency-Key header to make retries safe (else the body is the key).
        """
        headers = routes.current_event.headers  # Powertools: case-insensitive
        submitted = submit_webhook(
            services(),
            request,
            idempotency_key=headers.get(IDEMPOTENCY_HEADER),
            signed_at=headers.get(TIMESTAMP_HEADER) or "",
        )
        if submitted.created:
            observability.count(observability.RUNS_STARTED, dimension=("trigger", "webhook"))
        accepted = Accepted(
            run_id=submitted.run_id,
            status=submitted.status,
            location=api_report.prefixed(routes.current_event, f"/simulations/{submitted.run_id}"),
        )
        logger().set_correlation_id(accepted.run_id)
        logger().info("run accepted", extra={"run_id": accepted.run_id, "status": accepted.status})
        return Response(
            status_code=ACCEPTED,
            content_type=content_types.APPLICATION_JSON,
            body=accepted,
            headers={"Location": accepted.location},
        )

    return routes
