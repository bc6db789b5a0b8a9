"""Commands against a deployed stack (`start`, `status`, `stop`, `runs`, `sign`), with AWS in moto.

The stack is a real CloudFormation stack in moto whose outputs name moto resources (secret, bus)
and an API URL served by a small local HTTP server that checks the signature, accepts webhooks
and serves the runs it holds as the API does (`GET /simulations[/{id}]`, newest first, paged).
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from moto import mock_aws
from support.json_server import json_server

from agentsim.runs.ids import run_id_for_key
from agentsim.runs.signing import verify
from agentsim_local import webhook
from agentsim_local.cli import main
from agentsim_local.deployed import EVENT_DETAIL_TYPE, EVENT_SOURCE, WEBHOOK_PATH

SECRET = "s3cr3t-webhook-key"
REQUEST = {"provider": "bluejay", "simulation_id": "42", "gate": {"min_pass_rate": 0.5}}


class SigningApi:
    """Stands in for the stack's API: verifies the signature, answers with a run id."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.answer: tuple[int, dict[str, Any]] = (202, {"run_id": "run-0001"})
        self.unanswered = 0
        """How many requests get API Gateway's integration timeout (504) before the answer."""
        self.url = ""
        self.throttled_reads = 0
        """How many reads get API Gateway's throttle (429) before the answer."""
        self.start_delay = 0.0
        """Seconds a start (`POST /simulations`) takes to be answered."""
        self.stop_answer: tuple[int, dict[str, Any]] = (409, {"message": "run already finished"})
        self.read_failure: tuple[int, dict[str, Any]] | None = None
        """An answer every read of a run gets instead of the run (an API in trouble)."""
        self.runs: dict[str, dict[str, Any]] = {}
        """Run views by id, oldest first (the list answers newest first)."""
        self.upcoming: dict[str, list[dict[str, Any]]] = {}
        """Views each run takes after its next read (`put_run_in_turn`)."""

    def put_run(self, **fields: Any) -> None:
        self.runs.pop(str(fields["run_id"]), None)
        self.runs[str(fields["run_id"])] = fields

    def put_run_in_turn(self, *views: dict[str, Any]) -> None:
        """A run that changes as it is read: each read answers the next view, the last stays."""
        self.put_run(**views[0])
        self.upcoming[str(views[0]["run_id"])] = list(views[1:])

    def read(self, path: str, headers: dict[str, str]) -> tuple[int, Any]:
        """A signed GET of one run or of a page of runs (`limit`, `next_token`: an offset)."""
        self.requests.append({"method": "GET", "path": path, "body": "", "headers": headers})
        try:
            verify(SECRET, b"", headers)
        except Exception as exc:
            return 401, {"message": str(exc)}
        if self.throttled_reads:
            self.throttled_reads -= 1
            return 429, {"message": "Too Many Requests"}
        url = urlsplit(path)
        if self.read_failure and url.path.startswith(WEBHOOK_PATH + "/"):
            return self.read_failure
        if url.path.startswith(WEBHOOK_PATH + "/"):
            run_id = url.path.removeprefix(WEBHOOK_PATH + "/")
            run = self.runs.get(run_id)
            if self.upcoming.get(run_id):
                self.put_run(**self.upcoming[run_id].pop(0))
            return (200, run) if run else (404, {"message": "run not found"})
        if url.path.startswith("/suites/"):
            return 404, {"message": "suite not found"}
        query = parse_qs(url.query)
        start, limit = int(query.get("next_token", ["0"])[0]), int(query["limit"][0])
        newest_first = list(reversed(self.runs.values()))
        page = {"runs": newest_first[start : start + limit]}
        if start + limit < len(newest_first):
            page["next_token"] = str(start + limit)
        return 200, page

    def handle(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, Any]:
        self.requests.append(
            {"method": method, "path": path, "body": body.decode(), "headers": headers}
        )
        try:
            verify(SECRET, body, headers)
        except Exception as exc:
            return 401, {"message": str(exc)}
        if path.endswith("/stop"):
            return self.stop_answer
        time.sleep(self.start_delay)
        if self.unanswered:
            self.unanswered -= 1
            return 504, {"message": "Endpoint request timed out"}
        return self.answer


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


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


Start = Callable[..., tuple[int, str, str]]
"""`agentsim start` of the request file on the deployed stack, given further options."""


@pytest.fixture
def start(capsys: pytest.CaptureFixture[str], stack: dict[str, str], request_file: Path) -> Start:
    def run(*options: str) -> tuple[int, str, str]:
        return cli(capsys, "start", str(request_file), "--stack", "agentsim", *options)

    return run


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


def test_stop_says_when_the_provider_did_not_stop_its_calls(
    capsys: pytest.CaptureFixture[str], stack: dict[str, str], api: SigningApi
) -> None:
    refusal = {"type": "ProviderRejected", "message": "synthflow: simulations cannot be stopped"}
    api.stop_answer = (
        200,
        {"run_id": "run-9", "provider": "synthflow", "status": "STOPPED", "stop_error": refusal},
    )

    code, out, err = cli(capsys, "stop", "run-9", "--stack", "agentsim", "--json")

    assert code == 0
    assert json.loads(out)["status"] == "STOPPED"
    assert (
        "agentsim: warning: synthflow did not stop its calls: "
        "synthflow: simulations cannot be stopped"
    ) in err


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


