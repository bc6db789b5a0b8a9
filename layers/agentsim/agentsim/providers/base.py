"""The provider-neutral contract every provider adapter fulfils.

The workflow only ever sees these models: a `ProviderRun` handle (JSON, carried in the Step
Functions state and the run record), a `PollResult` per poll and `SimulationResults` at the end.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field


class ProviderName(StrEnum):
    OMNIDIMENSION = "omnidimension"
    BLUEJAY = "bluejay"
    SYNTHFLOW = "synthflow"


class SimulationStatus(StrEnum):
    """Normalized lifecycle status of a provider simulation run."""

    PENDING = "PENDING"
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    STOPPED = "STOPPED"

    @property
    def terminal(self) -> bool:
        return self in {
            SimulationStatus.COMPLETED,
            SimulationStatus.FAILED,
            SimulationStatus.STOPPED,
        }


class CaseVerdict(StrEnum):
    """Verdict of one call or case. NONE: the provider gives no pass/fail for it."""

    PASSED = "PASSED"
    FAILED = "FAILED"
    NONE = "NONE"


class ProviderRun(BaseModel):
    """Everything needed to poll, collect or stop one started simulation.

    `simulation_id` is the provider's simulation (OmniDimension simulation, Bluejay simulation,
    Synthflow simulation or session); `run_id` the provider's run when it has one (Bluejay
    simulation run); `kind` distinguishes shapes within one provider (Synthflow `simulation` or
    `session`); `extra` holds provider ids needed later (Bluejay result ids, for stop).
    """

    model_config = ConfigDict(frozen=True)

    provider: ProviderName
    simulation_id: str
    run_id: str | None = None
    kind: str = "simulation"
    extra: dict[str, Any] = Field(default_factory=dict)


class PollResult(BaseModel):
    status: SimulationStatus
    progress: int = Field(ge=0, le=100)
    provider_status: str
    message: str | None = None


class CaseResult(BaseModel):
    """One call (OmniDimension, Bluejay) or case run (Synthflow)."""

    case_id: str
    name: str | None = None
    verdict: CaseVerdict
    status: str | None = None
    reasoning: str | None = None
    transcript: list[dict[str, Any]] | None = None
    transcript_url: str | None = None
    recording_url: str | None = None
    duration_seconds: float | None = None
    raw: dict[str, Any] = Field(default_factory=dict)


class SimulationResults(BaseModel):
    """Totals and per-case records. `has_verdicts` is False when the provider grades nothing."""

    total: int = Field(ge=0)
    passed: int = Field(ge=0)
    failed: int = Field(ge=0)
    has_verdicts: bool
    summary: str | None = None
    cases: list[CaseResult] = Field(default_factory=list)
    raw: dict[str, Any] = Field(default_factory=dict)


@runtime_checkable
class SimulationProvider(Protocol):
    """What the workflow needs of a provider. Implemented once per provider."""

    name: ProviderName

    def start(
        self,
        simulation: BaseModel | None,
        *,
        simulation_id: str | None = None,
        run: BaseModel | None = None,
        idempotency_key: str | None = None,
    ) -> ProviderRun:
        """Create-or-update then start/queue. `simulation` and `run` are the provider's models."""
        ...

    def poll(self, run: ProviderRun) -> PollResult: ...

    def results(self, run: ProviderRun) -> SimulationResults: ...

    def stop(self, run: ProviderRun) -> None: ...

    def expected_duration_seconds(
        self, simulation: BaseModel | None, run: BaseModel | None
    ) -> float:
        """Best guess of how long a run takes, used to pace polling."""
        ...

    def close(self) -> None: ...
