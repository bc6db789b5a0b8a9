"""The workflow's first steps on moto (no Step Functions): submit stores a pending run and starts
one execution however often it is repeated; register sets the deadline, or creates the record
of an execution started directly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3
from support.aws_fixtures import Stack
from support.run_requests import bluejay_request

from agentsim.runs.envelope import parse_request
from agentsim.runs.record import Origin, RunStatus
from agentsim.runs.register import register
from agentsim.runs.services import Services
from agentsim.runs.submit import submit

NOW = datetime.now(UTC)


def test_submit_stores_a_pending_run_and_starts_one_execution(
    services: Services, stack: Stack
) -> None:
    answer = submit(services, "run-1", parse_request(bluejay_request()), Origin.WEBHOOK)

    assert (answer.status, answer.created) == (RunStatus.PENDING, True)
    executions = boto3.client("stepfunctions").list_executions(
        stateMachineArn=stack.state_machine_arn
    )["executions"]
    assert [e["name"] for e in executions] == ["run-1"]


def test_duplicate_submit_returns_the_first_run_without_a_second_execution(
    services: Services, stack: Stack
) -> None:
    submit(services, "run-1", parse_request(bluejay_request()), Origin.WEBHOOK)

    again = submit(services, "run-1", parse_request(bluejay_request()), Origin.WEBHOOK)

    assert again.created is False
    sfn = boto3.client("stepfunctions")
    assert len(sfn.list_executions(stateMachineArn=stack.state_machine_arn)["executions"]) == 1


def test_register_sets_the_deadline_from_the_request(services: Services) -> None:
    started = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
    submit(services, "run-1", parse_request(bluejay_request(timeout_minutes=45)), Origin.EVENT)

    registered = register(
        services, "run-1", execution_arn="arn:x", started_at=started, execution_input={}
    )

    record = services.runs.get("run-1")
    assert registered.max_polls == services.pacing.max_polls
    assert record.deadline == started + timedelta(minutes=45)
    assert record.execution_arn == "arn:x"


def test_register_creates_the_record_of_a_directly_started_execution(services: Services) -> None:
    register(
        services,
        "direct-1",
        execution_arn="arn:x",
        started_at=NOW,
        execution_input={"request": bluejay_request()},
    )

    assert services.runs.get("direct-1").trigger is Origin.DIRECT