def test_status_json_prints_the_record_alone(
    capsys: pytest.CaptureFixture[str], stack: dict[str, str], api: SigningApi
) -> None:
    api.put_run(run_id="run-7", provider="bluejay", status="COMPLETED", verdict="PASSED", polls=3)

    code, out, _ = cli(capsys, "status", "run-7", "--stack", "agentsim", "--json")

    assert code == 0
    assert json.loads(out) == {
        "run_id": "run-7",
        "provider": "bluejay",
        "status": "COMPLETED",
        "verdict": "PASSED",
        "polls": 3,
    }


def test_status_reads_again_after_the_api_throttled_the_read(
    capsys: pytest.CaptureFixture[str],
    stack: dict[str, str],
    api: SigningApi,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(webhook, "RETRY_DELAYS", (0.0, 0.0))
    api.put_run(run_id="run-9", provider="bluejay", status="RUNNING")
    api.throttled_reads = 2

    code, out, _ = cli(capsys, "status", "run-9", "--stack", "agentsim", "--json")

    assert code == 0
    assert json.loads(out)["status"] == "RUNNING"
    assert [r["method"] for r in api.requests] == ["GET", "GET", "GET"]


def test_status_of_an_unknown_run_is_one_line(
    capsys: pytest.CaptureFixture[str], stack: dict[str, str]
) -> None:
    code, _, err = cli(capsys, "status", "nope", "--stack", "agentsim")

    assert code == 1
    assert err.strip() == "agentsim: error: no run or suite nope in stack agentsim"


def test_status_watch_follows_the_run_to_its_end(
    capsys: pytest.CaptureFixture[str], stack: dict[str, str], api: SigningApi
) -> None:
    api.put_run_in_turn(
        {"run_id": "run-8", "provider": "synthflow", "trigger": "event", "status": "RUNNING",
         "progress": 40},
        {"run_id": "run-8", "provider": "synthflow", "status": "COMPLETED"},
    )  # fmt: skip

    code, out, err = cli(capsys, "status", "run-8", "--stack", "agentsim", "--watch", "--json")

    assert code == 0
    assert json.loads(out)["status"] == "COMPLETED"
    assert "RUNNING 40%" in err  # progress went to stderr (no TTY: one line per change)


def test_runs_prints_a_table_of_the_stack_runs(
    capsys: pytest.CaptureFixture[str], stack: dict[str, str], api: SigningApi
) -> None:
    api.put_run(run_id="run-a", provider="bluejay", trigger="webhook", status="COMPLETED", polls=4)
    api.put_run(run_id="run-b", provider="omnidimension", trigger="schedule", status="RUNNING")

    code, out, _ = cli(capsys, "runs", "--stack", "agentsim")

    assert code == 0
    assert "run-a" in out
    assert "run-b" in out
    assert "omnidimension" in out
    assert "schedule" in out


def test_runs_are_the_newest_first_as_the_api_lists_them_up_to_the_limit(
    capsys: pytest.CaptureFixture[str], stack: dict[str, str], api: SigningApi
) -> None:
    for index in range(150):  # two pages of the API's list
        api.put_run(run_id=f"run-{index:03}", provider="bluejay", status="COMPLETED")

    code, out, _ = cli(capsys, "runs", "--stack", "agentsim", "--limit", "120")

    assert code == 0
    listed = [word for word in out.split() if word.startswith("run-")]
    assert listed == [f"run-{index:03}" for index in range(149, 29, -1)]
    assert all(r["method"] == "GET" for r in api.requests)  # read through the API, signed


def test_sign_prints_headers_that_verify_and_a_curl_line(
    capsys: pytest.CaptureFixture[str], stack: dict[str, str], request_file: Path
) -> None:
    code, out, _ = cli(capsys, "sign", str(request_file), "--stack", "agentsim")

    assert code == 0
    lines = out.strip().splitlines()
    headers = dict(line.split(": ", 1) for line in lines[:-1])
    verify(SECRET, request_file.read_bytes(), headers)
    assert lines[-1].startswith("curl ")
    assert f"{stack['ApiUrl'].rstrip('/')}{WEBHOOK_PATH}" in lines[-1]
    assert f"@{request_file}" in lines[-1]


def test_sign_with_a_given_secret_needs_no_stack(
    capsys: pytest.CaptureFixture[str], request_file: Path
) -> None:
    code, out, _ = cli(capsys, "sign", str(request_file), "--secret", "abc", "--url", "http://x/y")

    assert code == 0
    headers = dict(line.split(": ", 1) for line in out.strip().splitlines()[:-1])
    verify("abc", request_file.read_bytes(), headers)
    assert "http://x/y" in out


def test_an_unknown_stack_is_one_line(capsys: pytest.CaptureFixture[str], aws: None) -> None:
    code, _, err = cli(capsys, "runs", "--stack", "missing")

    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("agentsim: error: stack missing: ValidationError")
