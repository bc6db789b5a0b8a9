"""Provider API keys and the webhook secret never appear in logs, answers, events or items,
whatever path a run takes (success, provider refusal, failure record)."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from support.aws_fixtures import API_KEYS, WEBHOOK_SECRET, Stack
from support.handlers import LambdaContext, answer, load_handler, resign, sample_event, with_body
from support.run_requests import bluejay_request

from agentsim.runs.secrets import AgentsimSecrets

SECRETS = [WEBHOOK_SECRET, *API_KEYS.values()]


def everything_stored(stack: Stack) -> str:
    dynamodb = boto3.client("dynamodb")
    items = [dynamodb.scan(TableName=name)["Items"] for name in stack.tables.values()]
    return json.dumps(items)


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


@pytest.fixture
def verbose(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("POWERTOOLS_LOG_LEVEL", "DEBUG")
    monkeypatch.setenv("POWERTOOLS_LOGGER_LOG_EVENT", "true")
    caplog.set_level(logging.DEBUG)


@dataclass
class Watched:
    """Everything a secret could leak into: output, logs (at DEBUG), stored items."""

    stack: Stack
    emulator: Any
    capsys: pytest.CaptureFixture[str]
    caplog: pytest.LogCaptureFixture

    def assert_nothing_leaked(self, *texts: str) -> None:
        captured = self.capsys.readouterr()
        for text in (captured.out + captured.err, self.caplog.text, *texts):
            assert_no_secret(text)
        assert_no_secret(everything_stored(self.stack))


@pytest.fixture
def watched(
    stack: Stack,
    verbose: None,
    emulator: Any,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> Watched:
    return Watched(stack, emulator, capsys, caplog)


def test_a_whole_run_leaks_no_secret(watched: Watched) -> None:
    caplog = watched.caplog
    handlers = {n: load_handler(n) for n in ("api", "register", "start", "poll", "finish")}
    answers: list[Any] = []

    def call(name: str, event: dict[str, Any]) -> Any:
        result = handlers[name].lambda_handler(event, LambdaContext())
        answers.append(result)
        return result

    # webhook -> workflow tasks -> read back
    started = answer(
        call("api", with_body(sample_event("api_start_simulation.json"), bluejay_request()))
    )
    run_id = started[2]["run_id"]
    now = datetime.now(UTC).isoformat()
    call("register", {"run_id": run_id, "execution_arn": "arn:x", "started_at": now, "input": {}})
    step = call("start", {"run_id": run_id})
    while not step["terminal"]:
        time.sleep(0.2)
        step = call("poll", {"run_id": run_id, "poll_count": step["count"]})
    call("finish", {"run_id": run_id})
    get = sample_event("api_get_simulation.json")
    call(
        "api",
        resign({**get, "path": f"/simulations/{run_id}", "pathParameters": {"run_id": run_id}}),
    )
    call("api", resign(sample_event("api_list_simulations.json")))

    assert started[0] == 202
    assert "run accepted" in caplog.text  # the logs were captured: the checks below mean something
    assert "Secrets Manager" in caplog.text or "secretsmanager" in caplog.text
    watched.assert_nothing_leaked(json.dumps(answers, default=str))


def test_a_refused_key_leaks_nothing_into_the_failure_record(watched: Watched) -> None:
    watched.emulator.configure(api_keys={"bluejay": "some-other-key"})
    api, start, fail = (load_handler(n) for n in ("api", "start", "fail"))
    run_id = answer(
        api.lambda_handler(
            with_body(sample_event("api_start_simulation.json"), bluejay_request()), LambdaContext()
        )
    )[2]["run_id"]

    with pytest.raises(Exception) as refused:
        start.lambda_handler({"run_id": run_id}, LambdaContext())
    cause = json.dumps(
        {"errorType": type(refused.value).__name__, "errorMessage": str(refused.value)}
    )
    detail = fail.lambda_handler(
        {"run_id": run_id, "error": {"Error": type(refused.value).__name__, "Cause": cause}},
        LambdaContext(),
    )

    assert detail["status"] == "FAILED"
    watched.assert_nothing_leaked(str(refused.value) + repr(refused.value), json.dumps(detail))


def test_loaded_secrets_print_masked() -> None:
    secrets = AgentsimSecrets.model_validate(
        {"webhook_secret": WEBHOOK_SECRET, "bluejay_api_key": API_KEYS["bluejay"]}
    )

    assert_no_secret(repr(secrets) + str(secrets) + secrets.model_dump_json())
    assert secrets.api_key("bluejay") == API_KEYS["bluejay"]
