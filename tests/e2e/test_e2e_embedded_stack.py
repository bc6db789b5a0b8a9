"""`EmbeddedStack` driving a deployed app the way the outside world does, on the small fixture
app (tests/e2e/fixtures/mini): API proxy events, EventBridge, the schedule, the runs table."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import boto3
import pytest

from agentsim_local.embedded import EmbeddedStack

TEMPLATE = Path(__file__).parent / "fixtures" / "mini" / "template.yaml"
NO_EMULATOR = {p: f"http://127.0.0.1:9/{p}" for p in ("omnidimension", "bluejay", "synthflow")}


@pytest.fixture(scope="module")
def mini() -> Iterator[EmbeddedStack]:
    with EmbeddedStack(
        TEMPLATE,
        stack_name="mini",
        parameters={"Greeting": "hi"},
        base_urls=NO_EMULATOR,
        api_keys={"bluejay": "bj-key"},
    ) as stack:
        yield stack


def test_api_route_gets_an_api_gateway_proxy_event(mini: EmbeddedStack) -> None:
    response = mini.invoke_api(
        "POST", "/things", body={"a": 1}, headers={"X-Test": "yes"}, query={"q": "1"}
    )

    assert response.status == 201
    assert response.headers["X-Seen-Path"] == "/things"
    assert response.json == {
        "method": "POST",
        "path": "/things",
        "query": {"q": "1"},
        "body": {"a": 1},
        "header": "yes",
    }


def test_undeclared_route_is_refused_as_api_gateway_does(mini: EmbeddedStack) -> None:
    response = mini.invoke_api("GET", "/things")

    assert response.status == 403
    assert response.json == {"message": "Missing Authentication Token"}


def test_event_starts_a_run_that_is_followed_to_its_end(mini: EmbeddedStack) -> None:
    run_id = mini.put_event({"provider": "bluejay"})

    record = mini.wait(run_id, timeout=30)

    assert record["status"] == "COMPLETED"
    assert record["n"] == 1  # numbers come back as int, not Decimal
    assert mini.transitions(run_id) == 5  # Echo, Flaky, Boom, Save, Finish
    assert run_id in {r["run_id"] for r in mini.list_runs()}


def test_fired_schedule_gets_its_input_with_the_scheduled_time(mini: EmbeddedStack) -> None:
    when = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)

    run_id = mini.fire_schedule(scheduled_time=when)

    execution = next(e for e in mini.executions() if e["name"] == run_id)
    started = boto3.client("stepfunctions").describe_execution(
        executionArn=execution["executionArn"]
    )
    assert json.loads(started["input"])["trigger"] == {
        "source": "schedule",
        "at": "2030-01-02T03:04:05Z",
    }
    assert mini.wait(run_id, timeout=30)["status"] == "COMPLETED"


def test_unknown_run_has_no_record(mini: EmbeddedStack) -> None:
    assert mini.get_run("run-that-never-was") is None


def test_provider_keys_are_stored_beside_the_generated_webhook_secret(
    mini: EmbeddedStack,
) -> None:
    secret = json.loads(
        boto3.client("secretsmanager").get_secret_value(SecretId=mini.outputs["SecretArn"])[
            "SecretString"
        ]
    )

    assert secret["bluejay_api_key"] == "bj-key"
    assert secret["omnidimension_api_key"]  # a placeholder unless OMNIDIM_API_KEY is set
    assert len(secret["webhook_secret"]) == 40
    assert mini.webhook_secret == secret["webhook_secret"]


def test_aws_cli_style_clients_reach_the_stack_through_the_endpoint(mini: EmbeddedStack) -> None:
    assert os.environ["AWS_ENDPOINT_URL"] == mini.endpoint_url
    tables = boto3.client("dynamodb", endpoint_url=mini.endpoint_url).list_tables()["TableNames"]
    assert mini.outputs["RunsTableName"] in tables
