"""The workflow's use cases end to end on moto and the provider emulator (no Step Functions):
submit, register, start (at most one paid launch), poll, finish, fail, time out, stop."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from support.aws_fixtures import API_KEYS, Stack
from support.run_requests import (
    SYNTHFLOW_ERROR_CASE,
    SYNTHFLOW_FAILING_CASE,
    bluejay_request,
    launches,
    synthflow_request,
)
from support.waiting import wait_until
from support.workflow import registered

from agentsim.providers import create_provider
from agentsim.providers.base import ProviderName, SimulationProvider
from agentsim.providers.errors import ProviderUnavailable
from agentsim.runs.envelope import parse_request
from agentsim.runs.errors import RunAlreadyFinished, RunNotLaunched
from agentsim.runs.fail import fail
from agentsim.runs.finish import finish
from agentsim.runs.pacing import PollStep
from agentsim.runs.poll import poll
from agentsim.runs.record import Origin, RunStatus, Verdict
from agentsim.runs.register import register
from agentsim.runs.services import Services
from agentsim.runs.start import start
from agentsim.runs.stop import stop
from agentsim.runs.submit import submit
from agentsim.runs.time_out import time_out

NOW = datetime.now(UTC)


def submitted(services: Services, request: dict[str, Any], run_id: str = "run-1") -> str:
    return registered(services, run_id, request)


def poll_until_terminal(services: Services, run_id: str, first: PollStep) -> PollStep:
    step = first
    deadline = time.monotonic() + 20
    while not step.terminal:
        assert time.monotonic() < deadline, f"still {step.status} after 20 s"
        time.sleep(0.2)
        step = poll(services, run_id, step.count)
    return step


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


def test_bluejay_run_completes_with_its_cases_stored_apart(
    services: Services, emulator: Any
) -> None:
    run_id = submitted(services, bluejay_request())

    first = start(services, run_id)
    last = poll_until_terminal(services, run_id, first)
    record = finish(services, run_id)

    assert first.status == "RUNNING" and last.terminal
    assert record.status is RunStatus.COMPLETED
    # the emulator's three digital humans: one is "[emulator:fail]"; 2/3 clears the 0.6 gate
    assert record.results is not None
    assert (record.results.total, record.results.passed, record.results.failed) == (3, 2, 1)
    assert record.verdict is Verdict.PASSED
    assert len(services.items.cases(run_id)) == 3
    statuses = [h["status"] for h in services.items.history(run_id)]
    assert statuses == ["PENDING", "RUNNING", "COMPLETED"]


def test_gate_below_the_pass_rate_completes_with_a_failed_verdict(services: Services) -> None:
    run_id = submitted(services, bluejay_request(gate={"min_pass_rate": 0.9}))

    poll_until_terminal(services, run_id, start(services, run_id))
    record = finish(services, run_id)

    assert (record.status, record.verdict) == (RunStatus.COMPLETED, Verdict.FAILED)


def test_synthflow_failing_case_gives_a_failed_verdict(services: Services) -> None:
    run_id = submitted(services, synthflow_request(SYNTHFLOW_FAILING_CASE))

    poll_until_terminal(services, run_id, start(services, run_id))
    record = finish(services, run_id)

    assert (record.status, record.verdict) == (RunStatus.COMPLETED, Verdict.FAILED)


def test_start_twice_launches_the_provider_once(services: Services, emulator: Any) -> None:
    run_id = submitted(services, bluejay_request())

    first = start(services, run_id)
    second = start(services, run_id)

    assert len(launches(emulator, "bluejay")) == 1
    assert first.status == second.status == "RUNNING"
    assert services.runs.get(run_id).provider_run_id is not None


def test_start_after_a_lost_launch_answer_finds_the_run_instead_of_launching_again(
    services: Services, stack: Stack, emulator: Any
) -> None:
    # Given a launch the provider processes but answers too late for the client
    def impatient(name: ProviderName) -> SimulationProvider:
        return create_provider(
            name, API_KEYS[name.value], base_url=stack.base_urls[name.value], timeout=0.5
        )

    hurried = replace(services, providers=impatient)
    run_id = submitted(services, bluejay_request())
    emulator.faults.add(
        provider="bluejay", kind="slow", delay=1.5, path_contains="queue-simulation-run", times=1
    )
    with pytest.raises(ProviderUnavailable) as lost:
        start(hurried, run_id)
    assert lost.value.ambiguous

    # When Step Functions retries the step
    time.sleep(1.2)
    step = start(hurried, run_id)

    # Then the run the provider started is adopted: one paid launch in all
    assert step.status == "RUNNING"
    assert len(launches(emulator, "bluejay")) == 1
    assert services.runs.get(run_id).launch_attempted_at is not None


def test_late_poll_cannot_overwrite_a_stopped_run(services: Services) -> None:
    run_id = submitted(services, bluejay_request())
    step = start(services, run_id)
    stop(services, run_id)

    late = poll(services, run_id, step.count)

    record = services.runs.get(run_id)
    assert late.terminal and late.status == "STOPPED"
    assert record.status is RunStatus.STOPPED
    assert record.poll_count == 0


def test_a_run_woken_before_a_poll_saw_its_end_is_finished_with_the_providers_end_state(
    services: Services,
) -> None:
    # A callback wakes the wait into Finish when the results are in; the last poll saw RUNNING.
    run_id = submitted(services, synthflow_request(SYNTHFLOW_ERROR_CASE))
    assert start(services, run_id).status == "RUNNING"
    handle = services.runs.get(run_id).expect_handle()
    with services.providers(ProviderName.SYNTHFLOW) as provider:
        wait_until(lambda: provider.poll(handle).status, lambda status: status.terminal)

    record = finish(services, run_id)

    assert record.status is RunStatus.FAILED
    assert record.error is not None
    assert record.error.message == "The call was disconnected before completion"


def test_finish_is_idempotent(services: Services) -> None:
    run_id = submitted(services, bluejay_request())
    poll_until_terminal(services, run_id, start(services, run_id))
    first = finish(services, run_id)

    again = finish(services, run_id)

    assert again == first
    assert len(services.items.cases(run_id)) == 3


def test_poll_before_launch_is_an_error_not_a_loop(services: Services) -> None:
    run_id = submitted(services, bluejay_request())

    with pytest.raises(RunNotLaunched):
        poll(services, run_id, 0)


def test_fail_records_the_caught_error_class_and_message(services: Services) -> None:
    run_id = submitted(services, bluejay_request())
    caught = {
        "Error": "ProviderAuthError",
        "Cause": '{"errorType": "ProviderAuthError", "errorMessage": "bluejay HTTP 401: bad key",'
        ' "stackTrace": ["  File app.py"]}',
    }

    record = fail(services, run_id, caught)

    assert record.status is RunStatus.FAILED
    assert record.error is not None
    assert (record.error.type, record.error.message) == (
        "ProviderAuthError",
        "bluejay HTTP 401: bad key",
    )


def test_fail_never_overwrites_a_finished_run(services: Services) -> None:
    run_id = submitted(services, bluejay_request())
    stop(services, run_id)

    record = fail(services, run_id, {"Error": "States.Timeout", "Cause": "late"})

    assert record.status is RunStatus.STOPPED


def test_fail_without_a_record_creates_a_failed_one(services: Services) -> None:
    record = fail(services, "ghost", {"Error": "RequestInvalid", "Cause": "invalid request"})

    assert (record.status, record.trigger) == (RunStatus.FAILED, Origin.DIRECT)


def test_time_out_asks_the_provider_to_stop_and_records_timed_out(
    services: Services, emulator: Any
) -> None:
    emulator.configure(call_seconds=30)
    run_id = submitted(services, bluejay_request())
    start(services, run_id)

    record = time_out(services, run_id, 7)

    assert record.status is RunStatus.TIMED_OUT
    assert record.error is not None
    assert (record.error.type, "7 polls" in record.error.message) == ("RunTimedOut", True)
    ended = [c for c in emulator.calls.list("bluejay") if "end-conversations" in c["path"]]
    assert len(ended) == 1


def test_time_out_on_a_provider_that_cannot_stop_notes_why(services: Services) -> None:
    run_id = submitted(services, synthflow_request())
    start(services, run_id)

    record = time_out(services, run_id, 7)

    assert record.status is RunStatus.TIMED_OUT
    assert record.stop_error is not None
    assert record.stop_error.type == "ProviderRejected"


def test_stop_of_a_finished_run_is_refused(services: Services) -> None:
    run_id = submitted(services, bluejay_request())
    stop(services, run_id)

    with pytest.raises(RunAlreadyFinished):
        stop(services, run_id)


def test_stop_publishes_the_finished_event(services: Services, stack: Stack) -> None:
    # Given a queue subscribed to the bus's SimulationRunFinished events
    sqs, events = boto3.client("sqs"), boto3.client("events")
    queue = sqs.create_queue(QueueName="finished")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]
    events.put_rule(
        Name="finished",
        EventBusName=stack.bus,
        EventPattern=json.dumps({"detail-type": ["SimulationRunFinished"]}),
    )
    events.put_targets(
        Rule="finished", EventBusName=stack.bus, Targets=[{"Id": "q", "Arn": arn["QueueArn"]}]
    )
    run_id = submitted(services, bluejay_request())

    # When the run is stopped
    stop(services, run_id)

    # Then one event announces it
    messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
    details = [json.loads(m["Body"])["detail"] for m in messages]
    assert [(d["run_id"], d["status"], d["verdict"]) for d in details] == [
        (run_id, "STOPPED", "NONE")
    ]
