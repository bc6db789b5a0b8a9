"""What the REST API shows of runs: response bodies, and the shape of its errors.

A view leaves out storage internals (list keys, provider handles) and is the API's contract,
described in its OpenAPI document.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from agentsim.delivery.attempts import DeliveryAttempt
from agentsim.runs.callbacks import Received
from agentsim.runs.comparison import Comparison
from agentsim.runs.outcomes import CaseOutcomes
from agentsim.runs.record import ErrorInfo, Origin, ResultsSummary, RunRecord, RunStatus, Verdict

Items = list[dict[str, Any]]
"""A run's items (cases, history lines) as the item store hands them out: no table keys."""


class CaseAttempts(BaseModel):
    """One case's attempts in a run (several with `repeat`), and the case's result."""

    case_key: str
    attempts: int
    passed: int
    failed: int
    result: bool | None = Field(
        default=None, description="Passed when min_passes of its attempts passed; null: ungraded."
    )

    @classmethod
    def of(cls, outcomes: CaseOutcomes) -> list[CaseAttempts]:
        return [
            cls(
                case_key=key,
                attempts=tally.attempts,
                passed=tally.passed,
                failed=tally.failed,
                result=tally.result(outcomes.min_passes),
            )
            for key, tally in sorted(outcomes.cases.items())
        ]


class RunView(BaseModel):
    run_id: str
    provider: str | None
    status: RunStatus
    verdict: Verdict
    trigger: Origin
    labels: dict[str, str]
    series: str | None = None
    suite_id: str | None = Field(default=None, description="The suite that started the run.")
    simulation_id: str | None = None
    provider_run_id: str | None = None
    provider_status: str | None = None
    progress: int
    poll_count: int
    results: ResultsSummary | None = None
    min_passes: int | None = Field(
        default=None, description="Passing attempts a case needs (`repeat.min_passes`)."
    )
    attempts: list[CaseAttempts] | None = Field(
        default=None, description="Each case's attempts, once the run has results."
    )
    comparison: Comparison | None = None
    verdict_reasons: list[str] | None = None
    error: ErrorInfo | None = None
    stop_error: ErrorInfo | None = None
    request: dict[str, Any] | None = None
    deliveries: list[DeliveryAttempt] = Field(
        default_factory=list,
        description="Each attempt to tell the request's notify URL, GitHub commit or the "
        "stack's Slack of the run's start and end.",
    )
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    deadline: datetime | None = None
    report_url: str | None = Field(
        default=None,
        description="The run's report page: a share link that opens it for a limited time.",
    )

    @classmethod
    def of(cls, record: RunRecord) -> RunView:
        outcomes = record.outcomes
        return cls.model_validate(
            {
                **record.model_dump(exclude={"provider", "outcomes"}),
                "provider": record.provider.value if record.provider else None,
                "min_passes": outcomes.min_passes if outcomes is not None else None,
                "attempts": CaseAttempts.of(outcomes) if outcomes is not None else None,
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
    cases: Items
    next_token: str | None = Field(
        default=None, description="Pass as next_token to get the next page; absent at the end."
    )


class History(BaseModel):
    """A run's status changes, oldest first."""

    run_id: str
    history: Items


class Accepted(BaseModel):
    run_id: str
    status: RunStatus
    location: str


class FieldProblem(BaseModel):
    path: str = Field(
        description="What is wrong: a dotted field path (simulation.agent_id), `body`, "
        "`headers.<name>` or `query.<name>`"
    )
    problem: str


class ApiError(BaseModel):
    """Every error answer: what went wrong, each bad part of the request, and the id its log
    lines carry (give it when reporting a 500)."""

    message: str
    errors: list[FieldProblem] = Field(default_factory=list)
    correlation_id: str | None = Field(
        default=None, description="The id of this request in the API's logs."
    )


class WebhookReceived(BaseModel):
    """What a provider's webhook delivery did (`Received`)."""

    outcome: Received
