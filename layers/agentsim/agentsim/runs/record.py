"""The run record: what one simulation run is, and the only status moves it may make.

Statuses only move forward (PENDING -> RUNNING -> a terminal status, or PENDING straight to a
terminal one); a terminal record never changes again. The repository turns `sources_of(status)`
into the condition of every status move (other writes name the active statuses they accept), so
a late or repeated step cannot overwrite a finished run.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from agentsim.providers.base import ProviderName, ProviderRun, SimulationStatus
from agentsim.runs.errors import RunNotLaunched


class RunStatus(StrEnum):
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    STOPPED = "STOPPED"
    TIMED_OUT = "TIMED_OUT"

    @property
    def terminal(self) -> bool:
        return self not in {RunStatus.PENDING, RunStatus.RUNNING}


class Verdict(StrEnum):
    PASSED = "PASSED"
    FAILED = "FAILED"
    NONE = "NONE"


class Trigger(StrEnum):
    WEBHOOK = "webhook"
    SCHEDULE = "schedule"
    EVENT = "event"
    DIRECT = "direct"
    """An execution started on the state machine directly, with the request in its input."""


ACTIVE = frozenset({RunStatus.PENDING, RunStatus.RUNNING})
TERMINAL = frozenset(s for s in RunStatus if s.terminal)

_NEXT: dict[RunStatus, frozenset[RunStatus]] = {
    RunStatus.PENDING: frozenset({RunStatus.RUNNING, *TERMINAL}),
    RunStatus.RUNNING: TERMINAL,
    **{status: frozenset() for status in TERMINAL},
}


def can_move(current: RunStatus, target: RunStatus) -> bool:
    return target in _NEXT[current]


def sources_of(target: RunStatus) -> frozenset[RunStatus]:
    """The statuses a run may be in for a write that moves it to `target`."""
    return frozenset(s for s, targets in _NEXT.items() if target in targets)


class ResultsSummary(BaseModel):
    total: int = Field(ge=0)
    passed: int = Field(ge=0)
    failed: int = Field(ge=0)
    pass_rate: float | None = Field(default=None, ge=0, le=1)


class ErrorInfo(BaseModel):
    """Why a run failed: an error class name and a message (never a secret)."""

    type: str
    message: str
    provider: str | None = None
    operation: str | None = None
    status_code: int | None = None
    problems: list[dict[str, str]] | None = None


class RunRecord(BaseModel):
    """One run as stored in the runs table (one item per run)."""

    model_config = ConfigDict(extra="ignore")

    run_id: str
    provider: ProviderName | None = None
    status: RunStatus = RunStatus.PENDING
    verdict: Verdict = Verdict.NONE
    trigger: Trigger
    labels: dict[str, str] = Field(default_factory=dict)
    request: dict[str, Any] | None = None
    timeout_minutes: int | None = None
    # provider side
    simulation_id: str | None = None
    provider_run_id: str | None = None
    provider_status: str | None = None
    provider_state: SimulationStatus | None = None
    provider_message: str | None = None
    prepared: ProviderRun | None = None
    handle: ProviderRun | None = None
    launch_attempted_at: datetime | None = None
    expected_seconds: float | None = None
    # progress
    progress: int = Field(default=0, ge=0, le=100)
    poll_count: int = Field(default=0, ge=0)
    results: ResultsSummary | None = None
    error: ErrorInfo | None = None
    stop_error: ErrorInfo | None = None
    execution_arn: str | None = None
    # time
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    deadline: datetime | None = None

    @property
    def terminal(self) -> bool:
        return self.status.terminal

    def expect_handle(self) -> ProviderRun:
        if self.handle is None:
            raise RunNotLaunched(self.run_id)
        return self.handle

    def expect_provider(self) -> ProviderName:
        if self.provider is None:
            raise RunNotLaunched(self.run_id)
        return self.provider
