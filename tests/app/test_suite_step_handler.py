"""The suite workflow's step function (functions/suite_step), invoked with the payloads
statemachine/run_suite.asl.yaml sends: `prepare` (with the stack's SUITE_CONCURRENCY), `child`,
`finish`, `fail`."""

from __future__ import annotations

from typing import Any

import pytest
from support.aws_fixtures import Stack
from support.handlers import LambdaContext, load_handler
from support.suite_requests import suite_request

from agentsim.runs import ids
from agentsim.runs.record import Origin
from agentsim.runs.services import Services
from agentsim.suites.request import parse_suite
from agentsim.suites.submit import submit_suite

SUITE_ID = "suite-1"
ARN = "arn:aws:states:us-east-1:123456789012:execution:test-run-suite:suite-1"


@pytest.fixture
def step(stack: Stack, services: Services, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("SUITE_CONCURRENCY", "3")
    submit_suite(services, SUITE_ID, parse_suite(suite_request()), Origin.EVENT)
    handler = load_handler("suite_step").lambda_handler
    return lambda **payload: handler({"suite_id": SUITE_ID, **payload}, LambdaContext())


def test_prepare_gives_each_provider_the_stacks_suite_concurrency(step: Any) -> None:
    answer = step(step="prepare", execution_arn=ARN)

    assert [(g["provider"], g["concurrency"]) for g in answer["groups"]] == [
        ("bluejay", 3),
        ("synthflow", 3),
        ("omnidimension", 3),
    ]


def test_child_says_start_for_a_run_not_yet_started(step: Any) -> None:
    run_id = ids.child_run_id(SUITE_ID, 0)

    assert step(step="child", run_id=run_id) == {"run_id": run_id, "start": True, "ended": False}


def test_finish_of_never_started_runs_completes_the_suite_failed(step: Any) -> None:
    step(step="prepare", execution_arn=ARN)

    detail = step(step="finish")

    assert (detail["status"], detail["verdict"]) == ("COMPLETED", "FAILED")
    assert {r["status"] for r in detail["runs"]} == {"FAILED"}


def test_fail_records_the_caught_error(step: Any) -> None:
    detail = step(step="fail", error={"Error": "States.Timeout", "Cause": "48 hours"})

    assert detail["status"] == "FAILED"
    assert detail["error"] == {"type": "States.Timeout", "message": "48 hours"}
