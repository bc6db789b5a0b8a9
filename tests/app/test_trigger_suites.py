"""The trigger function with suites: a `StartSuite` event or a schedule whose input has `suite`
starts a suite under an id derived from the trigger (a repeat starts nothing new); an invalid
suite is recorded as a FAILED suite, counted, and the handler returns normally."""

from __future__ import annotations

from typing import Any

import pytest
from support.aws_fixtures import Stack
from support.handlers import LambdaContext, load_handler, metric_total, sample_event
from support.suite_requests import suite_request

from agentsim.runs import ids
from agentsim.runs.services import Services
from agentsim.suites.record import SuiteStatus


@pytest.fixture
def trigger(stack: Stack) -> Any:
    return load_handler("trigger")


def suite_event(detail: Any = None) -> dict[str, Any]:
    event = sample_event("event_start_simulation.json")
    return {
        **event,
        "detail-type": "StartSuite",
        "detail": suite_request() if detail is None else detail,
    }


def suite_schedule(request: Any = None) -> dict[str, Any]:
    event = sample_event("schedule_nightly.json")
    return {**event, "request": suite_request() if request is None else request}


def test_start_suite_event_starts_a_suite_named_after_the_event(
    trigger: Any, stack: Stack, services: Services
) -> None:
    event = suite_event()

    answer = trigger.lambda_handler(event, LambdaContext())

    suite_id = ids.suite_id_for("event", event["id"])
    assert (answer["suite_id"], answer["created"]) == (suite_id, True)
    assert answer["runs"] == [ids.child_run_id(suite_id, i) for i in range(3)]
    assert services.require_suites().get(suite_id).trigger.value == "event"
    assert stack.suite_executions() == [suite_id]
    assert stack.run_executions() == []


def test_redelivered_start_suite_event_starts_nothing_new(trigger: Any, stack: Stack) -> None:
    event = suite_event()
    first = trigger.lambda_handler(event, LambdaContext())

    again = trigger.lambda_handler(event, LambdaContext())

    assert (again["suite_id"], again["created"], again["runs"]) == (
        first["suite_id"],
        False,
        first["runs"],
    )
    assert len(stack.suite_executions()) == 1


def test_schedule_input_with_a_suite_starts_a_suite(
    trigger: Any, stack: Stack, services: Services
) -> None:
    event = suite_schedule()

    answer = trigger.lambda_handler(event, LambdaContext())

    suite_id = ids.suite_id_for("schedule", "agentsim-nightly-regression", event["scheduled_time"])
    assert answer["suite_id"] == suite_id
    assert services.require_suites().get(suite_id).trigger.value == "schedule"
    assert stack.suite_executions() == [suite_id]


def test_the_next_scheduled_time_is_a_new_suite(trigger: Any, stack: Stack) -> None:
    trigger.lambda_handler(suite_schedule(), LambdaContext())

    later = {**suite_schedule(), "scheduled_time": "2026-01-02T03:00:00Z"}
    trigger.lambda_handler(later, LambdaContext())

    assert len(stack.suite_executions()) == 2


def test_an_invalid_suite_event_is_recorded_as_a_failed_suite(
    trigger: Any, stack: Stack, services: Services
) -> None:
    event = suite_event({"suite": {"name": "nightly", "runs": []}})

    answer = trigger.lambda_handler(event, LambdaContext())

    suite_id = ids.suite_id_for("event", event["id"])
    suite = services.require_suites().get(suite_id)
    assert answer["status"] == "FAILED" and "suite.runs" in answer["error"]
    assert suite.status is SuiteStatus.FAILED
    assert [p["path"] for p in (suite.error.problems if suite.error else None) or []] == [
        "suite.runs"
    ]
    assert stack.suite_executions() == []


def test_a_start_suite_event_without_a_suite_is_recorded_as_a_failed_suite(
    trigger: Any, stack: Stack, services: Services
) -> None:
    event = suite_event({"name": "nightly", "runs": []})

    answer = trigger.lambda_handler(event, LambdaContext())

    suite_id = ids.suite_id_for("event", event["id"])
    assert answer["suite_id"] == suite_id
    assert services.require_suites().get(suite_id).status is SuiteStatus.FAILED
    assert stack.run_executions() == [] and stack.suite_executions() == []


def test_an_invalid_suite_is_counted_once(
    trigger: Any, stack: Stack, capsys: pytest.CaptureFixture[str]
) -> None:
    event = suite_event({"suite": {"name": "nightly", "runs": []}})
    trigger.lambda_handler(event, LambdaContext())
    trigger.lambda_handler(event, LambdaContext())

    assert metric_total(capsys.readouterr().out, "InvalidRequests") == 1
