"""Fixtures for the run domain and its handlers: moto AWS with the template's tables.

A conftest takes the fixtures with `from support.aws_fixtures import *` (they make `__all__`):
`aws` (moto for one test, with the environment Powertools and boto3 need), `tables`, `secret`,
`bus`, `state_machine`, `poll_queue`, `stack`, and `services` wired to all of them and to the
provider emulator.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from itertools import count
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities import parameters
from moto import mock_aws
from support.records import START
from support.template_tables import REPO_ROOT, create_tables

from agentsim.runs.item_store import DynamoItemStore
from agentsim.runs.run_store import DynamoRunStore
from agentsim.runs.services import Services
from agentsim.runs.settings import ApiSettings, WatchSettings
from agentsim.runs.wiring import build_services

__all__ = [
    "aws",
    "bus",
    "items",
    "poll_queue",
    "runs",
    "secret",
    "services",
    "stack",
    "state_machine",
    "suite_state_machine",
    "tables",
]

REGION = "us-east-1"
TABLE_NAMES = {
    "RunsTable": "test-runs",
    "RunItemsTable": "test-run-items",
    "IdempotencyTable": "test-idempotency",
}
WEBHOOK_SECRET = "whsec-test-0123456789abcdefghijklmnopqrstuvwxyz"
API_KEYS = {
    "omnidimension": "omni-key-SENTINEL-7f3a9c",
    "bluejay": "bluejay-key-SENTINEL-2b8e41",
    "synthflow": "synthflow-key-SENTINEL-d05c77",
}
BUS_NAME = "test-agentsim-bus"
ASL = REPO_ROOT / "statemachine" / "run_simulation.asl.json"
SUITE_ASL = REPO_ROOT / "statemachine" / "run_suite.asl.json"


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name, value in {
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_SERVICE_NAME": "agentsim",
        "POWERTOOLS_METRICS_NAMESPACE": "agentsim",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("POWERTOOLS_IDEMPOTENCY_DISABLED", raising=False)
    parameters.clear_caches()
    with mock_aws():
        yield
    parameters.clear_caches()


@pytest.fixture
def tables(aws: None) -> dict[str, str]:
    return create_tables(boto3.client("dynamodb"), TABLE_NAMES)


@pytest.fixture
def secret(aws: None) -> str:
    """The stack secret (webhook secret and provider keys); its ARN."""
    value = {"webhook_secret": WEBHOOK_SECRET, **{f"{p}_api_key": k for p, k in API_KEYS.items()}}
    answer = boto3.client("secretsmanager").create_secret(
        Name="agentsim-test-secret", SecretString=json.dumps(value)
    )
    return str(answer["ARN"])


@pytest.fixture
def bus(aws: None) -> str:
    boto3.client("events").create_event_bus(Name=BUS_NAME)
    return BUS_NAME


@pytest.fixture
def state_machine(aws: None) -> str:
    """The real ASL with placeholder function ARNs (moto records executions, runs nothing)."""
    definition = ASL.read_text()
    for name in ("Register", "Start", "Poll", "Finish", "TimeOut", "Fail"):
        definition = definition.replace(
            "${" + name + "FunctionArn}",
            f"arn:aws:lambda:{REGION}:123456789012:function:test-{name.lower()}",
        )
    return create_state_machine(
        "test-run-simulation", definition.replace("${EventBusName}", BUS_NAME)
    )


@pytest.fixture
def suite_state_machine(aws: None, state_machine: str) -> str:
    """The real suite ASL with placeholder ARNs (moto records executions, runs nothing)."""
    definition = (
        SUITE_ASL.read_text()
        .replace("${SuiteStepFunctionArn}", f"arn:aws:lambda:{REGION}:123456789012:function:s")
        .replace("${RunSimulationArn}", state_machine)
        .replace("${EventBusName}", BUS_NAME)
    )
    return create_state_machine("test-run-suite", definition)


def create_state_machine(name: str, definition: str) -> str:
    """A STANDARD state machine in moto under `name`; its ARN."""
    answer = boto3.client("stepfunctions").create_state_machine(
        name=name,
        definition=definition,
        roleArn=f"arn:aws:iam::123456789012:role/{name}",
        type="STANDARD",
    )
    return str(answer["stateMachineArn"])


@pytest.fixture
def poll_queue(aws: None) -> str:
    """The Watch function's queue (template.yaml `PollQueue`); its URL."""
    return str(boto3.client("sqs").create_queue(QueueName="test-poll-queue")["QueueUrl"])


