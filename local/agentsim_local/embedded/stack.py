"""`EmbeddedStack`: agentsim's real template running on this machine, no account, no Docker.

Entering it starts the provider emulator (unless provider base URLs are given) and a ministack
server (`server.py`, unless one is given to share), deploys `template.yaml` through its
CloudFormation (`deploy.py`) with the emulator's base URLs and fast polling, and stores the
provider API keys in the stack's secret. Its members drive the stack the way the outside world
does: HTTP to the stack's API Gateway stage, events on its bus, a firing of its Scheduler
schedule, and reads of the runs table and the executions. Leaving it stops what it started and
appends the functions' CloudWatch logs to the log file.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Self

import boto3
import httpx

from agentsim.providers import BASE_URL_ENV
from agentsim.runs import ids
from agentsim.runs.aws import EVENT_SOURCE, START_DETAIL_TYPE, execution_arn
from agentsim.runs.record import TERMINAL
from agentsim.runs.signing import sign
from agentsim_local.deployed import WEBHOOK_PATH, local_api_url
from agentsim_local.embedded.deploy import Deployment, deploy
from agentsim_local.embedded.server import MinistackServer
from agentsim_local.embedded.workarounds import scheduler_input
from agentsim_local.runs_api import RunsApi
from agentsim_local.stdio import log_file
from agentsim_local.webhook import READ_TIMEOUT, post_signed

if TYPE_CHECKING:
    from agentsim_local.emulator import EmulatorServer, EmulatorSettings

REPO_ROOT = Path(__file__).resolve().parents[3]
TEMPLATE = REPO_ROOT / "template.yaml"

Trigger = Literal["webhook", "schedule", "event"]


PROVIDER_ENV = {
    "omnidimension": ("OMNIDIM_API_KEY", "OmnidimBaseUrl"),
    "bluejay": ("BLUEJAY_API_KEY", "BluejayBaseUrl"),
    "synthflow": ("SYNTHFLOW_API_KEY", "SynthflowBaseUrl"),
}
"""provider -> (API key env var, base URL template parameter); base URL env vars: BASE_URL_ENV."""

PLACEHOLDER_KEY = "local-placeholder-key"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
"""Any credentials do for the local AWS; these make sure nothing can reach a real account."""


class EmbeddedStackError(RuntimeError):
    """A trigger was refused or a run could not be found; the message says which and why."""


@dataclass(frozen=True)
class ApiResponse:
    """What the stack's REST API answered."""

    status: int
    headers: httpx.Headers
    json: Any
    text: str


def fast_emulator_settings() -> EmulatorSettings:
    """Emulated durations short enough that a run ends in a few seconds."""
    from agentsim_local.emulator import EmulatorSettings  # noqa: PLC0415 (optional part)

    return EmulatorSettings(queue_seconds=0.5, call_seconds=1.0, summary_seconds=0.5)


