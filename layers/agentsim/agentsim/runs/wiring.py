"""Build `Services` for a Lambda function from its settings, with real AWS clients.

Called on a function's first invocation (never at import), so the clients are created inside
whatever AWS the invocation runs against (AWS itself, or moto in tests and local runs). The
cache lives in each handler module (`lazy_services`), never here: layer modules are imported
once per process, and several stacks (or moto setups) may share one.
Provider adapters get their API key from the stack's secret (Powertools Parameters, cached) and
share one HTTP client per provider for as long as the `Services` live (`ClientPool`).

boto3, httpx, the AWS adapters and the secret's reader are imported here on the first build,
not when a handler module is imported: a cold start's import then costs about what
`import boto3` does, and the X-Ray patches go on before the first client exists.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

from agentsim.providers import create_provider
from agentsim.providers.base import ProviderName, SimulationProvider
from agentsim.runs import telemetry
from agentsim.runs.repository import RunRepository
from agentsim.runs.services import Providers, Services
from agentsim.runs.settings import Settings

if TYPE_CHECKING:
    from boto3.session import Session

    from agentsim.providers.deadline import Deadline
    from agentsim.providers.http import ClientPool
    from agentsim.runs.secrets import AgentsimSecrets


def secrets_of(settings: Settings) -> AgentsimSecrets:
    from agentsim.runs.secrets import load_secrets  # noqa: PLC0415 (Powertools Parameters: boto3)

    return load_secrets(settings.require("secret_arn"), max_age=settings.secret_max_age_seconds)


def build_services(
    settings: Settings, session: Session | None = None, *, clients: ClientPool | None = None
) -> Services:
    """Everything the use cases need; `clients` (default: a new pool) carry provider traffic."""
    import boto3  # noqa: PLC0415 (see the module docstring)

    from agentsim.providers.http import ClientPool  # noqa: PLC0415 (httpx)
    from agentsim.runs.aws import EventBridgeEvents, StepFunctionsExecutions  # noqa: PLC0415
    from agentsim.runs.claims import DynamoLaunchClaims  # noqa: PLC0415

    telemetry.trace_clients()
    session = session or boto3.session.Session()
    pool = clients if clients is not None else ClientPool()

    def make(name: ProviderName, deadline: Deadline | None) -> SimulationProvider:
        key = secrets_of(settings).api_key(name)
        return create_provider(name, key, clients=pool, deadline=deadline)

    executions = None
    if settings.state_machine_arn:
        executions = StepFunctionsExecutions(
            session.client("stepfunctions"), settings.state_machine_arn
        )
    events = None
    if settings.event_bus_name:
        events = EventBridgeEvents(session.client("events"), settings.event_bus_name)
    dynamodb = session.client("dynamodb")
    repository = RunRepository(
        dynamodb,
        settings.runs_table,
        settings.run_items_table,
        token_key=lambda: secrets_of(settings).page_token_key(),
    )
    return Services(
        settings=settings,
        repository=repository,
        providers=Providers(make),
        executions=executions,
        events=events,
        claims=DynamoLaunchClaims(dynamodb, settings.run_items_table, records=repository.find),
    )


def lazy_services() -> Callable[[], Services]:
    """A function building `Services` from the environment on its first call, then reusing them.

    A handler module keeps its own (`services = lazy_services()`), so a fresh import of the
    module (a cold start) builds them anew.
    """
    return functools.cache(lambda: build_services(Settings.from_env()))
