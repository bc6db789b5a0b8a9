"""The Watch function, invoked with the poll queue's event (events/sqs_watch.json): one poll of
a launched run, the next poll sent to the queue, the run's id as the logs' correlation id, the
polls and the provider faults it retried itself counted as Poll counts them."""

from __future__ import annotations

import time
from typing import Any

import boto3
import pytest
from support.aws_fixtures import Stack
from support.handlers import LambdaContext, load_handler, logged_line, metric_total, sample_event
from support.run_requests import bluejay_request
from support.workflow_steps import submitted

from agentsim.runs.services import Services
from agentsim.runs.start import start
from agentsim.runs.watch import Recheck


def queued_messages(queue_url: str, within: float = 30.0) -> list[dict[str, Any]]:
    """The queue's next messages, waited for: the poll is delayed by its wait (a loaded
    machine may take longer than one long poll to make it visible)."""
    sqs = boto3.client("sqs")
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        found = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=5).get("Messages", [])
        if found:
            return list(found)
    raise AssertionError(f"no message on {queue_url} within {within} s")


def queue_event(message: Recheck) -> dict[str, Any]:
    event = sample_event("sqs_watch.json")
    event["Records"][0]["body"] = message.model_dump_json()
    return event


def test_the_sample_event_carries_a_message_the_wait_could_send() -> None:
    record = sample_event("sqs_watch.json")["Records"][0]

    assert Recheck.model_validate_json(record["body"]).poll_count == 3


def test_a_delivery_polls_the_run_and_queues_the_next_poll(
    services: Services, stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    run_id = submitted(services, bluejay_request())
    step = start(services, run_id)
    handler = load_handler("watch")
    message = Recheck(run_id=run_id, task_token="token", poll_count=step.count)

    handler.lambda_handler(queue_event(message), LambdaContext())

    assert services.runs.get(run_id).poll_count == step.count + 1
    queued = queued_messages(stack.poll_queue_url)
    assert Recheck.model_validate_json(queued[0]["Body"]).poll_count == step.count + 1
    [record] = [r for r in caplog.records if r.getMessage() == "watched"]
    line = logged_line(record)
    assert (line["correlation_id"], line["watched"]) == (run_id, "sent")


def test_a_provider_fault_retried_in_the_function_is_counted_by_its_class(
    services: Services, emulator: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    run_id = submitted(services, bluejay_request())
    step = start(services, run_id)
    handler = load_handler("watch")
    emulator.faults.add(provider="bluejay", kind="5xx", method="GET", times=100)

    handler.lambda_handler(
        queue_event(Recheck(run_id=run_id, task_token="token", poll_count=step.count)),
        LambdaContext(),
    )

    out = capsys.readouterr().out
    assert metric_total(out, "Polls") == 1
    assert metric_total(out, "ProviderErrors", error="ProviderUnavailable") == 1
    assert services.runs.get(run_id).poll_count == step.count
