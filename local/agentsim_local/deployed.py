"""A deployed agentsim stack, found by name through CloudFormation outputs.

Everything the CLI needs is in the stack's outputs (`ApiUrl`, `SecretArn`, `EventBusName`), so
it works the same against AWS and against the local AWS of `agentsim local up`
(`endpoint_url`). Runs are read through the API (`runs_api`), never from the tables.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import boto3
import httpx
from botocore.exceptions import BotoCoreError, ClientError

from agentsim.runs.aws import EVENT_SOURCE, START_DETAIL_TYPE
from agentsim.runs.signing import sign
from agentsim_local.errors import CliError
from agentsim_local.jsonout import to_json
from agentsim_local.runs_api import RunsApi
from agentsim_local.webhook import READ_TIMEOUT, post_signed

WEBHOOK_PATH = "/simulations"
IDEMPOTENCY_HEADER = "Idempotency-Key"
EVENT_DETAIL_TYPE = START_DETAIL_TYPE
_EXECUTE_API = re.compile(r"^https://(?P<api>[^./]+)\.execute-api\.[^/]+/(?P<rest>.*)$")


def local_api_url(api_url: str, endpoint_url: str | None) -> str:
    """An API Gateway URL as reachable through a local AWS endpoint.

    `https://{api}.execute-api.{region}.amazonaws.com/{stage}/` names no local host, so behind an
    endpoint it is the endpoint's documented path form `/_aws/execute-api/{api}/{stage}/`
    (https://github.com/ministackorg/ministack#api-gateway); without one it is kept as it is.
    """
    match = _EXECUTE_API.match(api_url)
    if not endpoint_url or match is None:
        return api_url
    return f"{endpoint_url.rstrip('/')}/_aws/execute-api/{match['api']}/{match['rest']}"


@dataclass(frozen=True)
class Aws:
    """Where the stack lives: a region and, for the embedded AWS, an endpoint URL."""

    region: str | None = None
    endpoint_url: str | None = None

    def client(self, service: str) -> Any:
        return boto3.client(service, **self._options())  # type: ignore[call-overload]

    def resource(self, service: str) -> Any:
        return boto3.resource(service, **self._options())  # type: ignore[call-overload]

    def _options(self) -> dict[str, Any]:
        options: dict[str, Any] = {"region_name": self.region}
        if self.endpoint_url:
            # The local AWS takes any credentials; do not require a profile for it.
            session = boto3.Session()
            options["endpoint_url"] = self.endpoint_url
            options["region_name"] = self.region or session.region_name or "us-east-1"
            if session.get_credentials() is None:
                options["aws_access_key_id"] = "testing"
                options["aws_secret_access_key"] = "testing"  # noqa: S105
        return options


def aws_call(what: str, call: Any, *args: Any, **kwargs: Any) -> Any:
    """Run one AWS call, turning botocore's failures into a one-line CliError."""
    try:
        return call(*args, **kwargs)
    except ClientError as exc:
        error = exc.response.get("Error", {})
        raise CliError(f"{what}: {error.get('Code')}: {error.get('Message')}") from None
    except BotoCoreError as exc:
        raise CliError(f"{what}: {exc}") from None


@dataclass
class DeployedStack:
    name: str
    outputs: dict[str, str]
    aws: Aws = field(default_factory=Aws)

    @classmethod
    def find(cls, name: str, aws: Aws) -> DeployedStack:
        cloudformation = aws.client("cloudformation")
        answer = aws_call(f"stack {name}", cloudformation.describe_stacks, StackName=name)
        stack = answer["Stacks"][0]
        outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
        return cls(name, outputs, aws)

    def output(self, key: str) -> str:
        try:
            return self.outputs[key]
        except KeyError:
            raise CliError(f"stack {self.name} has no output {key!r}") from None

    def webhook_secret(self) -> str:
        client = self.aws.client("secretsmanager")
        answer = aws_call(
            "reading the webhook secret", client.get_secret_value, SecretId=self.output("SecretArn")
        )
        try:
            secret = json.loads(answer["SecretString"])["webhook_secret"]
        except (KeyError, TypeError, json.JSONDecodeError):
            raise CliError(f"stack {self.name}: the secret holds no 'webhook_secret'") from None
        if not isinstance(secret, str) or not secret:
            raise CliError(f"stack {self.name}: the secret's 'webhook_secret' is empty")
        return secret

    def webhook_url(self, api_url: str | None = None, path: str = WEBHOOK_PATH) -> str:
        base = api_url or local_api_url(self.output("ApiUrl"), self.aws.endpoint_url)
        return base.rstrip("/") + path

    def post_webhook(
        self,
        body: bytes,
        *,
        api_url: str | None = None,
        idempotency_key: str | None = None,
        path: str = WEBHOOK_PATH,
        id_field: str = "run_id",
    ) -> str:
        """Sign `body` with the stack's webhook secret and post it (to `path`: `/suites` for a
        suite); the id the API gave (`id_field`).

        With an `idempotency_key` the API makes one run of the key (each attempt signed
        afresh); without one, one run of the body for 24 hours (the identical request resent).
        """
        url = self.webhook_url(api_url, path)
        secret = self.webhook_secret()

        def signed() -> dict[str, str]:
            headers = {"Content-Type": "application/json", **sign(secret, body)}
            if idempotency_key is not None:
                headers[IDEMPOTENCY_HEADER] = idempotency_key
            return headers

        try:
            with httpx.Client(timeout=httpx.Timeout(30, read=READ_TIMEOUT)) as client:
                headers = signed if idempotency_key is not None else signed()
                response = post_signed(client, url, body, headers).response
        except httpx.HTTPError as exc:
            raise CliError(f"POST {url}: {exc or type(exc).__name__}") from None
        try:
            answer = response.json()
        except ValueError:
            answer = {"message": response.text[:200]}
        if response.is_error:
            detail = answer.get("message") or answer.get("detail") or answer
            raise CliError(f"POST {url}: HTTP {response.status_code}: {detail}", exit_code=1)
        run_id = answer.get(id_field)
        if not run_id:
            raise CliError(f"the API answered without {id_field}: {to_json(answer, indent=None)}")
        return str(run_id)

    def put_start_event(self, request: dict[str, Any], detail_type: str = EVENT_DETAIL_TYPE) -> str:
        """Put a StartSimulation (or `detail_type`) event carrying `request` on the stack's bus;
        the event id."""
        client = self.aws.client("events")
        answer = aws_call(
            "putting the event",
            client.put_events,
            Entries=[
                {
                    "EventBusName": self.output("EventBusName"),
                    "Source": EVENT_SOURCE,
                    "DetailType": detail_type,
                    "Detail": json.dumps(request),
                }
            ],
        )
        entry = answer["Entries"][0]
        if "EventId" not in entry:
            raise CliError(f"event rejected: {entry.get('ErrorCode')}: {entry.get('ErrorMessage')}")
        return str(entry["EventId"])

    @cached_property
    def runs_api(self) -> RunsApi:
        """Made once: `status --wait` reads the run every half second."""
        api_url = local_api_url(self.output("ApiUrl"), self.aws.endpoint_url)
        secret = self.webhook_secret()
        client = httpx.Client(timeout=httpx.Timeout(30))
        return RunsApi(api_url, lambda: secret, client)

    def get_run(self, run_id: str) -> dict[str, Any] | None:
        """The run as the API shows it (`GET /simulations/{id}`); None when there is none."""
        return self.runs_api.get(run_id)

    def runs(self, limit: int | None = None) -> Iterator[dict[str, Any]]:
        """The stack's runs, newest first, as the API lists them (`GET /simulations`)."""
        return self.runs_api.runs(limit=limit)
