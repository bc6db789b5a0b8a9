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
from datetime import UTC, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Self

import boto3
import httpx

from agentsim.providers import BASE_URL_ENV
from agentsim.runs import ids
from agentsim.runs.aws import EVENT_SOURCE, START_DETAIL_TYPE
from agentsim.runs.record import TERMINAL
from agentsim.runs.signing import sign
from agentsim_local.deployed import local_api_url
from agentsim_local.embedded import rest_api
from agentsim_local.embedded.deploy import Deployment, deploy
from agentsim_local.embedded.executions import Executions
from agentsim_local.embedded.lambda_logs import append_lambda_logs
from agentsim_local.embedded.rest_api import ApiResponse, EmbeddedStackError
from agentsim_local.embedded.schedules import fire_copy
from agentsim_local.embedded.server import MinistackServer
from agentsim_local.runs_api import RunsApi
from agentsim_local.stdio import log_file
from agentsim_local.webhook import READ_TIMEOUT

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
        resources = self.deployment.resources if self.deployment else {}
        functions = [p for logical, p in resources.items() if logical.endswith("Function") and p]
        append_lambda_logs(self._client("logs"), functions, self.log_path)

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
        url = self.api_url.rstrip("/") + path
        return rest_api.request(self._http, url, method, body, headers, query)

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
        submitted = rest_api.submit_webhook(
            self._http, self.api_url, self.webhook_secret, request, idempotency_key
        )
        with self._clients_lock:
            self.webhook_retries += submitted.attempts - 1
        return submitted.run_id

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
        with self._clients_lock:
            self._firings += 1
            firing = f"{schedule_name[:40]}-now-{time.time_ns() % 10**9}-{self._firings}"
        fire_copy(
            self._client("scheduler"),
            schedule_name,
            firing_name=firing,
            scheduled_time=when,
            request=request,
        )
        return ids.run_id_for_schedule(schedule_name, when.strftime("%Y-%m-%dT%H:%M:%SZ"))

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
            if finished and self._executions.status(run_id) != "RUNNING":
                assert record is not None
                return record
            time.sleep(0.25)
        raise TimeoutError(f"run {run_id} not finished after {timeout}s; last record: {record}")

    @property
    def _executions(self) -> Executions:
        return Executions(self._client("stepfunctions"), self.outputs["StateMachineArn"])

    def transitions(self, run_id: str) -> int:
        """How many states the run's execution entered (its Step Functions state transitions)."""
        return self._executions.transitions(run_id)

    def executions(self) -> list[dict[str, Any]]:
        """Every execution of the stack's state machine (newest first, as the API lists them)."""
        return self._executions.all()

    def _client(self, service: str) -> Any:
        """One client per service, shared by threads (creating clients is not thread-safe)."""
        with self._clients_lock:
            if service not in self._clients:
                self._clients[service] = boto3.session.Session().client(  # type: ignore[call-overload]
                    service, endpoint_url=self.endpoint_url, region_name=self.region, **CREDENTIALS
                )
            return self._clients[service]
