"""Commands against a deployed stack, with AWS in moto: the stack is a real CloudFormation stack
in moto whose outputs name moto resources (secret, bus) and an API URL served by a small local
HTTP server (`support.deployed_api.SigningApi`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws
from support.deployed_api import REQUEST, SECRET, SigningApi, Start, cli
from support.json_server import json_server


@pytest.fixture
def api() -> Iterator[SigningApi]:
    signing = SigningApi()

    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, Any]:
        if method == "GET":
            return signing.read(path, headers)
        return signing.handle(method, path, headers, body)

    with json_server(answer) as url:
        signing.url = url
        yield signing


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        yield


@pytest.fixture
def stack(aws: None, api: SigningApi) -> dict[str, str]:
    """A deployed stack's moto resources and its outputs, as `sam deploy` would leave them."""
    secret_arn = boto3.client("secretsmanager").create_secret(
        Name="agentsim-secret",
        SecretString=json.dumps({"webhook_secret": SECRET, "bluejay_api_key": "bj"}),
    )["ARN"]
    bus = boto3.client("events").create_event_bus(Name="agentsim-bus")["EventBusArn"]
    outputs = {
        "ApiUrl": f"{api.url}/",
        "SecretArn": secret_arn,
        "EventBusName": "agentsim-bus",
    }
    template = {
        "Resources": {"Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
        "Outputs": {key: {"Value": value} for key, value in outputs.items()},
    }
    boto3.client("cloudformation").create_stack(
        StackName="agentsim", TemplateBody=json.dumps(template)
    )
    return {**outputs, "EventBusArn": bus}


@pytest.fixture
def request_file(tmp_path: Path) -> Path:
    path = tmp_path / "bluejay.json"
    path.write_text(json.dumps(REQUEST, indent=2))
    return path


@pytest.fixture
def start(capsys: pytest.CaptureFixture[str], stack: dict[str, str], request_file: Path) -> Start:
    def run(*options: str) -> tuple[int, str, str]:
        return cli(capsys, "start", str(request_file), "--stack", "agentsim", *options)

    return run
