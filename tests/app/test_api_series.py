"""`GET /series?name=`: a series' history through the API handler, signed like every read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from support.aws_fixtures import Stack
from support.handlers import LambdaContext, answer, load_handler, resign, sample_event
from support.run_requests import bluejay_request

from agentsim.runs.envelope import parse_request
from agentsim.runs.outcomes import CaseOutcomes
from agentsim.runs.record import Change, Origin, RunStatus
from agentsim.runs.services import Services
from agentsim.runs.submit import submit

Call = Callable[[dict[str, Any]], tuple[int, dict[str, str], Any]]
SERIES = "bluejay/12/Support line regression"


@pytest.fixture
def call(stack: Stack) -> Call:
    api = load_handler("api")
    return lambda event: answer(api.lambda_handler(event, LambdaContext()))


def series_event(**query: str) -> dict[str, Any]:
    event = sample_event("api_get_series.json")
    return resign(
        {
            **event,
            "queryStringParameters": query or None,
            "multiValueQueryStringParameters": {k: [v] for k, v in query.items()} or None,
        }
    )


def completed_run(services: Services, run_id: str) -> None:
    submit(services, run_id, parse_request(bluejay_request()), Origin.WEBHOOK)
    outcomes = CaseOutcomes.of([("Polite caller", True), ("Polite caller", False)])
    services.runs.change(run_id, Change.move(RunStatus.COMPLETED, outcomes=outcomes))


def test_a_series_name_with_slashes_is_read_from_the_query(call: Call, services: Services) -> None:
    completed_run(services, "run-1")

    status, _, body = call(series_event(name=SERIES))

    assert status == 200
    assert body["series"] == SERIES
    assert [(r["run_id"], r["status"]) for r in body["runs"]] == [("run-1", "COMPLETED")]
    assert body["cases"] == [{"case_key": "Polite caller", "flake_rate": 0.5}]


def test_a_series_without_runs_has_an_empty_history(call: Call, stack: Stack) -> None:
    status, _, body = call(series_event(name="nobody/ran/this"))

    assert (status, body["runs"], body["cases"]) == (200, [], [])


def test_the_series_name_is_required(call: Call, stack: Stack) -> None:
    status, _, body = call(series_event(limit="5"))

    assert status == 422
    assert [e["path"] for e in body["errors"]] == ["query.name"]


def test_an_unsigned_read_is_refused(call: Call, stack: Stack) -> None:
    event = series_event(name=SERIES)
    headers = {k: v for k, v in event["headers"].items() if not k.startswith("X-Agentsim")}
    event = {**event, "headers": headers, "multiValueHeaders": {k: [v] for k, v in headers.items()}}

    assert call(event)[0] == 401
