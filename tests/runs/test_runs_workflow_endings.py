"""How the workflow ends a run that does not complete, on moto and the provider emulator (no Step
Functions): a caught failure, a timeout that asks the provider to stop, and a stop, which is
announced on the bus and refused once the run has finished."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from support.aws_fixtures import Stack
from support.run_requests import bluejay_request, synthflow_request
from support.workflow_steps import submitted

from agentsim.runs.errors import RunAlreadyFinished
from agentsim.runs.fail import fail
from agentsim.runs.record import Origin, RunStatus
from agentsim.runs.services import Services
from agentsim.runs.start import start
from agentsim.runs.stop import stop
from agentsim.runs.time_out import time_out


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
