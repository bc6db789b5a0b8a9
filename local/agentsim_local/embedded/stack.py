"""`EmbeddedStack`: agentsim's real template running on this machine, no account, no Docker.

Entering it starts the provider emulator (unless provider base URLs are given), embedded AWS
(`aws.py`), deploys `template.yaml` through moto's CloudFormation (`deploy.py`) with the
emulator's base URLs and fast polling, and stores the provider API keys in the stack's secret.
Its members drive the stack the way the outside world does: the API through API Gateway proxy
events, EventBridge events, the Scheduler schedule, and reading the runs table and the
executions. Leaving it stops everything and restores the process environment.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Self
from urllib.parse import urlencode

import boto3

from agentsim.providers import BASE_URL_ENV
from agentsim.runs.aws import EVENT_SOURCE, START_DETAIL_TYPE, execution_arn
from agentsim.runs.codec import plain_item
from agentsim.runs.record import TERMINAL
from agentsim_local.deployed import WEBHOOK_PATH
from agentsim_local.embedded.api_events import (
    IMPLICIT_STAGE,
    ApiResponse,
    Route,
    decode_response,
    missing_route,
    proxy_event,
    resolve,
    routes_of,
    stage_of,
)
from agentsim_local.embedded.aws import EmbeddedAws
from agentsim_local.embedded.deploy import Deployment, deploy

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


class EmbeddedStackError(RuntimeError):
    """A trigger was refused or a run could not be found; the message says which and why."""


def fast_emulator_settings() -> EmulatorSettings:
    """Emulated durations short enough that a run ends in a few seconds."""
    from agentsim_local.emulator import EmulatorSettings  # noqa: PLC0415 (optional part)

    return EmulatorSettings(queue_seconds=0.5, call_seconds=1.0, summary_seconds=0.5)


class EmbeddedStack:
    """The deployed stack in embedded AWS; a context manager (see the module docstring)."""

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
    ) -> None:
        self.template = template
        self.stack_name = stack_name
        self.region = region or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
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
        self.emulator: EmulatorServer | None = None
        self.aws = EmbeddedAws(region=self.region)
        self.deployment: Deployment | None = None
        self.outputs: dict[str, str] = {}
        self.endpoint_url = ""
        self.routes: list[Route] = []
        """The API function's routes (its `Api` events); filled in by `start`."""
        self.stage = IMPLICIT_STAGE
        """The stage of the API serving them (`StageName`); filled in by `start`."""
        self._session = boto3.session.Session()
        self._clients: dict[str, Any] = {}
        self._clients_lock = threading.Lock()
        self._last_scheduled: datetime | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> Self:
        try:
            base_urls = self._start_emulator()
            self.aws.start()
            self.endpoint_url = self.aws.endpoint_url
            # A session of its own, made once embedded AWS's credentials are in the environment.
            self._session = boto3.session.Session()
            parameters = {
                "PollMinSeconds": "1",
                "PollMaxSeconds": "2",
                **{PROVIDER_ENV[p][1]: url for p, url in base_urls.items()},
                **self._parameters,
            }
            self.deployment = deploy(
                self.aws, self.template, stack_name=self.stack_name, parameters=parameters
            )
            self.outputs = dict(self.deployment.outputs)
            self._store_api_keys()
            api_function = self._logical_id(self.outputs.get("ApiFunctionName")) or ""
            sam = self.deployment.template.sam
            self.routes = routes_of(sam, api_function)
            self.stage = stage_of(sam, api_function, parameters)
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
        self._clients.clear()
        self.aws.stop()
        if self.emulator is not None:
            self.emulator.stop()
            self.emulator = None

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

    @property
    def webhook_secret(self) -> str:
        return str(self._secret()["webhook_secret"])

    def signed_headers(self, body: bytes) -> dict[str, str]:
        """The webhook signature headers for `body`, signed with the stack's secret."""
        from agentsim.runs.signing import sign  # noqa: PLC0415 (the layer, on sys.path)

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
        """Call the REST API as API Gateway would: a proxy event to the API function."""
        text = _body_text(body)
        sent_headers = dict(headers or {})
        if text is not None and not any(k.lower() == "content-type" for k in sent_headers):
            sent_headers["Content-Type"] = "application/json"
        resolved = resolve(method, path, self.routes)
        if resolved is None:
            return decode_response(missing_route())
        route, params = resolved
        event = proxy_event(
            method,
            f"{path}?{urlencode(query)}" if query else path,
            sent_headers,
            text,
            route=route,
            path_parameters=params,
            stage=self.stage,
            account_id=self.aws.account_id,
        )
        failed, payload = self.invoke(self.outputs["ApiFunctionName"], event)
        if failed:
            # What API Gateway answers when the integration's function fails.
            return ApiResponse(502, {}, {"message": "Internal server error"}, json.dumps(payload))
        return decode_response(payload)

    def invoke(self, function: str, payload: Any) -> tuple[bool, Any]:
        """Invoke a function (name or ARN) through the Lambda API and wait for its answer:
        (whether the function failed, its decoded payload)."""
        answer = self._client("lambda").invoke(
            FunctionName=function, Payload=json.dumps(payload).encode()
        )
        return bool(answer.get("FunctionError")), json.loads(answer["Payload"].read() or b"null")

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
        headers = self.signed_headers(body)
        if idempotency_key is not None:
            headers["Idempotency-Key"] = idempotency_key
        response = self.invoke_api("POST", WEBHOOK_PATH, body=body, headers=headers)
        if response.status >= 400:
            reason = _error_text(response.json, response.text)
            raise EmbeddedStackError(f"webhook refused: HTTP {response.status}: {reason}")
        return _run_id(response.json)

    def put_event(self, request: Mapping[str, Any]) -> str:
        """Put a start event on the stack's bus; the run id its rule's target started."""
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
        deliveries = self.aws.deliveries.wait(entry["EventId"], timeout=60)
        if not deliveries:
            raise EmbeddedStackError("no rule on the bus delivered the event to a function")
        delivery = deliveries[0]
        if delivery.errored:
            raise EmbeddedStackError(f"the event's target failed: {delivery.payload}")
        return _run_id(delivery.payload)

    def fire_schedule(self, name: str | None = None, scheduled_time: datetime | None = None) -> str:
        """Do what the scheduler does when the schedule fires (even a DISABLED one); the run id.

        `name` is an EventBridge Scheduler schedule or, failing that, a scheduled EventBridge rule.
        """
        target, payload = self._scheduled_invocation(name, scheduled_time)
        return self._invoke_target(target, payload)

    def _scheduled_invocation(
        self, name: str | None, scheduled_time: datetime | None
    ) -> tuple[str, Any]:
        """(target ARN, payload) the schedule delivers when it fires at `scheduled_time`."""
        schedule_name = name or self.outputs["NightlyScheduleName"]
        when = (scheduled_time or datetime.now(UTC)).astimezone(UTC)
        scheduler = self._client("scheduler")
        try:
            schedule = scheduler.get_schedule(Name=schedule_name)
        except scheduler.exceptions.ResourceNotFoundException:
            return self._rule_invocation(schedule_name, when)
        text = str(schedule["Target"].get("Input", "{}"))
        for key, value in {
            "<aws.scheduler.scheduled-time>": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "<aws.scheduler.schedule-arn>": schedule["Arn"],
            "<aws.scheduler.execution-id>": f"embedded-{time.time_ns()}",
            "<aws.scheduler.attempt-number>": "1",
        }.items():
            text = text.replace(key, value)
        return str(schedule["Target"]["Arn"]), json.loads(text)

    def _rule_invocation(self, name: str, when: datetime) -> tuple[str, Any]:
        events = self._client("events")
        rule = events.describe_rule(Name=name)
        target = events.list_targets_by_rule(Rule=name)["Targets"][0]
        if "Input" in target:
            payload = json.loads(target["Input"])
        else:  # the "Scheduled Event" EventBridge sends a target without Input
            payload = {
                "version": "0",
                "id": f"embedded-{time.time_ns()}",
                "detail-type": "Scheduled Event",
                "source": "aws.events",
                "account": self.aws.account_id,
                "time": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "region": self.region,
                "resources": [rule["Arn"]],
                "detail": {},
            }
        return str(target["Arn"]), payload

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
        target, payload = self._scheduled_invocation(None, when)
        if isinstance(payload, dict) and "request" in payload:
            payload["request"] = dict(request)
        else:
            payload = dict(request)
        return self._invoke_target(target, payload)

    def _invoke_target(self, target: str, payload: Any) -> str:
        """Invoke a schedule's Lambda target and read the run id from its answer.

        The scheduler invokes asynchronously; here the call waits for the answer so the caller
        learns the run id.
        """
        if ":lambda:" not in target:
            raise EmbeddedStackError(f"schedule target {target} is not a Lambda function")
        failed, result = self.invoke(target, payload)
        if failed:
            raise EmbeddedStackError(f"the schedule's target failed: {result}")
        return _run_id(result)

    # -- reading runs --------------------------------------------------------------------------

    def get_run(self, run_id: str) -> dict[str, Any] | None:
        """The run's record in the runs table, or None while it does not exist."""
        item = self._client("dynamodb").get_item(
            TableName=self.outputs["RunsTableName"],
            Key={"run_id": {"S": run_id}},
            ConsistentRead=True,
        )
        return plain_item(item["Item"]) if "Item" in item else None

    def list_runs(self) -> list[dict[str, Any]]:
        paginator = self._client("dynamodb").get_paginator("scan")
        return [
            plain_item(item)
            for page in paginator.paginate(TableName=self.outputs["RunsTableName"])
            for item in page.get("Items", [])
        ]

    def wait(self, run_id: str, timeout: float = 60.0) -> dict[str, Any]:
        """The run's final record, once its status and its execution are both finished."""
        deadline = time.monotonic() + timeout
        record: dict[str, Any] | None = None
        while time.monotonic() < deadline:
            record = self.get_run(run_id)
            if record is not None and record.get("status") in TERMINAL:
                execution = self._execution_arn(run_id, record)
                if execution is None or self._execution_status(execution) != "RUNNING":
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

    def _execution_arn(self, run_id: str, record: Mapping[str, Any] | None) -> str | None:
        if record is not None and record.get("execution_arn"):
            return str(record["execution_arn"])
        for execution in self.executions():
            if execution["name"] == run_id:
                return str(execution["executionArn"])
        return None

    def _execution_status(self, execution_arn: str) -> str:
        described = self._client("stepfunctions").describe_execution(executionArn=execution_arn)
        return str(described["status"])

    # -- helpers -------------------------------------------------------------------------------

    def _client(self, service: str) -> Any:
        """One client per service, shared by threads (creating clients is not thread-safe)."""
        with self._clients_lock:
            if service not in self._clients:
                self._clients[service] = self._session.client(  # type: ignore[call-overload]
                    service, endpoint_url=self.endpoint_url, region_name=self.region
                )
            return self._clients[service]

    def _logical_id(self, physical_id: str | None) -> str | None:
        assert self.deployment is not None
        for logical_id, physical in self.deployment.resources.items():
            if physical == physical_id:
                return logical_id
        return None


def _body_text(body: bytes | str | Mapping[str, Any] | None) -> str | None:
    if body is None or isinstance(body, str):
        return body
    if isinstance(body, bytes):
        return body.decode("utf-8")
    return json.dumps(body)


def _run_id(answer: Any) -> str:
    if isinstance(answer, dict) and isinstance(answer.get("run_id"), str):
        return str(answer["run_id"])
    raise EmbeddedStackError(f"no run_id in the answer: {answer}")


def _error_text(body: Any, text: str) -> str:
    """The useful part of an error answer: a Lambda crash's message, not its stack trace."""
    if isinstance(body, dict) and "errorMessage" in body:
        return f"{body.get('errorType', 'Error')}: {body['errorMessage']}"
    return text
