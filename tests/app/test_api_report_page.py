"""`GET /simulations/{id}/report` through the API handler (moto, the stack's secret): the run's
`report_url` opens its page unsigned; a missing, expired or altered link gets a 401 page and no
data; the Swagger UI is served with its assets inline."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from support.aws_fixtures import Stack
from support.handlers import LambdaContext, answer, load_handler, resign, sample_event
from support.report_records import HOSTILE, cases, regressed_run

from agentsim.providers.base import CaseResult
from agentsim.runs.services import Services

Call = Callable[[dict[str, Any]], dict[str, Any]]


@pytest.fixture
def call(stack: Stack) -> Call:
    api = load_handler("api")
    return lambda event: api.lambda_handler(event, LambdaContext())


@pytest.fixture
def run_id(services: Services) -> str:
    record = regressed_run()
    services.runs.create(record)
    services.items.put_cases(record.run_id, [CaseResult.model_validate(c) for c in cases()])
    return record.run_id


def report_url(call: Call, run_id: str) -> str:
    event = sample_event("api_get_simulation.json")
    event = {**event, "path": f"/simulations/{run_id}", "pathParameters": {"run_id": run_id}}
    status, _, body = answer(call(resign(event)))
    assert status == 200, body
    return str(body["report_url"])


def page_event(run_id: str, query: dict[str, str] | None) -> dict[str, Any]:
    event = sample_event("api_get_report.json")
    return {
        **event,
        "path": f"/simulations/{run_id}/report",
        "pathParameters": {"run_id": run_id},
        "queryStringParameters": query,
        "multiValueQueryStringParameters": {k: [v] for k, v in (query or {}).items()} or None,
    }


def link_query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def html_of(response: dict[str, Any]) -> tuple[int, str, str]:
    headers = {k: v[-1] for k, v in (response.get("multiValueHeaders") or {}).items()}
    headers.update(response.get("headers") or {})
    return response["statusCode"], headers.get("Content-Type", ""), response["body"]


def test_the_run_view_carries_a_share_link_under_the_host_it_was_reached_at(
    call: Call, run_id: str
) -> None:
    url = report_url(call, run_id)

    split = urlsplit(url)
    assert (split.scheme, split.netloc) == (
        "https",
        "abcdef1234.execute-api.us-east-1.amazonaws.com",
    )
    assert split.path == f"/v1/simulations/{run_id}/report"
    assert set(link_query(url)) == {"expires", "signature"}


def test_the_share_link_opens_the_report_unsigned(call: Call, run_id: str) -> None:
    query = link_query(report_url(call, run_id))

    status, media_type, page = html_of(call(page_event(run_id, query)))

    assert (status, media_type) == (200, "text/html; charset=utf-8")
    assert 'data-verdict="REGRESSED"' in page
    assert "&lt;script&gt;" in page and HOSTILE not in page


@pytest.mark.parametrize("change", ["missing", "signature", "expires", "other run"])
def test_a_missing_or_altered_link_gets_a_401_page_and_no_data(
    call: Call, run_id: str, change: str
) -> None:
    query = link_query(report_url(call, run_id))
    target = run_id
    if change == "missing":
        query = {}
    elif change == "signature":
        query["signature"] = query["signature"][::-1]
    elif change == "expires":
        query["expires"] = str(int(query["expires"]) + 1)
    else:
        target = "another-run"

    status, media_type, page = html_of(call(page_event(target, query or None)))

    assert (status, media_type) == (401, "text/html; charset=utf-8")
    assert "does not open a report" in page
    assert "Polite caller" not in page and "REGRESSED" not in page


def test_the_swagger_ui_is_served_unsigned_with_its_assets_inline(call: Call, stack: Stack) -> None:
    event = {**sample_event("api_openapi.json"), "path": "/swagger", "resource": "/swagger"}

    status, _, page = html_of(call(event))

    assert status == 200
    assert "SwaggerUIBundle" in page and "/simulations/{run_id}/report" in page
    assert re.search(r"<script[^>]*\ssrc=", page) is None
    assert re.search(r"<link[^>]*stylesheet", page) is None
