"""The run record: what one simulation run is, and the only status moves it may make.

Statuses only move forward (PENDING -> RUNNING -> a terminal status, or PENDING straight to a
terminal one); a terminal record never changes again. Every write is a `Change`, whose
`sources()` (`sources_of` its move, narrowed by the statuses it allows) the run store turns into
the write's condition, so a late or repeated step cannot overwrite a finished run.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from agentsim.delivery.attempts import DeliveryAttempt
from agentsim.providers.base import JsonObject, ProviderName, SimulationStatus
from agentsim.providers.handles import LaunchedHandle, PreparedHandle
from agentsim.runs.comparison import Comparison
from agentsim.runs.errors import RunNotLaunched
from agentsim.runs.outcomes import CaseOutcomes
from agentsim.runs.schedule import ProgressPoint


def utcnow() -> datetime:
    return datetime.now(UTC)


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
    """An absolute rule of the gate failed (pass rate, too few graded cases)."""
    REGRESSED = "REGRESSED"
    """Worse than the baseline by a rule of the gate (pass-rate drop, newly failing cases)."""
    NONE = "NONE"
    """Nothing graded and no gate."""


class Origin(StrEnum):
    """How a run was started: the record's and the finished event's `trigger`."""

    WEBHOOK = "webhook"
    SCHEDULE = "schedule"
    EVENT = "event"
    DIRECT = "direct"
    """An execution started on the state machine directly, with the request in its input."""


DEFAULT_TIMEOUT_MINUTES = 120
"""A run's deadline when its request sets none (the request envelope's default)."""

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


class Requested(Protocol):
    """What a new record takes from a valid request (a `RunRequest`)."""

    @property
    def provider(self) -> ProviderName: ...

    @property
    def labels(self) -> Mapping[str, str]: ...

    @property
    def timeout_minutes(self) -> int: ...

    def stored(self) -> JsonObject: ...

    def series_name(self) -> str: ...

    def called_urls(self) -> Mapping[str, str]: ...


class Followed(BaseModel):
    """What every record a workflow follows holds, a run's or a suite's: where it came from, its
    verdict and why, its execution, each delivery about it, and when it moved."""

    verdict: Verdict = Verdict.NONE
    trigger: Origin
    labels: dict[str, str] = Field(default_factory=dict)
    verdict_reasons: list[str] | None = None
    """Why the gate failed or regressed it."""
    error: ErrorInfo | None = None
    execution_arn: str | None = None
    deliveries: list[DeliveryAttempt] = Field(default_factory=list)
    """Each attempt to tell its targets of its start and end (appended only)."""
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None


class RunRecord(Followed):
    """One run, as the domain sees it (`stored.StoredRun` is its item in the runs table)."""

    # Built on first use, not at import: it holds every provider's handles, and a cold start
    # pays for the import of its handler before the first invocation reads any record.
    model_config = ConfigDict(extra="ignore", defer_build=True)

    run_id: str
    provider: ProviderName | None = None
    status: RunStatus = RunStatus.PENDING
    series: str | None = None
    suite_id: str | None = None
    """The suite the run belongs to, when a suite started it."""
    request: JsonObject | None = None
    timeout_minutes: int | None = None
    # provider side
    simulation_id: str | None = None
    provider_run_id: str | None = None
    provider_status: str | None = None
    provider_state: SimulationStatus | None = None
    provider_message: str | None = None
    prepared: PreparedHandle | None = None
    handle: LaunchedHandle | None = None
    launch_attempted_at: datetime | None = None
    expected_seconds: float | None = None
    # progress
    progress: int = Field(default=0, ge=0, le=100)
    progress_points: list[ProgressPoint] = Field(default_factory=list)
    """What the last polls saw of progress (bounded: `schedule.remember`), timed from the launch."""
    poll_count: int = Field(default=0, ge=0)
    wake_token: str | None = None
    """The task token of the workflow's wait for a callback (`WaitForCallback`), while it waits;
    never shown by the API."""
    callback_complete_at: datetime | None = None
    """When the provider had called back about every result the run expects."""
    results: ResultsSummary | None = None
    outcomes: CaseOutcomes | None = None
    """Each case's attempts (`outcomes`): what comparisons and the series history read."""
    comparison: Comparison | None = None
    stop_error: ErrorInfo | None = None
    deadline: datetime | None = None

    @classmethod
    def new(
        cls,
        run_id: str,
        trigger: Origin,
        at: datetime,
        *,
        request: Requested | None = None,
        error: ErrorInfo | None = None,
        provider: ProviderName | None = None,
        labels: Mapping[str, str] | None = None,
        kept_request: JsonObject | None = None,
    ) -> RunRecord:
        """A run as its first write stores it, created `at`: PENDING, or FAILED (and finished)
        when it starts with an `error`. A valid `request` gives the provider, labels, stored
        request and timeout; without one, `provider`, `labels` and `kept_request` are kept."""
        series = None
        if request is not None:
            provider, labels, kept_request = request.provider, request.labels, request.stored()
            series = request.series_name()
        return cls(
            run_id=run_id,
            provider=provider,
            series=series,
            status=RunStatus.PENDING if error is None else RunStatus.FAILED,
            trigger=trigger,
            labels=dict(labels or {}),
            request=kept_request,
            timeout_minutes=request.timeout_minutes if request is not None else None,
            error=error,
            created_at=at,
            updated_at=at,
            finished_at=None if error is None else at,
        )

    @property
    def terminal(self) -> bool:
        return self.status.terminal

    def expect_handle(self) -> LaunchedHandle:
        if self.handle is None:
            raise RunNotLaunched(self.run_id)
        return self.handle

    def expect_provider(self) -> ProviderName:
        if self.provider is None:
            raise RunNotLaunched(self.run_id)
        return self.provider


@dataclass(frozen=True)
class Change:
    """One conditional write of a run: `fields` set (a None value removes the field), and
    maybe a status move (which adds a history line with `note`).

    A move may start from `sources_of(status)` only, narrowed by `allowed`; a write that does
    not move the run must say which statuses it accepts. `poll_count` is only ever raised (a
    stale or repeated poll's write is refused). Build one with `Change.move` or `Change.within`.
    """

    fields: Mapping[str, object] = field(default_factory=dict)
    status: RunStatus | None = None
    allowed: frozenset[RunStatus] | None = None
    poll_count: int | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        unknown = set(self.fields) - set(RunRecord.model_fields)
        if unknown:
            raise ValueError(f"not fields of a run record: {', '.join(sorted(unknown))}")
        if not self.sources():
            raise ValueError(f"no status may start this change (to {self.status})")

    @classmethod
    def move(
        cls,
        status: RunStatus,
        *,
        note: str | None = None,
        allowed: Collection[RunStatus] | None = None,
        **fields: object,
    ) -> Change:
        """Move the run to `status` (from where `sources_of` allows), setting `fields`."""
        narrowed = frozenset(allowed) if allowed is not None else None
        return cls(fields, status=status, allowed=narrowed, note=note)

    @classmethod
    def within(
        cls, allowed: Collection[RunStatus], *, poll_count: int | None = None, **fields: object
    ) -> Change:
        """Set `fields` of a run in one of the `allowed` statuses, without moving it."""
        return cls(fields, allowed=frozenset(allowed), poll_count=poll_count)

    def sources(self) -> frozenset[RunStatus]:
        """The statuses the run may be in for this write to apply."""
        if self.status is None:
            return self.allowed or frozenset()
        statuses = sources_of(self.status)
        return statuses if self.allowed is None else statuses & self.allowed
