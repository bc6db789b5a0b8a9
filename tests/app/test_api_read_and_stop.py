"""`GET /simulations/{id}`, `GET /simulations` (filters, newest first, opaque pagination),
`POST /simulations/{id}/stop` and the OpenAPI document."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from support.aws_fixtures import Stack
from support.handlers import LambdaContext, answer, load_handler, resign, sample_event
from support.run_requests import bluejay_request

from agentsim.providers.base import ProviderName
from agentsim.runs.envelope import parse_request
from agentsim.runs.record import Origin, RunRecord, RunStatus
from agentsim.runs.services import Services
from agentsim.runs.submit import submit

Call = Callable[[dict[str, Any]], tuple[int, dict[str, str], Any]]
T0 = datetime(2026, 2, 1, tzinfo=UTC)


@pytest.fixture
def call(stack: Stack) -> Call:
    api = load_handler("api")
    return lambda event: answer(api.lambda_handler(event, LambdaContext()))


def get_event(run_id: str) -> dict[str, Any]:
    event = sample_event("api_get_simulation.json")
    return resign({**event, "path": f"/simulations/{run_id}", "pathParameters": {"run_id": run_id}})


def list_event(**query: list[str]) -> dict[str, Any]:
    event = sample_event("api_list_simulations.json")
    return resign(
        {
            **event,
            "queryStringParameters": {k: v[-1] for k, v in query.items()} or None,
            "multiValueQueryStringParameters": query or None,
        }
    )


def stop_event(run_id: str) -> dict[str, Any]:
    event = sample_event("api_stop_simulation.json")
    return resign(
        {**event, "path": f"/simulations/{run_id}/stop", "pathParameters": {"run_id": run_id}}
    )


def seed(services: Services, run_id: str, minutes: int, **fields: Any) -> None:
    created = T0 + timedelta(minutes=minutes)
    services.runs.create(
        RunRecord(
            run_id=run_id,
            trigger=Origin.WEBHOOK,
            created_at=created,
            updated_at=created,
            **{"provider": ProviderName.BLUEJAY, **fields},
        )
    )


def test_get_returns_the_run(call: Call, services: Services) -> None:
    submit(services, "run-1", parse_request(bluejay_request()), Origin.WEBHOOK)

    status, _, body = call(get_event("run-1"))

    assert status == 200
    assert (body["run_id"], body["status"], body["provider"]) == ("run-1", "PENDING", "bluejay")
    assert body["request"]["simulation"] == {"agent_id": "12", "name": "Support line regression"}


def test_get_of_an_unknown_run_is_404(call: Call, stack: Stack) -> None:
    status, _, body = call(get_event("nope"))

    assert status == 404
    assert "nope" in body["message"]


def test_get_must_be_signed_too(call: Call, stack: Stack) -> None:
    event = get_event("run-1")
    event["headers"] = {"Content-Type": "application/json"}

    assert call(event)[0] == 401


def test_list_is_newest_first_and_filtered(call: Call, services: Services) -> None:
    seed(services, "a", 1, labels={"team": "voice"})
    seed(services, "b", 2, provider=ProviderName.SYNTHFLOW, labels={"team": "voice"})
    seed(services, "c", 3, labels={"team": "voice"}, status=RunStatus.COMPLETED)
    seed(services, "d", 4, labels={"team": "web"}, status=RunStatus.COMPLETED)

    def run_ids(**query: list[str]) -> list[str]:
        status, _, body = call(list_event(**query))
        assert status == 200, body
        return [r["run_id"] for r in body["runs"]]

    assert run_ids() == ["d", "c", "b", "a"]
    assert run_ids(provider=["synthflow"]) == ["b"]
    assert run_ids(status=["COMPLETED"], label=["team:voice"]) == ["c"]
    assert run_ids(since=[(T0 + timedelta(minutes=3)).isoformat()]) == ["d", "c"]
    assert run_ids(label=["team:voice"], provider=["bluejay"]) == ["c", "a"]


def test_sample_list_request_is_served(call: Call, services: Services) -> None:
    seed(services, "x", 1, labels={"team": "voice"}, status=RunStatus.COMPLETED)

    status, _, body = call(resign(sample_event("api_list_simulations.json")))

    assert status == 200
    assert [r["run_id"] for r in body["runs"]] == ["x"]


def test_list_pages_with_an_opaque_token(call: Call, services: Services) -> None:
    for minute in range(5):
        seed(services, f"r{minute}", minute)

    first = call(list_event(limit=["2"]))[2]
    second = call(list_event(limit=["2"], next_token=[first["next_token"]]))[2]
    third = call(list_event(limit=["2"], next_token=[second["next_token"]]))[2]

    pages = [[r["run_id"] for r in page["runs"]] for page in (first, second, third)]
    assert pages == [["r4", "r3"], ["r2", "r1"], ["r0"]]
    assert third["next_token"] is None
    assert "r3" not in first["next_token"]  # opaque, not a run id in clear


@pytest.mark.parametrize(
    ("query", "path"),
    [
        ({"limit": ["0"]}, "limit"),
        ({"status": ["DONE"]}, "status"),
        ({"provider": ["vapi"]}, "provider"),
        ({"since": ["yesterday"]}, "since"),
        ({"label": ["no-colon"]}, "query.label"),
        ({"next_token": ["forged"]}, "query.next_token"),
    ],
)
def test_bad_list_query_is_422_naming_the_parameter(
    call: Call, stack: Stack, query: dict[str, list[str]], path: str
) -> None:
    status, _, body = call(list_event(**query))

    assert status == 422
    assert any(e["path"].endswith(path) for e in body["errors"]), body


def test_stop_stops_the_run_and_aborts_its_execution(
    call: Call, services: Services, stack: Stack
) -> None:
    submit(services, "run-1", parse_request(bluejay_request()), Origin.WEBHOOK)

    status, _, body = call(stop_event("run-1"))

    assert status == 200
    assert (body["status"], body["verdict"]) == ("STOPPED", "NONE")
    execution = boto3.client("stepfunctions").describe_execution(
        executionArn=f"{stack.state_machine_arn.replace(':stateMachine:', ':execution:')}:run-1"
    )
    assert execution["status"] == "ABORTED"


def test_stopping_a_finished_run_is_a_conflict(call: Call, services: Services) -> None:
    submit(services, "run-1", parse_request(bluejay_request()), Origin.WEBHOOK)
    call(stop_event("run-1"))

    status, _, body = call(stop_event("run-1"))

    assert status == 409
    assert "STOPPED" in body["message"]


def test_stopping_an_unknown_run_is_404(call: Call, stack: Stack) -> None:
    assert call(stop_event("nope"))[0] == 404


def test_openapi_document_is_served_without_a_signature(call: Call, stack: Stack) -> None:
    status, headers, document = call(sample_event("api_openapi.json"))

    assert status == 200
    assert headers["Content-Type"] == "application/json"
    assert set(document["paths"]) == {
        "/simulations",
        "/simulations/{run_id}",
        "/simulations/{run_id}/cases",
        "/simulations/{run_id}/history",
        "/simulations/{run_id}/stop",
        "/series",
        "/simulations/{run_id}/report",
        "/webhooks/bluejay",
        "/suites",
        "/suites/{suite_id}",
        "/suites/{suite_id}/report",
    }
    schemas = json.dumps(document["components"]["schemas"])
    for model in ("BluejayRunRequest", "SynthflowRunRequest", "OmniDimensionRunRequest"):
        assert model in schemas
