"""`GET /simulations/{id}/cases` (per-case results, paginated), `GET /simulations/{id}/history`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from support.aws_fixtures import Stack
from support.handlers import LambdaContext, answer, load_handler, resign, sample_event
from support.run_requests import bluejay_request

from agentsim.providers.base import CaseResult, CaseVerdict
from agentsim.runs.envelope import parse_request
from agentsim.runs.record import Change, Origin, RunStatus
from agentsim.runs.services import Services
from agentsim.runs.submit import submit

Call = Callable[[dict[str, Any]], tuple[int, dict[str, str], Any]]


@pytest.fixture
def call(stack: Stack) -> Call:
    api = load_handler("api")
    return lambda event: answer(api.lambda_handler(event, LambdaContext()))


def cases_event(run_id: str, **query: str) -> dict[str, Any]:
    event = sample_event("api_list_cases.json")
    path = f"/simulations/{run_id}/cases"
    return resign(
        {
            **event,
            "path": path,
            "pathParameters": {"run_id": run_id},
            "queryStringParameters": query or None,
            "multiValueQueryStringParameters": {k: [v] for k, v in query.items()} or None,
        }
    )


def history_event(run_id: str) -> dict[str, Any]:
    event = sample_event("api_get_history.json")
    path = f"/simulations/{run_id}/history"
    return resign({**event, "path": path, "pathParameters": {"run_id": run_id}})


def finished_run(services: Services, run_id: str, cases: int) -> None:
    submit(services, run_id, parse_request(bluejay_request()), Origin.WEBHOOK)
    services.items.put_cases(
        run_id,
        [
            CaseResult(case_id=f"call-{n}", verdict=CaseVerdict.PASSED if n % 2 else "FAILED")
            for n in range(1, cases + 1)
        ],
    )


def test_cases_come_in_call_order_page_by_page(call: Call, services: Services) -> None:
    finished_run(services, "run-c", cases=5)

    status, _, first = call(cases_event("run-c", limit="2"))
    _, _, second = call(cases_event("run-c", limit="2", next_token=first["next_token"]))
    _, _, last = call(cases_event("run-c", limit="2", next_token=second["next_token"]))

    assert status == 200
    pages = [first, second, last]
    assert [c["case_id"] for p in pages for c in p["cases"]] == [f"call-{n}" for n in range(1, 6)]
    assert [c["verdict"] for c in first["cases"]] == ["PASSED", "FAILED"]
    assert last.get("next_token") is None


def test_cases_of_an_unknown_run_are_404(call: Call, stack: Stack) -> None:
    status, _, body = call(cases_event("nope"))

    assert status == 404
    assert "nope" in body["message"]


def test_a_page_token_of_another_run_is_refused_naming_it(call: Call, services: Services) -> None:
    finished_run(services, "run-a", cases=3)
    finished_run(services, "run-b", cases=3)
    _, _, page = call(cases_event("run-a", limit="1"))

    status, _, body = call(cases_event("run-b", limit="1", next_token=page["next_token"]))

    assert status == 422
    assert body["errors"][0]["path"] == "query.next_token"


def test_history_lists_status_changes_oldest_first(call: Call, services: Services) -> None:
    finished_run(services, "run-h", cases=0)
    services.runs.change(
        "run-h", Change.move(RunStatus.RUNNING, allowed={RunStatus.PENDING}, note="started")
    )

    status, _, body = call(history_event("run-h"))

    assert status == 200
    assert [h["status"] for h in body["history"]] == ["PENDING", "RUNNING"]
    assert body["history"][-1]["note"] == "started"
