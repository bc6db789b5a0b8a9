"""The suite record: what one suite is, its children and, once they all ended, its verdict.

A suite is RUNNING from its workflow's first step until every child has ended; then COMPLETED
with the verdict its children give (`aggregate.py`). FAILED means the suite workflow itself
failed (its error says why): a child that failed is a FAILED verdict of a completed suite.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from agentsim.providers.base import JsonObject, ProviderName
from agentsim.runs.record import Followed, RunStatus, Verdict


class SuiteStatus(StrEnum):
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"

    @property
    def terminal(self) -> bool:
        return self in {SuiteStatus.COMPLETED, SuiteStatus.FAILED}


class Child(BaseModel):
    """One run of the suite, as the suite knows it before it starts."""

    run_id: str
    provider: ProviderName


class ChildSummary(BaseModel):
    """One run of a finished suite: what the suite's answer and report show of it."""

    run_id: str
    provider: ProviderName
    series: str | None = None
    status: RunStatus
    verdict: Verdict
    pass_rate: float | None = None
    baseline_run_id: str | None = None
    newly_failing: list[str] = Field(default_factory=list)
    newly_passing: list[str] = Field(default_factory=list)
    flaky: list[str] = Field(default_factory=list)
    error: str | None = None


class SuiteTotals(BaseModel):
    runs: int = Field(ge=0)
    by_status: dict[str, int] = Field(default_factory=dict)
    by_verdict: dict[str, int] = Field(default_factory=dict)
    cases: int = Field(default=0, ge=0)
    passed: int = Field(default=0, ge=0)
    failed: int = Field(default=0, ge=0)
    pass_rate: float | None = Field(default=None, ge=0, le=1)


class SuiteRecord(Followed):
    """One suite (its `deliveries` tell its own notify URL, GitHub commit and Slack)."""

    model_config = ConfigDict(extra="ignore")

    suite_id: str
    name: str
    status: SuiteStatus = SuiteStatus.PENDING
    request: JsonObject = Field(default_factory=dict)
    """The suite's own fields (gate, labels, concurrency); each run's request is its record's."""
    request_digest: str | None = None
    """The whole request's digest: an Idempotency-Key reused with another suite is told by it."""
    concurrency: dict[ProviderName, int] = Field(default_factory=dict)
    children: list[Child]
    summaries: list[ChildSummary] | None = None
    totals: SuiteTotals | None = None

    @property
    def terminal(self) -> bool:
        return self.status.terminal
