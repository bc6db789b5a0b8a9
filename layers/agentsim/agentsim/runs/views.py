"""What the REST API shows of runs: response bodies, and the shape of its errors.

A view leaves out storage internals (list keys, provider handles) and is the API's contract,
described in its OpenAPI document.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from agentsim.runs.record import ErrorInfo, ResultsSummary, RunRecord, RunStatus, Trigger, Verdict


class RunView(BaseModel):
    run_id: str
    provider: str | None
    status: RunStatus
    verdict: Verdict
    trigger: Trigger
    labels: dict[str, str]
    simulation_id: str | None = None
    provider_run_id: str | None = None
    provider_status: str | None = None
    progress: int
    poll_count: int
    results: ResultsSummary | None = None
    error: ErrorInfo | None = None
    stop_error: ErrorInfo | None = None
    request: dict[str, Any] | None = None
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    deadline: datetime | None = None

    @classmethod
    def of(cls, record: RunRecord) -> RunView:
        return cls.model_validate(
            {
                **record.model_dump(exclude={"provider"}),
                "provider": record.provider.value if record.provider else None,
            }
        )


class RunList(BaseModel):
    runs: list[RunView]
    next_token: str | None = Field(
        default=None, description="Pass as next_token to get the next page; absent at the end."
    )


class CaseList(BaseModel):
    """One page of a run's per-call or per-case results, in call order."""

    run_id: str
    cases: list[dict[str, Any]]
    next_token: str | None = Field(
        default=None, description="Pass as next_token to get the next page; absent at the end."
    )


class History(BaseModel):
    """A run's status changes, oldest first."""

    run_id: str
    history: list[dict[str, Any]]


class Accepted(BaseModel):
    run_id: str
    status: RunStatus
    location: str


class FieldProblem(BaseModel):
    path: str = Field(description="Dotted path of the bad field, e.g. simulation.agent_id")
    problem: str


class ApiError(BaseModel):
    message: str
    errors: list[FieldProblem] = Field(default_factory=list)
