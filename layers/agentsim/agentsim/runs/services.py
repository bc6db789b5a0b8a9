"""The collaborators every use case receives: storage, providers, workflow, events, clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from agentsim.runs.ports import Executions, FinishedEvents, LaunchClaims, ProviderFactory
from agentsim.runs.repository import RunRepository, utcnow
from agentsim.runs.settings import Settings, SettingsInvalid


@dataclass
class Services:
    settings: Settings
    repository: RunRepository
    providers: ProviderFactory
    executions: Executions | None = None
    events: FinishedEvents | None = None
    claims: LaunchClaims | None = None
    clock: Callable[[], datetime] = field(default=utcnow)

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
