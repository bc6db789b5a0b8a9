"""Reading runs (`GET /simulations`, `/simulations/{id}`, its cases and history) and stopping one
(`POST /simulations/{id}/stop`)."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

import api_answers
import api_report
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from agentsim import observability
from agentsim.invocation import api_deadline
from agentsim.observability import logger
from agentsim.providers.base import ProviderName
from agentsim.runs import labels
from agentsim.runs.errors import Problem, RequestInvalid
from agentsim.runs.record import RunStatus
from agentsim.runs.run_list import RunQuery
from agentsim.runs.services import Services
from agentsim.runs.stop import stop
from agentsim.runs.views import CaseList, History, RunList, RunView

MAX_RUN_ID = 128
RunId = Annotated[str, Path(min_length=1, max_length=MAX_RUN_ID)]
Limit = Annotated[int, Query(ge=1, le=100)]
NextToken = Annotated[str | None, Query(max_length=2048)]
RUN = "/simulations/<run_id>"


def router(services: Callable[[], Services]) -> Router:
    routes = api_answers.new_router()

    @api_answers.route(routes, "GET /simulations")
    def list_simulations(
        provider: Annotated[ProviderName | None, Query()] = None,
        status: Annotated[RunStatus | None, Query()] = None,
        label: Annotated[
            list[str] | None, Query(description="key:value; repeat for AND", max_length=20)
        ] = None,
        since: Annotated[
            datetime | None, Query(description="Only runs created at or after")
        ] = None,
        limit: Limit = 25,
        next_token: NextToken = None,
    ) -> RunList:
        """List runs, newest first"""
        wanted = labels.parse_filters(label or [])
        if wanted is None:
            raise RequestInvalid([Problem("query.label", "must be key:value, as labels are")])
        query = RunQuery(
            provider=provider,
            status=status,
            labels=wanted,
            since=_since(since),
            limit=limit,
            next_token=next_token,
        )
        page = services().runs.list_runs(query)
        return RunList(runs=[RunView.of(r) for r in page.runs], next_token=page.next_token)

    @api_answers.route(routes, f"GET {RUN}", 404)
    def get_simulation(run_id: RunId) -> RunView:
        """Get one run"""
        logger().set_correlation_id(run_id)
        view = RunView.of(services().runs.get(run_id))
        view.report_url = (
            services().require_links().url(run_id, api_report.base_url(routes.current_event))
        )
        return view

    @api_answers.route(routes, f"GET {RUN}/cases", 404)
    def list_cases(run_id: RunId, limit: Limit = 25, next_token: NextToken = None) -> CaseList:
        """The run's results, one item per call or case, in call order (paginated)"""
        logger().set_correlation_id(run_id)
        services().runs.get(run_id)  # 404 for an unknown run, rather than an empty page
        page = services().items.case_page(run_id, limit=limit, next_token=next_token)
        return CaseList(run_id=run_id, cases=page.cases, next_token=page.next_token)

    @api_answers.route(routes, f"GET {RUN}/history", 404)
    def get_history(run_id: RunId) -> History:
        """The run's status changes, oldest first"""
        logger().set_correlation_id(run_id)
        services().runs.get(run_id)
        return History(run_id=run_id, history=services().items.history(run_id))

    @api_answers.route(routes, f"POST {RUN}/stop", 404, 409, 502, 503)
    def stop_simulation(run_id: RunId) -> RunView:
        """Stop a run on the provider and end its workflow as STOPPED"""
        logger().set_correlation_id(run_id)
        deadline = api_deadline(routes.current_event.raw_event, routes.lambda_context)
        record = stop(services().within(deadline), run_id)
        observability.run_finished(record.status)
        return RunView.of(record)

    return routes


def _since(moment: datetime | None) -> datetime | None:
    """`since` in UTC (a naive time is taken as UTC); a time UTC cannot express is refused."""
    if moment is None:
        return None
    try:
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except OverflowError:
        raise RequestInvalid([Problem("query.since", "must be a time after year 1")]) from None