class EmbeddedStack:
    """The deployed stack in the local AWS; a context manager (see the module docstring)."""

    def __init__(
        self,
        template: Path = TEMPLATE,
        *,
        stack_name: str = "agentsim",
        region: str | None = None,
        parameters: Mapping[str, str] | None = None,
        base_urls: Mapping[str, str] | None = None,
        api_keys: Mapping[str, str] | None = None,
        emulator_settings: EmulatorSettings | None = None,
        server: MinistackServer | None = None,
        log_path: Path | None = None,
        port: int = 0,
    ) -> None:
        self.template = template
        self.stack_name = stack_name
        self.region = (
            server.region
            if server
            else region or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
        )
        self._parameters = dict(parameters or {})
        self._base_urls = {
            str(provider): url
            for provider, env in BASE_URL_ENV.items()
            if (url := (base_urls or {}).get(provider) or os.environ.get(env))
        }
        self._api_keys = {
            provider: (api_keys or {}).get(provider) or os.environ.get(env) or PLACEHOLDER_KEY
            for provider, (env, _) in PROVIDER_ENV.items()
        }
        self._emulator_settings = emulator_settings
        self.log_path = log_path or (server.log_path if server else log_file("local-aws"))
        self._own_server = server is None
        self.server = server or MinistackServer(
            log_path=self.log_path, region=self.region, port=port
        )
        self.emulator: EmulatorServer | None = None
        self.deployment: Deployment | None = None
        self.outputs: dict[str, str] = {}
        self.api_url = ""
        """The REST API's stage URL, through the local endpoint (ends with `/`)."""
        self._clients: dict[str, Any] = {}
        self._clients_lock = threading.Lock()
        self._http = httpx.Client(
            timeout=httpx.Timeout(30, read=READ_TIMEOUT), limits=httpx.Limits(max_connections=200)
        )
        self._last_scheduled: datetime | None = None
        self._firings = 0
        self.webhook_retries = 0
        """Webhooks sent again because the API did not answer them (see `submit`)."""

    @property
    def endpoint_url(self) -> str:
        return self.server.endpoint_url

    @property
    def account_id(self) -> str:
        return self.server.account_id

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> Self:
        try:
            base_urls = self._start_emulator()
            if self._own_server:
                self.server.start()
            parameters = {
                "PollMinSeconds": "1",
                "PollMaxSeconds": "2",
                **{PROVIDER_ENV[p][1]: url for p, url in base_urls.items()},
                **self._parameters,
            }
            self.deployment = deploy(
                self._client,
                self.template,
                stack_name=self.stack_name,
                region=self.region,
                account_id=self.account_id,
                parameters=parameters,
            )
            self.outputs = dict(self.deployment.outputs)
            if "ApiUrl" in self.outputs:
                self.api_url = local_api_url(self.outputs["ApiUrl"], self.endpoint_url)
            self._store_api_keys()
        except BaseException:
            self.stop()
            raise
        return self

    def _start_emulator(self) -> dict[str, str]:
        if len(self._base_urls) == len(PROVIDER_ENV):
            return dict(self._base_urls)
        from agentsim_local.emulator import EmulatorServer  # noqa: PLC0415 (optional part)

        settings = self._emulator_settings or fast_emulator_settings()
        self.emulator = EmulatorServer(port=0, settings=settings).start()
        urls: dict[str, str] = {str(p): url for p, url in self.emulator.base_urls.items()}
        return {**urls, **self._base_urls}

    def stop(self) -> None:
        try:
            if self.deployment is not None and self.server.pid is not None:
                self._save_lambda_logs()
        finally:
            self._clients.clear()
            self._http.close()
            if self._own_server:
                self.server.stop()
            if self.emulator is not None:
                self.emulator.stop()
                self.emulator = None

    def _save_lambda_logs(self) -> None:
        """The functions' CloudWatch log events, appended to the log file (as `sam logs`)."""
        logs = self._client("logs")
        functions = [
            physical
            for logical, physical in (self.deployment.resources if self.deployment else {}).items()
            if logical.endswith("Function") and physical
        ]
        with self.log_path.open("a", encoding="utf-8") as out:
            for name in functions:
                try:
                    pages = logs.get_paginator("filter_log_events").paginate(
                        logGroupName=f"/aws/lambda/{name}"
                    )
                    for page in pages:
                        for event in page.get("events", []):
                            out.write(f"{name} {event['message'].rstrip()}\n")
                except logs.exceptions.ResourceNotFoundException:
                    continue

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- secrets -------------------------------------------------------------------------------

    def _secret(self) -> dict[str, Any]:
        answer = self._client("secretsmanager").get_secret_value(SecretId=self.outputs["SecretArn"])
        value: dict[str, Any] = json.loads(answer["SecretString"])
        return value

    def _store_api_keys(self) -> None:
        """Provider keys into the stack's secret, keeping the generated webhook secret."""
        if "SecretArn" not in self.outputs:
            return
        secret = self._secret()
        secret.update({f"{p}_api_key": key for p, key in self._api_keys.items()})
        self._client("secretsmanager").put_secret_value(
            SecretId=self.outputs["SecretArn"], SecretString=json.dumps(secret)
        )

    @cached_property
    def webhook_secret(self) -> str:
        """The stack's generated webhook secret (read once: the local stack never rotates it)."""
        return str(self._secret()["webhook_secret"])

    def signed_headers(self, body: bytes) -> dict[str, str]:
        """The webhook signature headers for `body`, signed with the stack's secret."""
        return sign(self.webhook_secret, body)

    # -- triggers ------------------------------------------------------------------------------

    def invoke_api(
        self,
        method: str,
        path: str,
        body: bytes | str | Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        query: Mapping[str, str] | None = None,
    ) -> ApiResponse:
        """One HTTP request to the stack's REST API stage (its API Gateway)."""
        content = json.dumps(body).encode() if isinstance(body, Mapping) else body
        sent = dict(headers or {})
        if content is not None and not any(k.lower() == "content-type" for k in sent):
            sent["Content-Type"] = "application/json"
        response = self._http.request(
            method,
            self.api_url.rstrip("/") + path,
            content=content,
            headers=sent,
            params=dict(query) if query else None,
        )
        try:
            decoded: Any = response.json()
        except ValueError:
            decoded = None
        return ApiResponse(response.status_code, response.headers, decoded, response.text)

    def submit(
        self,
        request: Mapping[str, Any],
        trigger: Trigger = "webhook",
        idempotency_key: str | None = None,
    ) -> str:
        """Start one run through `trigger`; its run id."""
        if trigger == "event":
            return self.put_event(request)
        if trigger == "schedule":
            return self._submit_scheduled(request)
        body = json.dumps(request).encode()
        secret = self.webhook_secret

        def signed() -> dict[str, str]:
            headers = {"Content-Type": "application/json", **sign(secret, body)}
            if idempotency_key is not None:
                headers["Idempotency-Key"] = idempotency_key
            return headers

        # An unanswered webhook (the API's 29 s timeout, e.g. while cold workers start) is sent
        # again: one key, one run (see agentsim_local.webhook). With a key, signed afresh.
        url = self.api_url.rstrip("/") + WEBHOOK_PATH
        posted = post_signed(self._http, url, body, signed if idempotency_key else signed())
        with self._clients_lock:
            self.webhook_retries += posted.attempts - 1
        response = posted.response
        try:
            answer: Any = response.json()
        except ValueError:
            answer = None
        if response.status_code >= 400:
            reason = _error_text(answer, response.text)
            tries = f" ({posted.attempts} attempts)" if posted.attempts > 1 else ""
            status = response.status_code
            raise EmbeddedStackError(f"webhook refused: HTTP {status}{tries}: {reason}")
        return _run_id(answer)

    def put_event(self, request: Mapping[str, Any]) -> str:
        """Put a start event on the stack's bus; the id of the run its rule's target starts
        (named after the event id, so it is known before the target has run)."""
        entry = self._client("events").put_events(
            Entries=[
                {
                    "EventBusName": self.outputs["EventBusName"],
                    "Source": EVENT_SOURCE,
                    "DetailType": START_DETAIL_TYPE,
                    "Detail": json.dumps(request),
                }
            ]
        )["Entries"][0]
        if "EventId" not in entry:
            raise EmbeddedStackError(f"event refused: {entry.get('ErrorMessage')}")
        return ids.run_id_for_event(str(entry["EventId"]))

    def fire_schedule(self, name: str | None = None, scheduled_time: datetime | None = None) -> str:
        """Fire the nightly schedule (even DISABLED, as "run now" does) through the Scheduler;
        the id of the run it starts (named after the schedule and the scheduled time)."""
        return self._fire(name, scheduled_time, request=None)

    def _submit_scheduled(self, request: Mapping[str, Any]) -> str:
        """The nightly schedule firing with `request` in place of the one it carries.

        Each call is a firing of its own: scheduled times are whole seconds, so one submitted in
        the same second as the previous is given the next second (one run per firing).
        """
        when = datetime.now(UTC).replace(microsecond=0)
        with self._clients_lock:
            if self._last_scheduled is not None and when <= self._last_scheduled:
                when = self._last_scheduled + timedelta(seconds=1)
            self._last_scheduled = when
        return self._fire(None, when, request=request)

    def _fire(self, name: str | None, scheduled_time: datetime | None, *, request: Any) -> str:
        """A one-time copy of the schedule, due now, that the Scheduler fires and deletes."""
        schedule_name = name or self.outputs["NightlyScheduleName"]
        when = (scheduled_time or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
        scheduler = self._client("scheduler")
        schedule = scheduler.get_schedule(Name=schedule_name)
        target = {
            k: v
            for k, v in schedule["Target"].items()
            if k in {"Arn", "RoleArn", "Input", "RetryPolicy", "DeadLetterConfig"}
        }
        text = scheduler_input(str(target.get("Input", "{}")), schedule["Arn"], when)
        if request is not None:
            payload = json.loads(text)
            payload["request"] = dict(request)
            text = json.dumps(payload)
        target["Input"] = text
        with self._clients_lock:
            self._firings += 1
            firing = f"{schedule_name[:40]}-now-{time.time_ns() % 10**9}-{self._firings}"
        now = datetime.now(UTC)
        scheduler.create_schedule(
            Name=firing,
            ScheduleExpression=f"at({now:%Y-%m-%dT%H:%M:%S})",
            ScheduleExpressionTimezone="UTC",
            FlexibleTimeWindow={"Mode": "OFF"},
            Target=target,
            ActionAfterCompletion="DELETE",
            State="ENABLED",
        )
        return ids.run_id_for_schedule(schedule_name, when.strftime("%Y-%m-%dT%H:%M:%SZ"))

    # -- reading runs (through the API, as its clients do) --------------------------------------

    @property
    def runs_api(self) -> RunsApi:
        return RunsApi(self.api_url, lambda: self.webhook_secret, self._http)

    def get_run(self, run_id: str) -> dict[str, Any] | None:
        """The run as `GET /simulations/{id}` shows it, or None while it does not exist."""
        return self.runs_api.get(run_id)

    def list_runs(self, since: datetime | None = None) -> list[dict[str, Any]]:
        """Every run (created at or after `since`), newest first, as `GET /simulations` lists."""
        return list(self.runs_api.runs(since=since))

    def wait(self, run_id: str, timeout: float = 60.0) -> dict[str, Any]:
        """The run's final record, once its status and its execution are both finished."""
        deadline = time.monotonic() + timeout
        record: dict[str, Any] | None = None
        while time.monotonic() < deadline:
            record = self.get_run(run_id)
            finished = record is not None and record.get("status") in TERMINAL
            if finished and self._execution_status(run_id) != "RUNNING":
                assert record is not None
                return record
            time.sleep(0.25)
        raise TimeoutError(f"run {run_id} not finished after {timeout}s; last record: {record}")

    def transitions(self, run_id: str) -> int:
        """How many states the run's execution entered (its Step Functions state transitions).

        The execution is named after the run, so its ARN needs no read; a run that never got
        one (an invalid scheduled request) has 0.
        """
        sfn = self._client("stepfunctions")
        execution = execution_arn(self.outputs["StateMachineArn"], run_id)
        count = 0
        try:
            for page in sfn.get_paginator("get_execution_history").paginate(executionArn=execution):
                count += sum(1 for e in page["events"] if e["type"].endswith("StateEntered"))
        except sfn.exceptions.ExecutionDoesNotExist:
            return 0
        return count

    def executions(self) -> list[dict[str, Any]]:
        """Every execution of the stack's state machine (newest first, as the API lists them)."""
        sfn = self._client("stepfunctions")
        pages = sfn.get_paginator("list_executions").paginate(
            stateMachineArn=self.outputs["StateMachineArn"]
        )
        return [e for page in pages for e in page["executions"]]

    def _execution_status(self, run_id: str) -> str | None:
        """The status of the run's execution (named after the run); None when it has none."""
        sfn = self._client("stepfunctions")
        try:
            described = sfn.describe_execution(
                executionArn=execution_arn(self.outputs["StateMachineArn"], run_id)
            )
        except sfn.exceptions.ExecutionDoesNotExist:
            return None
        return str(described["status"])

    # -- helpers -------------------------------------------------------------------------------

    def _client(self, service: str) -> Any:
        """One client per service, shared by threads (creating clients is not thread-safe)."""
        with self._clients_lock:
            if service not in self._clients:
                self._clients[service] = boto3.session.Session().client(  # type: ignore[call-overload]
                    service, endpoint_url=self.endpoint_url, region_name=self.region, **CREDENTIALS
                )
            return self._clients[service]


def _run_id(answer: Any) -> str:
    if isinstance(answer, dict) and isinstance(answer.get("run_id"), str):
        return str(answer["run_id"])
    raise EmbeddedStackError(f"no run_id in the answer: {answer}")


def _error_text(body: Any, text: str) -> str:
    """The useful part of an error answer: a Lambda crash's message, not its stack trace."""
    if isinstance(body, dict) and "errorMessage" in body:
        return f"{body.get('errorType', 'Error')}: {body['errorMessage']}"
    return text
