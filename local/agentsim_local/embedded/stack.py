"""`EmbeddedStack`: agentsim's real template running on this machine, no account, no Docker.

Entering it starts the provider emulator (unless provider base URLs are given) and a ministack
server (`server.py`, unless one is given to share), deploys `template.yaml` through its
CloudFormation (`deploy.py`) with the emulator's base URLs and fast polling, and stores the
provider API keys in the stack's secret. Its members drive the stack as the outside world does
(its API Gateway stage, its bus, its Scheduler; runs read through the API, executions through
Step Functions). Leaving it stops what it started and keeps the functions' logs in the log file.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Mapping
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Self, Unpack

import boto3
import httpx

from agentsim.providers import BASE_URL_ENV
from agentsim.runs import ids
from agentsim.runs.aws import EVENT_SOURCE, START_DETAIL_TYPE
from agentsim.runs.record import TERMINAL
from agentsim.runs.signing import sign
from agentsim_local.deployed import local_api_url
from agentsim_local.embedded import rest_api
from agentsim_local.embedded.api_calls import ApiCalls
from agentsim_local.embedded.deploy import Deployment, deploy
from agentsim_local.embedded.executions import Executions
from agentsim_local.embedded.lambda_logs import append_lambda_logs
from agentsim_local.embedded.local_settings import (
    CREDENTIALS,
    PLACEHOLDER_KEY,
    PROVIDER_ENV,
    delivery_settings,
    fast_emulator_settings,
)
from agentsim_local.embedded.rest_api import ApiResponse, EmbeddedStackError, RequestParts
from agentsim_local.embedded.schedules import Firings
from agentsim_local.embedded.server import MinistackServer
from agentsim_local.embedded.stack_secret import StackSecret
from agentsim_local.embedded.workarounds import retry_throttled_polls_soon
from agentsim_local.runs_api import RunsApi
from agentsim_local.stdio import log_file
from agentsim_local.webhook import READ_TIMEOUT

if TYPE_CHECKING:
    from agentsim_local.emulator import EmulatorServer, EmulatorSettings

REPO_ROOT = Path(__file__).resolve().parents[3]
TEMPLATE = REPO_ROOT / "template.yaml"

Trigger = Literal["webhook", "schedule", "event"]


class EmbeddedStack(ApiCalls):
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
        default_region = region or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
        self.region = server.region if server else default_region
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
        self._firings = Firings(lambda: self._client("scheduler"))
        self._delivery_secret: dict[str, str] = {}
        self.webhook_retries = 0
        """Webhooks sent again because the API did not answer them (see `submit`)."""

    @property
    def endpoint_url(self) -> str:
        return self.server.endpoint_url

    @property
    def account_id(self) -> str:
        return self.server.account_id

    def start(self) -> Self:
        try:
            base_urls = self._start_emulator()
            if self._own_server:
                self.server.start()
            delivery, self._delivery_secret = delivery_settings(self.emulator)
            parameters = {
                "PollMinSeconds": "1",
                "PollMaxSeconds": "2",
                **{PROVIDER_ENV[p][1]: url for p, url in base_urls.items()},
                **delivery,
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
            if "PollQueue" in self.deployment.resources:
                retry_throttled_polls_soon(
                    self._client("sqs"), self.deployment.resources["PollQueue"]
                )
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

    def _store_api_keys(self) -> None:
        if "SecretArn" in self.outputs:
            self._stack_secret.store_api_keys(self._api_keys, self._delivery_secret)

    @property
    def _stack_secret(self) -> StackSecret:
        return StackSecret(self._client("secretsmanager"), self.outputs["SecretArn"])

    @cached_property
    def webhook_secret(self) -> str:
        """The stack's generated webhook secret (read once: the local stack never rotates it)."""
        return str(self._stack_secret.read()["webhook_secret"])

    def signed_headers(self, body: bytes) -> dict[str, str]:
        """The webhook signature headers for `body`, signed with the stack's secret."""
        return sign(self.webhook_secret, body)

    def invoke_api(self, method: str, path: str, **parts: Unpack[RequestParts]) -> ApiResponse:
        """One HTTP request to the stack's REST API stage (its API Gateway)."""
        url = self.api_url.rstrip("/") + path
        return rest_api.request(self._http, url, method, **parts)

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
            return self._firings.fire_with(self.outputs["NightlyScheduleName"], request)
        submitted = rest_api.submit_webhook(
            self._http, self.api_url, self.webhook_secret, request, idempotency_key
        )
        with self._clients_lock:
            self.webhook_retries += submitted.attempts - 1
        return submitted.run_id

    def put_event(self, request: Mapping[str, Any]) -> str:
        """Put a start event on the stack's bus; the id of the run its rule's target starts
        (named after the event id, so it is known before the target has run)."""
        return ids.run_id_for_event(self.put_start_event(START_DETAIL_TYPE, request))

    def put_start_event(self, detail_type: str, detail: Mapping[str, Any]) -> str:
        """Put an agentsim event on the stack's bus; its event id."""
        entry = self._client("events").put_events(
            Entries=[
                {
                    "EventBusName": self.outputs["EventBusName"],
                    "Source": EVENT_SOURCE,
                    "DetailType": detail_type,
                    "Detail": json.dumps(detail),
                }
            ]
        )["Entries"][0]
        if "EventId" not in entry:
            raise EmbeddedStackError(f"event refused: {entry.get('ErrorMessage')}")
        return str(entry["EventId"])

    def fire_schedule(self, name: str | None = None, scheduled_time: datetime | None = None) -> str:
        """Fire the nightly schedule (even DISABLED, as "run now" does) through the Scheduler;
        the id of the run it starts (named after the schedule and the scheduled time)."""
        return self._firings.fire(name or self.outputs["NightlyScheduleName"], scheduled_time)

    @property
    def runs_api(self) -> RunsApi:
        return RunsApi(self.api_url, lambda: self.webhook_secret, self._http)

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
