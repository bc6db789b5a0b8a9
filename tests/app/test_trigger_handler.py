"""The trigger function: schedules and StartSimulation events start runs like the webhook;
repeated deliveries find the first run; invalid requests become FAILED runs, counted."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from support.aws_fixtures import Stack
from support.handlers import LambdaContext, load_handler, metric_total, sample_event

from agentsim.runs import ids


@pytest.fixture
def trigger(stack: Stack) -> Any:
    return load_handler("trigger")


def run(stack: Stack, run_id: str) -> dict[str, Any]:
    item = boto3.client("dynamodb").get_item(
        TableName=stack.tables["RunsTable"], Key={"run_id": {"S": run_id}}
    )["Item"]
    return {k: v.get("S", v) for k, v in item.items()}


def test_scheduled_run_gets_the_id_of_its_schedule_and_time(trigger: Any, stack: Stack) -> None:
    event = sample_event("schedule_nightly.json")

    answer = trigger.lambda_handler(event, LambdaContext())

    expected = ids.run_id_for_schedule("agentsim-nightly-regression", "2026-01-01T03:00:00Z")
    assert answer["run_id"] == expected
    assert run(stack, expected)["trigger"] == "schedule"
    assert stack.run_executions() == [expected]


def test_repeated_schedule_delivery_does_not_start_a_second_run(trigger: Any, stack: Stack) -> None:
    event = sample_event("schedule_nightly.json")
    first = trigger.lambda_handler(event, LambdaContext())

    again = trigger.lambda_handler(event, LambdaContext())

    assert again["run_id"] == first["run_id"]
    assert again["created"] is False
    assert len(stack.run_executions()) == 1


def test_next_night_is_a_new_run(trigger: Any, stack: Stack) -> None:
    event = sample_event("schedule_nightly.json")
    trigger.lambda_handler(event, LambdaContext())

    trigger.lambda_handler({**event, "scheduled_time": "2026-01-02T03:00:00Z"}, LambdaContext())

    assert len(stack.run_executions()) == 2


def test_start_event_starts_a_run_named_after_the_event(trigger: Any, stack: Stack) -> None:
    event = sample_event("event_start_simulation.json")

    answer = trigger.lambda_handler(event, LambdaContext())

    assert answer["run_id"] == ids.run_id_for_event(event["id"])
    assert run(stack, answer["run_id"])["trigger"] == "event"
    assert stack.run_executions() == [answer["run_id"]]


def test_redelivered_event_finds_the_first_run(trigger: Any, stack: Stack) -> None:
    event = sample_event("event_start_simulation.json")
    trigger.lambda_handler(event, LambdaContext())

    again = trigger.lambda_handler(event, LambdaContext())

    assert again["created"] is False
    assert len(stack.run_executions()) == 1


def test_starting_counts_a_run_by_trigger(
    trigger: Any, stack: Stack, capsys: pytest.CaptureFixture[str]
) -> None:
    trigger.lambda_handler(sample_event("event_start_simulation.json"), LambdaContext())

    assert metric_total(capsys.readouterr().out, "RunsStarted", trigger="event") == 1


def test_invalid_scheduled_request_is_recorded_failed_and_counted(
    trigger: Any, stack: Stack, capsys: pytest.CaptureFixture[str]
) -> None:
    event = sample_event("schedule_nightly.json")
    event["request"] = {"provider": "synthflow", "simulation": {}, "timeout_minutes": 99999}

    answer = trigger.lambda_handler(event, LambdaContext())

    assert answer["status"] == "FAILED"
    record = run(stack, answer["run_id"])
    assert record["status"] == "FAILED"
    assert record["trigger"] == "schedule"
    problems = record["error"]["M"]["problems"]["L"]
    paths = {p["M"]["path"]["S"] for p in problems}
    assert {"simulation.target_agent_id", "timeout_minutes"} <= paths
    assert stack.run_executions() == []
    assert metric_total(capsys.readouterr().out, "InvalidRequests", service="agentsim") == 1


def test_invalid_event_request_is_recorded_once_even_when_redelivered(
    trigger: Any, stack: Stack, capsys: pytest.CaptureFixture[str]
) -> None:
    event = {**sample_event("event_start_simulation.json"), "detail": {"provider": "nobody"}}

    first = trigger.lambda_handler(event, LambdaContext())
    again = trigger.lambda_handler(event, LambdaContext())

    assert first["run_id"] == again["run_id"]
    assert run(stack, first["run_id"])["status"] == "FAILED"
    assert metric_total(capsys.readouterr().out, "InvalidRequests") == 1


def test_unrecognised_event_is_an_error_so_it_reaches_the_dlq(trigger: Any, stack: Stack) -> None:
    with pytest.raises(Exception, match="expected an EventBridge event"):
        trigger.lambda_handler({"hello": "world"}, LambdaContext())