class StackSettings(ApiSettings, WatchSettings):
    """Every function's settings at once, so one `Services` can drive every use case."""


@dataclass
class Stack:
    """Everything the handlers' environment points at."""

    tables: dict[str, str]
    secret_arn: str
    bus: str
    state_machine_arn: str
    suite_state_machine_arn: str
    base_urls: dict[str, str]
    poll_queue_url: str

    def env(self) -> dict[str, str]:
        return {
            "RUNS_TABLE": self.tables["RunsTable"],
            "RUN_ITEMS_TABLE": self.tables["RunItemsTable"],
            "IDEMPOTENCY_TABLE": self.tables["IdempotencyTable"],
            "SECRET_ARN": self.secret_arn,
            "STATE_MACHINE_ARN": self.state_machine_arn,
            "SUITE_STATE_MACHINE_ARN": self.suite_state_machine_arn,
            "EVENT_BUS_NAME": self.bus,
            "OMNIDIM_BASE_URL": self.base_urls["omnidimension"],
            "BLUEJAY_BASE_URL": self.base_urls["bluejay"],
            "SYNTHFLOW_BASE_URL": self.base_urls["synthflow"],
            "POLL_MIN_SECONDS": "1",
            "POLL_MAX_SECONDS": "5",
            "MAX_POLLS": "50",
            "POLL_QUEUE_URL": self.poll_queue_url,
        }

    def settings(self) -> StackSettings:
        return StackSettings.from_env(self.env())

    def run_executions(self) -> list[str]:
        """The names of the run state machine's executions."""
        return _execution_names(self.state_machine_arn)

    def suite_executions(self) -> list[str]:
        """The names of the suite state machine's executions."""
        return _execution_names(self.suite_state_machine_arn)

    def stored_items(self) -> int:
        """How many items all the tables hold together."""
        dynamodb = boto3.client("dynamodb")
        return sum(
            dynamodb.scan(TableName=name, Select="COUNT")["Count"] for name in self.tables.values()
        )


def _execution_names(arn: str) -> list[str]:
    found = boto3.client("stepfunctions").list_executions(stateMachineArn=arn)["executions"]
    return [e["name"] for e in found]


@pytest.fixture
def stack(
    tables: dict[str, str],
    secret: str,
    bus: str,
    state_machine: str,
    suite_state_machine: str,
    poll_queue: str,
    emulator: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> Stack:
    """moto resources + the emulator, and the handlers' environment variables set."""
    urls = {str(p): str(u) for p, u in emulator.base_urls.items()}
    built = Stack(tables, secret, bus, state_machine, suite_state_machine, urls, poll_queue)
    for name, value in built.env().items():
        monkeypatch.setenv(name, value)
    return built


@pytest.fixture
def services(stack: Stack) -> Services:
    """Wired as the handlers wire theirs: keys from the stack secret, the emulator's URLs."""
    return build_services(stack.settings())


@pytest.fixture
def items(tables: dict[str, str]) -> DynamoItemStore:
    return DynamoItemStore(boto3.client("dynamodb"), tables["RunItemsTable"])


@pytest.fixture
def runs(tables: dict[str, str], items: DynamoItemStore) -> DynamoRunStore:
    """The run store on the template's tables, its clock ticking a second per write."""
    ticks = count()
    return DynamoRunStore(
        boto3.client("dynamodb"),
        tables["RunsTable"],
        items,
        clock=lambda: START + timedelta(seconds=next(ticks)),
    )


def dynamodb_calls(services: Services) -> list[str]:
    """The DynamoDB operations `services.runs` sends from now on (botocore's events)."""
    seen: list[str] = []

    def record(model: Any, **_: Any) -> None:
        seen.append(model.name)

    services.runs.client.meta.events.register("before-call.dynamodb", record)
    return seen
