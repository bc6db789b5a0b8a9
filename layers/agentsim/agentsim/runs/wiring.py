"""Build `Services` for a Lambda function from its settings, with real AWS clients.

Called on a function's first invocation (never at import), so the clients are created inside
whatever AWS the invocation runs against (AWS itself, or moto in tests and local runs). What is
wired follows the function's settings class (`settings.py`): a function whose settings name no
secret gets no providers, one without a state machine no executions. The cache lives with each
handler (`agentsim.tasks.workflow_handler`, the API's runtime), never here: layer modules are
imported once per process, and several stacks (or moto setups) may share one.
Provider adapters get their API key from the stack's secret (Powertools Parameters, cached) and
share one HTTP client per provider for as long as the `Services` live (`ClientPool`).

boto3, httpx, the AWS adapters and the secret's reader are imported here on the first build,
not when a handler module is imported: a cold start's import then costs about what
`import boto3` does, and the X-Ray patches go on before the first client exists.
"""

from __future__ import annotations

import functools
from datetime import timedelta
from typing import TYPE_CHECKING

from agentsim import observability
from agentsim.delivery.urls import UrlPolicy
from agentsim.providers import create_provider
from agentsim.providers.base import AnyProvider, ProviderName
from agentsim.runs.services import Providers, Services
from agentsim.runs.settings import (
    ApiSettings,
    DeliverySettings,
    PacingSettings,
    ProviderSettings,
    StorageSettings,
    SuiteSettings,
    WatchSettings,
    WorkflowSettings,
)

if TYPE_CHECKING:
    from boto3.session import Session

    from agentsim.delivery.deliver import Deliverer
    from agentsim.providers.deadline import Deadline
    from agentsim.providers.transport import ClientPool
    from agentsim.reports.share import ShareLinks
    from agentsim.runs.secrets import AgentsimSecrets


def secrets_of(settings: ProviderSettings) -> AgentsimSecrets:
    from agentsim.runs.secrets import load_secrets  # noqa: PLC0415 (Powertools Parameters: boto3)

    return load_secrets(settings.secret_arn, max_age=settings.secret_max_age_seconds)


def build_services(
    settings: StorageSettings, session: Session | None = None, *, clients: ClientPool | None = None
) -> Services:
    """What `settings`' function needs; `clients` (default: a new pool) carry provider traffic."""
    import boto3  # noqa: PLC0415 (see the module docstring)

    from agentsim.runs.aws import StepFunctionsWakes  # noqa: PLC0415
    from agentsim.runs.callback_log import DynamoCallbackLog  # noqa: PLC0415
    from agentsim.runs.claims import DynamoLaunchClaims  # noqa: PLC0415
    from agentsim.runs.item_store import DynamoItemStore  # noqa: PLC0415
    from agentsim.runs.run_store import DynamoRunStore  # noqa: PLC0415
    from agentsim.suites.store import DynamoSuiteStore  # noqa: PLC0415

    observability.trace_clients()
    session = session or boto3.session.Session()
    dynamodb = session.client("dynamodb")
    items = DynamoItemStore(dynamodb, settings.run_items_table)
    runs = DynamoRunStore(dynamodb, settings.runs_table, items)
    services = Services(runs=runs, items=items)
    services.suites = DynamoSuiteStore(dynamodb, settings.run_items_table)
    services.claims = DynamoLaunchClaims(dynamodb, settings.run_items_table, records=runs.find)
    services.callback_log = DynamoCallbackLog(dynamodb, settings.run_items_table)
    # SendTaskSuccess's client is made on the first wake: few invocations ever wake a wait.
    services.wakes = StepFunctionsWakes(functools.cache(lambda: session.client("stepfunctions")))
    if isinstance(settings, PacingSettings):
        services.pacing = settings.pacing()
    if isinstance(settings, WatchSettings):
        from agentsim.runs.aws import SqsRechecks  # noqa: PLC0415

        services.rechecks = SqsRechecks(session.client("sqs"), settings.poll_queue_url)
    if isinstance(settings, ProviderSettings):
        services.providers = _providers(settings, clients)
        items.token_key = runs.token_key = services.suites.token_key = lambda: secrets_of(
            settings
        ).page_token_key()
        services.calls_back = lambda name: secrets_of(settings).calls_back(name)
        services.links = _links(settings)
    if isinstance(settings, WorkflowSettings | DeliverySettings):
        services.urls = UrlPolicy(allow_loopback=settings.allow_loopback_targets)
    if isinstance(settings, SuiteSettings):
        services.suite_concurrency = settings.suite_concurrency
    if isinstance(settings, DeliverySettings):
        services.deliverer = _deliverer(settings, services)
    if isinstance(settings, WorkflowSettings):
        from agentsim.runs.aws import StepFunctionsExecutions  # noqa: PLC0415

        sfn = session.client("stepfunctions")
        services.executions = StepFunctionsExecutions(sfn, settings.state_machine_arn)
        services.suite_executions = StepFunctionsExecutions(sfn, settings.suite_state_machine_arn)
    if isinstance(settings, ApiSettings):
        from agentsim.runs.aws import EventBridgeEvents  # noqa: PLC0415
        from agentsim.runs.body_claims import DynamoBodyClaims  # noqa: PLC0415

        services.events = EventBridgeEvents(session.client("events"), settings.event_bus_name)
        window = timedelta(seconds=settings.idempotency_expires_seconds)
        services.bodies = DynamoBodyClaims(dynamodb, settings.idempotency_table, window)
    return services


def _links(settings: ProviderSettings) -> ShareLinks:
    from agentsim.reports.share import ShareLinks  # noqa: PLC0415

    return ShareLinks(
        key=lambda: secrets_of(settings).report_link_key(),
        lifetime=timedelta(days=settings.report_link_days),
        base_url=settings.report_base_url,
    )


def _providers(settings: ProviderSettings, clients: ClientPool | None) -> Providers:
    """Adapters with their key from the stack's secret, at the settings' base URLs."""
    from agentsim.providers.transport import ClientPool  # noqa: PLC0415 (httpx)

    pool = clients if clients is not None else ClientPool()

    def make(name: ProviderName, deadline: Deadline | None) -> AnyProvider:
        key = secrets_of(settings).api_key(name)
        url = settings.base_url(name)
        return create_provider(name, key, base_url=url, clients=pool, deadline=deadline)

    return Providers(make)


def _deliverer(settings: DeliverySettings, services: Services) -> Deliverer:
    """Delivery with one kept HTTP client, the secret's values read (cached) when needed."""
    from agentsim.delivery.deliver import Deliverer  # noqa: PLC0415 (httpx)
    from agentsim.delivery.outbound import Outbound  # noqa: PLC0415
    from agentsim.delivery.sending import Senders  # noqa: PLC0415

    def senders() -> Senders:
        secrets = secrets_of(settings)
        return Senders(
            signing_secret=secrets.webhook(),
            github_token=secrets.github_token.get_secret_value().strip(),
            slack_url=secrets.slack_webhook_url.get_secret_value().strip(),
            github_api_url=settings.github_api_url,
            api_url=settings.api_url,
        )

    outbound = Outbound(services.urls)
    return Deliverer(services.runs, outbound, senders, services.clock, services.report_url)
