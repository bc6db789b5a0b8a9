"""The deliver function as the workflows invoke it (moto AWS, the in-process emulator for
GitHub and Slack, a receiver on 127.0.0.1): its settings and the stack secret wired, the
start told to GitHub, the end to every target, and the answer the delivery workflow reads."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import httpx
import pytest
from support.aws_fixtures import WEBHOOK_SECRET, Stack
from support.deliver_function import delivered
from support.handlers import load_handler
from support.json_server import json_server
from support.records import START
from support.run_requests import synthflow_request

from agentsim.runs.envelope import parse_request
from agentsim.runs.events import finished_detail
from agentsim.runs.record import Origin, RunRecord, RunStatus, Verdict
from agentsim.runs.run_store import DynamoRunStore
from agentsim.runs.signing import verify

RUN_ID = "run-handler"
SHA = "3f786850e387550fdab836ed7e6dc881de23001b"
Received = list[tuple[dict[str, str], bytes]]


@pytest.fixture
def receiver() -> Iterator[tuple[str, Received]]:
    received: Received = []

    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> Any:
        received.append((headers, body))
        return 200, {}

    with json_server(answer) as url:
        yield url, received


@pytest.fixture
def handler(
    stack: Stack,
    emulator: Any,
    runs: DynamoRunStore,
    monkeypatch: pytest.MonkeyPatch,
    receiver: tuple[str, Received],
) -> Any:
    """The function deployed as a local stack deploys it, and a run naming every target."""
    monkeypatch.setenv("ALLOW_LOOPBACK_TARGETS", "true")
    monkeypatch.setenv("GITHUB_API_URL", emulator.github_api_url)
    monkeypatch.setenv("REPORT_BASE_URL", "https://api.example/v1")
    secrets = boto3.client("secretsmanager")
    value = json.loads(secrets.get_secret_value(SecretId=stack.secret_arn)["SecretString"])
    value |= {"github_token": "local-token", "slack_webhook_url": emulator.slack_webhook_url()}
    secrets.put_secret_value(SecretId=stack.secret_arn, SecretString=json.dumps(value))
    request = synthflow_request(
        notify={"url": receiver[0] + "/hook"}, github={"repository": "octo/agent", "sha": SHA}
    )
    runs.create(RunRecord.new(RUN_ID, Origin.WEBHOOK, START, request=parse_request(request)))
    return load_handler("deliver")


def statuses(emulator: Any) -> list[dict[str, Any]]:
    """The commit's statuses, oldest first."""
    url = f"{emulator.github_api_url}/repos/octo/agent/commits/{SHA}/statuses"
    listed: list[dict[str, Any]] = httpx.get(url, headers={"Authorization": "Bearer t"}).json()
    return listed[::-1]


def finished_event(runs: DynamoRunStore) -> dict[str, Any]:
    record = runs.get(RUN_ID).model_copy(
        update={"status": RunStatus.COMPLETED, "verdict": Verdict.FAILED, "finished_at": START}
    )
    return {
        "version": "0",
        "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        "detail-type": "SimulationRunFinished",
        "source": "agentsim",
        "detail": finished_detail(record),
    }


def test_the_start_sets_a_pending_commit_status_linking_the_report(
    handler: Any, emulator: Any
) -> None:
    delivered(handler, {"detail-type": "SimulationRunStarted", "detail": {"run_id": RUN_ID}})

    (status,) = statuses(emulator)
    assert status["state"] == "pending"
    assert status["target_url"].startswith(f"https://api.example/v1/simulations/{RUN_ID}/report?")


def test_the_end_is_told_to_every_target_and_nothing_is_left(
    handler: Any, emulator: Any, runs: DynamoRunStore, receiver: tuple[str, Received]
) -> None:
    delivered(handler, finished_event(runs))

    ((headers, body),) = receiver[1]
    verify(WEBHOOK_SECRET, body, headers)
    assert json.loads(body)["verdict"] == "FAILED"
    assert [s["state"] for s in statuses(emulator)] == ["failure"]
    slack = httpx.get(emulator.url + "/_emulator/slack/messages").json()
    assert [RUN_ID in m["text"] and "*FAILED*" in m["text"] for m in slack] == [True]
    outcomes = {(a.target.value, a.outcome.value) for a in runs.get(RUN_ID).deliveries}
    assert outcomes == {("notify", "delivered"), ("github", "delivered"), ("slack", "delivered")}
