"""`agentsim start` against a deployed stack (AWS in moto, the API a local stand-in): the file
posted signed, a refusal in one line, one idempotency key per start sent again after a gateway
timeout, a SIGTERM or an unreadable run stopping the run, and `--via event` onto the bus."""

from __future__ import annotations

import json
import os
import signal
import threading
from pathlib import Path

import boto3
import pytest
from support.deployed_api import REQUEST, SigningApi, Start

from agentsim.runs.ids import run_id_for_key
from agentsim_local import webhook
from agentsim_local.deployed import EVENT_DETAIL_TYPE, EVENT_SOURCE, WEBHOOK_PATH


def test_start_posts_the_file_signed_to_the_stack_api(
    start: Start, api: SigningApi, request_file: Path
) -> None:
    code, out, _ = start()

    assert code == 0
    assert out.strip() == "run-0001"
    sent = api.requests[0]
    assert sent["path"] == WEBHOOK_PATH
    assert sent["method"] == "POST"
    assert sent["body"] == request_file.read_text()  # the exact bytes that were signed


def test_start_reports_an_api_refusal_in_one_line(
    start: Start, stack: dict[str, str], api: SigningApi
) -> None:
    api.answer = (400, {"message": "gate.min_pass_rate: must be at most 1"})

    code, out, err = start()

    assert code == 1
    assert out == ""
    assert err.strip().splitlines() == [
        f"agentsim: error: POST {stack['ApiUrl'].rstrip('/')}{WEBHOOK_PATH}: HTTP 400: "
        "gate.min_pass_rate: must be at most 1"
    ]


def test_start_sends_the_request_again_with_its_key_after_a_gateway_timeout(
    start: Start, api: SigningApi, request_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webhook, "RETRY_DELAYS", (0.0, 0.0))
    api.unanswered = 1

    code, out, _ = start()

    assert code == 0
    assert out.strip() == "run-0001"
    first, second = api.requests
    assert second["body"] == first["body"] == request_file.read_text()
    # one key for both attempts: the API makes one run of it (each attempt signed afresh)
    assert second["headers"]["Idempotency-Key"] == first["headers"]["Idempotency-Key"]


def test_each_start_of_one_file_is_a_run_of_its_own(start: Start, api: SigningApi) -> None:
    start()
    start()

    first, second = (r["headers"]["Idempotency-Key"] for r in api.requests)
    assert first != second  # else the API would answer the second with the first run


def test_start_sends_the_idempotency_key_it_is_given(start: Start, api: SigningApi) -> None:
    start("--idempotency-key", "pr-7-a1")

    assert api.requests[0]["headers"]["Idempotency-Key"] == "pr-7-a1"


def test_a_sigterm_while_the_start_is_unanswered_stops_the_run_its_key_names(
    start: Start, api: SigningApi
) -> None:
    # Given a start the API takes a second to answer, and a SIGTERM meanwhile
    api.start_delay = 1.0
    run_id = run_id_for_key("pr-7-b2")
    api.stop_answer = (200, {"run_id": run_id, "status": "STOPPED"})
    threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGTERM)).start()

    code, _, err = start("--wait", "--idempotency-key", "pr-7-b2")

    assert code == 128 + signal.SIGTERM
    stops = [r["path"] for r in api.requests if r["path"].endswith("/stop")]
    assert stops == [f"{WEBHOOK_PATH}/{run_id}/stop"]  # the run the key names, created or not
    assert f"agentsim: run {run_id} STOPPED" in err


def test_start_wait_exits_3_when_the_run_cannot_be_read_and_tries_to_stop_it(
    start: Start, api: SigningApi
) -> None:
    api.read_failure = (500, {"message": "internal error"})

    code, _, err = start("--wait")

    assert code == 3  # never 0 (nor 1, a verdict) for a run whose end is unknown
    assert "the run could not be read" in err
    assert [r["path"] for r in api.requests if r["path"].endswith("/stop")] == [
        f"{WEBHOOK_PATH}/run-0001/stop"
    ]


def test_start_via_event_puts_a_start_event_on_the_bus(start: Start) -> None:
    # Given a queue receiving what the bus routes for StartSimulation events
    sqs = boto3.client("sqs")
    queue_url = sqs.create_queue(QueueName="seen")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    events = boto3.client("events")
    events.put_rule(
        Name="starts",
        EventBusName="agentsim-bus",
        EventPattern=json.dumps({"source": [EVENT_SOURCE], "detail-type": [EVENT_DETAIL_TYPE]}),
    )
    events.put_targets(
        Rule="starts", EventBusName="agentsim-bus", Targets=[{"Id": "q", "Arn": queue_arn}]
    )

    code, out, _ = start("--via", "event")

    assert code == 0
    assert "agentsim-bus" in out
    message = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1)["Messages"][0]
    delivered = json.loads(message["Body"])
    assert delivered["detail"] == REQUEST
    assert delivered["detail-type"] == EVENT_DETAIL_TYPE
