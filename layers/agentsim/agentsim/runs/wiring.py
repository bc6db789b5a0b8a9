"""Build `Services` for a Lambda function from its settings, with real AWS clients.

Called on a function's first invocation (never at import), so the clients are created inside
whatever AWS the invocation runs against (AWS itself, or moto in tests and local runs). The
cache lives in each handler module (`lazy_services`), never here: layer modules are imported
once per process, and several stacks (or moto setups) may share one.
Provider adapters get their API key from the stack's secret (Powertools Parameters, cached).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

import boto3

from agentsim.providers import create_provider
from agentsim.providers.base import ProviderName, SimulationProvider
from agentsim.runs.aws import EventBridgeEvents, StepFunctionsExecutions
from agentsim.runs.claims import DynamoLaunchClaims
from agentsim.runs.repository import RunRepository
from agentsim.runs.secrets import AgentsimSecrets, load_secrets
from agentsim.runs.services import Services
from agentsim.runs.settings import Settings

if TYPE_CHECKING:
    from boto3.session import Session


def secrets_of(settings: Settings) -> AgentsimSecrets:
    return load_secrets(settings.require("secret_arn"), max_age=settings.secret_max_age_seconds)


def build_services(settings: Settings, session: Session | None = None) -> Services:
    session = session or boto3.session.Session()

    def providers(name: ProviderName) -> SimulationProvider:
        return create_provider(name, secrets_of(settings).api_key(name))

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
        providers=providers,
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
