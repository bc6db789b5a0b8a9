"""`GET /simulations/{id}/report` and `GET /suites/{id}/report`: a run's or a suite's report
page, opened by its share link.

Screening lets it through unsigned (a browser cannot sign a request); the route checks the share
link instead (`agentsim.reports.share`): a missing, expired or altered link answers a 401 page
and reads nothing. The page itself is rendered in the layer (`agentsim.reports`).
"""

from collections.abc import Callable
from typing import Annotated, Any

import api_answers
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent
from aws_lambda_powertools.utilities.data_classes.common import BaseProxyEvent

from agentsim.observability import logger
from agentsim.reports.page import CONTENT_SECURITY_POLICY, message_page, refused_page
from agentsim.reports.reading import report_of
from agentsim.reports.share import LinkRefused, report_path, suite_report_path
from agentsim.reports.suite_page import suite_report_of
from agentsim.runs.errors import RunNotFound
from agentsim.runs.services import Services
from agentsim.suites.store import SuiteNotFound

REPORT = "/simulations/<run_id>/report"
SUITE_REPORT = "/suites/<suite_id>/report"
HTML = "text/html; charset=utf-8"
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Cache-Control": "private, no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
LinkPart = Annotated[str | None, Query(description="From the run's report_url")]


def is_report(event: APIGatewayProxyEvent) -> bool:
    """A GET of a run's or a suite's report page: it passes screening and checks its share
    link instead."""
    parts = event.path.split("/")
    return (
        event.http_method.upper() == "GET"
        and len(parts) == 4
        and parts[1] in {"simulations", "suites"}
        and bool(parts[2])
        and parts[3] == "report"
    )


def base_url(event: BaseProxyEvent) -> str:
    """The API's URL as the caller reached it: host, and the stage (or a custom domain's base
    path) that API Gateway put before the route's path."""
    context = event.get("requestContext") or {}
    host = event.headers.get("host") or context.get("domainName") or "localhost"
    scheme = event.headers.get("x-forwarded-proto") or "https"
    full = str(context.get("path") or "")
    if event.path and full.endswith(event.path):
        prefix = full[: -len(event.path)]
    else:
        prefix = f"/{context['stage']}" if context.get("stage") else ""
    return f"{scheme}://{host}{prefix}"


def prefixed(event: BaseProxyEvent, path: str) -> str:
    """`path` under the path the caller used (stage or custom domain base path)."""
    full = (event.get("requestContext") or {}).get("path") or event.path
    prefix = full[: -len(event.path)] if full.endswith(event.path) else ""
    return f"{prefix}{path}"


def html(status: int, page: str) -> Response[str]:
    return Response(status_code=status, content_type=HTML, body=page, headers=PAGE_HEADERS)


def page_route(kind: str) -> dict[str, Any]:
    """What the OpenAPI document says of a report page's route (`kind`: run or suite)."""
    return {
        "summary": f"The {kind}'s report page (HTML), opened by the share link in its report_url",
        "tags": ["reports"],
        "security": [],
        "responses": {
            200: {"description": "The report page", "content": {"text/html": {}}},
            401: {"description": "A missing, expired or altered link", "content": {HTML: {}}},
            404: {"description": f"No such {kind}", "content": {HTML: {}}},
        },
    }


PAGES: dict[str, tuple[Callable[[str], str], Callable[[Services, str], str], type[Exception]]] = {
    "run": (report_path, report_of, RunNotFound),
    "suite": (suite_report_path, suite_report_of, SuiteNotFound),
}
"""Per kind of page: the path its share link opens, its renderer and the error of a missing one."""
PageId = Annotated[str, Path(min_length=1, max_length=128)]


def opened(
    services: Services, kind: str, key: str, link: tuple[str | None, str | None]
) -> Response[str]:
    """The `kind` page of `key` if `link` (expires, signature) opens it, else the 401 page;
    the 404 page when there is no such run or suite."""
    logger().set_correlation_id(key)
    path_of, render, missing = PAGES[kind]
    try:
        services.require_links().check(path_of(key), *link)
    except LinkRefused as refused:
        logger().info("refused a report link", extra={"reason": str(refused)})
        return html(401, refused_page(str(refused)))
    try:
        return html(200, render(services, key))
    except missing:
        return html(
            404, message_page(f"No such {kind}", f"No such {kind}: there is no {kind} {key}.")
        )


def router(services: Callable[[], Services]) -> Router:
    routes = api_answers.new_router()

    @routes.get(REPORT, **page_route("run"))
    def get_report(
        run_id: PageId, expires: LinkPart = None, signature: LinkPart = None
    ) -> Response[str]:
        return opened(services(), "run", run_id, (expires, signature))

    @routes.get(SUITE_REPORT, **page_route("suite"))
    def get_suite_report(
        suite_id: PageId, expires: LinkPart = None, signature: LinkPart = None
    ) -> Response[str]:
        return opened(services(), "suite", suite_id, (expires, signature))

    return routes
