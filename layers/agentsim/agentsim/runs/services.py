"""The collaborators every use case receives: storage, providers, workflow, events, clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from agentsim.providers.base import ProviderName, SimulationProvider
from agentsim.runs.ports import Executions, FinishedEvents, LaunchClaims, ProviderFactory
from agentsim.runs.repository import RunRepository, utcnow
from agentsim.runs.settings import Settings, SettingsInvalid

if TYPE_CHECKING:
    from agentsim.providers.deadline import Deadline


@dataclass(frozen=True)
class Providers:
    """The provider factory `wiring` builds: `make(name, deadline)` gives an adapter with its
    key; this object passes it the deadline of the invocation it serves (`Services.within`)."""

    make: Callable[[ProviderName, Deadline | None], SimulationProvider]
    deadline: Deadline | None = None

    def __call__(self, name: ProviderName) -> SimulationProvider:
        return self.make(name, self.deadline)


@dataclass
class Services:
    settings: Settings
    repository: RunRepository
    providers: ProviderFactory
    executions: Executions | None = None
    events: FinishedEvents | None = None
    claims: LaunchClaims | None = None
    clock: Callable[[], datetime] = field(default=utcnow)

    def within(self, deadline: Deadline) -> Services:
        """These services for one invocation: every provider call they make ends by `deadline`.

        A factory that is not `Providers` (one a test made) is kept as it is.
        """
        providers = self.providers
        if isinstance(providers, Providers):
            providers = replace(providers, deadline=deadline)
        return replace(self, providers=providers)

    def require_executions(self) -> Executions:
        if self.executions is None:
            raise SettingsInvalid("STATE_MACHINE_ARN is not set for this function")
        return self.executions

    def require_events(self) -> FinishedEvents:
        if self.events is None:
            raise SettingsInvalid("EVENT_BUS_NAME is not set for this function")
        return self.events

    def require_claims(self) -> LaunchClaims:
        if self.claims is None:
            raise SettingsInvalid("launch claims are not wired for this function")
        return self.claims
