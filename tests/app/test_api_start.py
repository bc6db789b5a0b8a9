"""`POST /simulations`: signed requests start exactly one run per key; everything else is
refused before anything is written."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from support.aws_fixtures import Stack
from support.handlers import (
    LambdaContext,
    answer,
    api_event,
    load_handler,
    resign,
    sample_event,
    with_body,
)
from support.run_requests import bluejay_request, omnidimension_request


@pytest.fixture
def call(stack: Stack) -> Callable[[dict[str, Any]], tuple[int, dict[str, str], Any]]:
    api = load_handler("api")
    return lambda event: answer(api.lambda_handler(event, LambdaContext()))


def executions(stack: Stack) -> list[dict[str, Any]]:
    sfn = boto3.client("stepfunctions")
    return sfn.list_executions(stateMachineArn=stack.state_machine_arn)["executions"]


def start_event(body: Any = None, **headers: str) -> dict[str, Any]:
    event = sample_event("api_start_simulation.json")
    sent = {k: v for k, v in event["headers"].items() if k != "Idempotency-Key"}
    event = {**event, "headers": {**sent, **headers}}
    return with_body(event, bluejay_request() if body is None else body)


def test_sample_request_is_accepted_with_202_and_a_location(call: Any, stack: Stack) -> None:
    status, headers, body = call(resign(sample_event("api_start_simulation.json")))

    assert status == 202
    assert body["status"] == "PENDING"
    assert headers["Location"] == f"/v1/simulations/{body['run_id']}" == body["location"]
    assert [e["name"] for e in executions(stack)] == [body["run_id"]]


def test_accepted_run_is_stored_pending_with_its_request(call: Any, stack: Stack) -> None:
    _, _, body = call(start_event(bluejay_request(labels={"team": "voice"})))

    item = boto3.client("dynamodb").get_item(
        TableName=stack.tables["RunsTable"], Key={"run_id": {"S": body["run_id"]}}
    )["Item"]
    assert item["status"] == {"S": "PENDING"}
    assert item["trigger"] == {"S": "webhook"}
    assert item["labels"] == {"M": {"team": {"S": "voice"}}}


@pytest.mark.parametrize(
    ("case", "tamper"),
    [
        ("unsigned", lambda e: {**e, "headers": {"Content-Type": "application/json"}}),
        ("stale", lambda e: resign(e, timestamp=int(time.time()) - 301)),
        ("wrong secret", lambda e: resign(e, secret="not-the-webhook-secret")),
        ("tampered body", lambda e: {**e, "body": e["body"].replace("12", "13")}),
    ],
)
def test_badly_signed_request_is_refused_and_nothing_is_written(
    call: Any, stack: Stack, case: str, tamper: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    status, _, body = call(tamper(start_event()))

    assert status == 401, case
    assert body["message"].startswith("unauthorized")
    assert stack.stored_items() == 0
    assert executions(stack) == []


def test_unsigned_invalid_body_gets_401_not_the_validation_details(call: Any, stack: Stack) -> None:
    event = api_event("POST", "/simulations", body={"provider": "nope"}, signed=False)

    status, _, body = call(event)

    assert status == 401
    # the missing signature header is named; nothing of the body is judged
    assert [e["path"] for e in body["errors"]] == ["headers.X-Agentsim-Timestamp"]


def test_invalid_body_gets_422_with_the_path_of_every_bad_field(call: Any, stack: Stack) -> None:
    bad = {
        "provider": "bluejay",
        "simulation": {"agent_id": 12, "max_concurrent": 0},
        "gate": {"min_pass_rate": 2},
        "labels": {"bad key": "x"},
        "timeout_minutes": 0,
    }

    status, _, body = call(start_event(bad))

    assert status == 422
    paths = {e["path"] for e in body["errors"]}
    assert {
        "simulation.agent_id",
        "simulation.max_concurrent",
        "gate.min_pass_rate",
        "timeout_minutes",
    } <= paths
    assert any(p.startswith("labels") for p in paths)
    assert all(e["problem"] for e in body["errors"])
    assert stack.stored_items() == 0


def test_missing_simulation_and_id_is_422_naming_simulation(call: Any, stack: Stack) -> None:
    status, _, body = call(start_event({"provider": "synthflow"}))

    assert status == 422
    assert [e["path"] for e in body["errors"]] == ["simulation"]


def test_malformed_json_is_400_naming_the_body(call: Any, stack: Stack) -> None:
    status, _, body = call(start_event('{"provider": "bluejay",'))

    assert status == 400
    assert [e["path"] for e in body["errors"]] == ["body"]
    assert stack.stored_items() == 0


def test_repeated_idempotency_key_returns_the_first_run(call: Any, stack: Stack) -> None:
    first = call(start_event(**{"Idempotency-Key": "deploy-7"}))
    again = call(start_event(**{"Idempotency-Key": "deploy-7"}))

    assert first[0] == again[0] == 202
    assert first[2]["run_id"] == again[2]["run_id"]
    assert len(executions(stack)) == 1


def test_different_keys_start_different_runs(call: Any, stack: Stack) -> None:
    a = call(start_event(**{"Idempotency-Key": "deploy-7"}))[2]["run_id"]
    b = call(start_event(**{"Idempotency-Key": "deploy-8"}))[2]["run_id"]

    assert a != b
    assert len(executions(stack)) == 2


def test_key_reused_with_another_body_is_a_conflict(call: Any, stack: Stack) -> None:
    call(start_event(**{"Idempotency-Key": "deploy-7"}))

    status, _, body = call(
        start_event(bluejay_request(timeout_minutes=5), **{"Idempotency-Key": "deploy-7"})
    )

    assert status == 409
    assert "different request body" in body["message"]
    assert len(executions(stack)) == 1


def test_without_a_key_the_same_body_is_one_run(call: Any, stack: Stack) -> None:
    first = call(start_event())
    time.sleep(1.1)  # a new signature timestamp: a resend, not a replay
    again = call(start_event())

    assert first[2]["run_id"] == again[2]["run_id"]
    assert len(executions(stack)) == 1


def test_without_a_key_key_order_does_not_matter(call: Any, stack: Stack) -> None:
    body = bluejay_request()
    reordered = json.dumps(dict(reversed(list(body.items()))))

    a = call(start_event(body))[2]["run_id"]
    b = call(start_event(reordered))[2]["run_id"]

    assert a == b


@pytest.mark.parametrize("key", ["", "x" * 129, "tab\tkey"])
def test_unusable_idempotency_key_is_422(call: Any, stack: Stack, key: str) -> None:
    status, _, body = call(start_event(**{"Idempotency-Key": key}))

    assert status == 422
    assert [e["path"] for e in body["errors"]] == ["headers.Idempotency-Key"]


@pytest.mark.parametrize("keyed", [True, False])
def test_concurrent_duplicates_start_one_run(stack: Stack, keyed: bool) -> None:
    # Given the same signed request arriving at two cold functions at the same time
    event = start_event(**({"Idempotency-Key": "race-1"} if keyed else {}))
    functions = [load_handler("api") for _ in range(2)]
    answers: list[tuple[int, dict[str, str], Any]] = []
    barrier = threading.Barrier(2)

    def invoke(api: Any) -> None:
        barrier.wait()
        answers.append(answer(api.lambda_handler(event, LambdaContext())))

    threads = [threading.Thread(target=invoke, args=(api,)) for api in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    # Then both answer 202 with the same run, and only one execution exists
    assert [a[0] for a in answers] == [202, 202]
    assert answers[0][2]["run_id"] == answers[1][2]["run_id"]
    assert [e["name"] for e in executions(stack)] == [answers[0][2]["run_id"]]


def test_a_gate_on_omnidimension_gets_422_naming_the_gate_and_writes_nothing(
    call: Any, stack: Stack
) -> None:
    status, _, body = call(start_event(omnidimension_request(gate={"min_pass_rate": 0.5})))

    assert status == 422
    assert [e["path"] for e in body["errors"]] == ["gate"]
    assert "grades no call" in body["errors"][0]["problem"]
    assert stack.stored_items() == 0


def test_an_accepted_run_is_stored_in_its_series(call: Any, stack: Stack) -> None:
    status, _, body = call(start_event(bluejay_request(series="nightly-support")))

    assert status == 202
    status, _, run = call(api_event("GET", f"/simulations/{body['run_id']}"))
    assert (status, run["series"]) == (200, "nightly-support")
