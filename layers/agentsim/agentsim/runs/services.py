"""The collaborators every use case receives: storage, providers, workflow, events, clock.

`wiring.build_services` fills in what a function's settings provide; a use case that needs a
part another function has (`executions`, `events`, `claims`, `bodies`) asks for it with
`require`, which fails only when a function was wired without it (a bug, not a setting).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, Self, overload

from agentsim.delivery.urls import UrlPolicy
from agentsim.providers.base import AnyProvider, ProviderName
from agentsim.runs.pacing import Pacing
from agentsim.runs.ports import (
    BodyClaims,
    CallbackLog,
    Executions,
    FinishedEvents,
    ItemStore,
    LaunchClaims,
    ProviderFactory,
    Rechecks,
    RunStore,
    Wakes,
)
from agentsim.runs.record import utcnow

if TYPE_CHECKING:
    from agentsim.delivery.deliver import Deliverer
    from agentsim.providers.deadline import Deadline
    from agentsim.reports.share import ShareLinks
    from agentsim.suites.store import DynamoSuiteStore


@dataclass(frozen=True)
class Providers:
    """The provider factory `wiring` builds: `make(name, deadline)` gives an adapter with its
    key; this object passes it the deadline of the invocation it serves (`Services.within`)."""

    make: Callable[[ProviderName, Deadline | None], AnyProvider]
    deadline: Deadline | None = None

    def __call__(self, name: ProviderName) -> AnyProvider:
        return self.make(name, self.deadline)


def _unwired(name: ProviderName) -> AnyProvider:
    raise RuntimeError(f"this function talks to no provider (asked for {name})")


class _Part[T]:
    """`services.require_<part>()`: a part only some functions have, or a RuntimeError naming
    it (a function wired without it: a deployment mistake, never a bad request)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __set_name__(self, owner: type, attribute: str) -> None:
        self.attribute = attribute.removeprefix("require_")

    @overload
    def __get__(self, services: None, owner: type) -> Self: ...
    @overload
    def __get__(self, services: object, owner: type | None = None) -> Callable[[], T]: ...

    def __get__(self, services: object, owner: type | None = None) -> Self | Callable[[], T]:
        if services is None:  # read on the class (dataclass processing, introspection)
            return self
        part: T | None = getattr(services, self.attribute)
        name = self.name

        def require() -> T:
            if part is None:
                raise RuntimeError(f"this function's services have no {name}: see its settings")
            return part

        return require


@dataclass
class Services:
    runs: RunStore
    items: ItemStore
    providers: ProviderFactory = _unwired
    pacing: Pacing = field(default_factory=Pacing)
    executions: Executions | None = None
    events: FinishedEvents | None = None
    claims: LaunchClaims | None = None
    bodies: BodyClaims | None = None
    callback_log: CallbackLog | None = None
    wakes: Wakes | None = None
    rechecks: Rechecks | None = None
    """The polls that follow a run outside the workflow (the Watch function's queue)."""
    links: ShareLinks | None = None
    """Report share links (functions that read the stack's secret)."""
    clock: Callable[[], datetime] = field(default=utcnow)
    calls_back: Callable[[ProviderName], bool] = field(default=lambda _: False)
    """Whether a provider calls back when a run ends (a run then waits for the call)."""

    urls: UrlPolicy = field(default_factory=UrlPolicy)
    """Which URLs a request may have us call (loopback only where the stack allows it)."""
    deliverer: Deliverer | None = None
    suites: DynamoSuiteStore | None = None
    suite_executions: Executions | None = None
    """Executions of the suite workflow, named after their suite id."""
    suite_concurrency: int = 5
    """Runs of a suite in flight per provider unless the suite says otherwise (SuiteSettings)."""

    def within(self, deadline: Deadline) -> Services:
        """These services for one invocation: every provider call they make ends by `deadline`.

        A factory that is not `Providers` (one a test made) is kept as it is.
        """
        providers = self.providers
        if isinstance(providers, Providers):
            providers = replace(providers, deadline=deadline)
        return replace(self, providers=providers)

    require_executions: ClassVar[_Part[Executions]] = _Part("executions")
    require_events: ClassVar[_Part[FinishedEvents]] = _Part("events")
    require_claims: ClassVar[_Part[LaunchClaims]] = _Part("launch claims")
    require_bodies: ClassVar[_Part[BodyClaims]] = _Part("body claims")
    require_callback_log: ClassVar[_Part[CallbackLog]] = _Part("callback log")
    require_wakes: ClassVar[_Part[Wakes]] = _Part("wakes")
    require_rechecks: ClassVar[_Part[Rechecks]] = _Part("rechecks")
    require_deliverer: ClassVar[_Part[Deliverer]] = _Part("deliverer")
    require_suites: ClassVar[_Part[DynamoSuiteStore]] = _Part("suites")
    require_suite_executions: ClassVar[_Part[Executions]] = _Part("suite executions")
    require_links: ClassVar[_Part[ShareLinks]] = _Part("report links")

    def report_url(self, run_id: str) -> str | None:
        """The run's share link at the configured API URL, when these services make links."""
        return None if self.links is None else self.links.url(run_id)
