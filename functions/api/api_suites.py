"""Suites: start one (`POST /suites`, signed like `POST /simulations`), list them newest first
(`GET /suites`) and get one with its runs (`GET /suites/{suite_id}`). The body is validated
once as a suite request, every run as `POST /simulations` validates one, and handed to the
layer's `submit_suite_webhook`, which owns the suite's identity (see there)."""

from collections.abc import Callable
from typing import Annotated

import api_answers
import api_report
from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query

from agentsim.observability import logger
from agentsim.runs.services import Services
from agentsim.runs.signing import TIMESTAMP_HEADER
from agentsim.runs.webhook import IDEMPOTENCY_HEADER
from agentsim.suites.request import SuiteRequest, check_stored_sizes
from agentsim.suites.steps import view_of
from agentsim.suites.submit import submit_suite_webhook
from agentsim.suites.views import SuiteAccepted, SuiteList, SuiteView

ACCEPTED = 202
SUITE = "/suites/<suite_id>"
SuiteId = Annotated[str, Path(min_length=1, max_length=128)]


def router(services: Callable[[], Services]) -> Router:
    routes = api_answers.new_router()

    @api_answers.route(routes, "POST /suites", 409, success=ACCEPTED, body=SuiteAccepted)
    def start_suite(request: Annotated[SuiteRequest, Body()]) -> Response[SuiteAccepted]:
        """Start a suite of runs

        Validates the suite and every run in it, stores them and starts the suite's workflow.
        Send an Idempotency-Key header to make retries safe.
        """
        check_stored_sizes(request)
        headers = routes.current_event.headers
        submitted = submit_suite_webhook(
            services(),
            request,
            idempotency_key=headers.get(IDEMPOTENCY_HEADER),
            signed_at=headers.get(TIMESTAMP_HEADER) or "",
        )
        location = api_report.prefixed(routes.current_event, f"/suites/{submitted.suite_id}")
        accepted = SuiteAccepted(
            suite_id=submitted.suite_id,
            status=submitted.status,
            runs=submitted.runs,
            location=location,
        )
        logger().set_correlation_id(accepted.suite_id)
        logger().info("suite accepted", extra={"suite_id": accepted.suite_id})
        return Response(
            status_code=ACCEPTED,
            content_type=content_types.APPLICATION_JSON,
            body=accepted,
            headers={"Location": location},
        )

    @api_answers.route(routes, "GET /suites")
    def list_suites(
        limit: Annotated[int, Query(ge=1, le=100)] = 25,
        next_token: Annotated[str | None, Query(max_length=2048)] = None,
    ) -> SuiteList:
        """List suites, newest first"""
        page = services().require_suites().list_suites(limit=limit, next_token=next_token)
        base = api_report.base_url(routes.current_event)
        views = [view_of(services(), record, base, live=False) for record in page.suites]
        return SuiteList(suites=views, next_token=page.next_token)

    @api_answers.route(routes, f"GET {SUITE}", 404)
    def get_suite(suite_id: SuiteId) -> SuiteView:
        """Get one suite and its runs"""
        logger().set_correlation_id(suite_id)
        record = services().require_suites().get(suite_id)
        return view_of(services(), record, api_report.base_url(routes.current_event))

    return routes
