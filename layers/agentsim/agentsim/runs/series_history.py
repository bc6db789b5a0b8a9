"""A series' history for trend charts (`GET /series?name=`): its runs newest first, a page at a
time, each with its status, verdict and pass rate, and every case's current flake rate.

The runs come from the `by-series` index (`RunQuery.series`); the flake rates from the
per-case outcome summaries (`outcomes.CaseOutcomes`) of the series' latest `FLAKE_WINDOW`
COMPLETED runs, which the first page usually holds already (else one more index query reads
them), so no run's case items are read.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from agentsim.runs.comparison import FLAKE_WINDOW, flake_rates, pass_rate
from agentsim.runs.outcomes import CaseOutcomes
from agentsim.runs.record import RunRecord, RunStatus, Verdict
from agentsim.runs.run_list import RunQuery
from agentsim.runs.services import Services


class SeriesRun(BaseModel):
    """One run of the series, as a point of a trend chart."""

    run_id: str
    status: RunStatus
    verdict: Verdict
    pass_rate: float | None = Field(
        default=None, description="Share of graded cases that passed (k of n with repeats)."
    )
    cases: int = Field(description="Cases graded or attempted in the run.")
    newly_failing: list[str] = Field(default_factory=list)
    created_at: datetime
    finished_at: datetime | None = None

    @classmethod
    def of(cls, record: RunRecord) -> SeriesRun:
        outcomes = record.outcomes
        rate = record.results.pass_rate if record.results is not None else None
        if outcomes is not None:
            rate = pass_rate(outcomes.results())
        return cls(
            run_id=record.run_id,
            status=record.status,
            verdict=record.verdict,
            pass_rate=rate,
            cases=len(outcomes.cases) if outcomes is not None else 0,
            newly_failing=record.comparison.newly_failing if record.comparison else [],
            created_at=record.created_at,
            finished_at=record.finished_at,
        )


class CaseFlake(BaseModel):
    case_key: str
    flake_rate: float = Field(
        ge=0, le=1, description="Share of its graded attempts that disagree with its majority."
    )


class SeriesHistory(BaseModel):
    series: str
    runs: list[SeriesRun]
    cases: list[CaseFlake] = Field(
        description=f"Every case graded in the series' last {FLAKE_WINDOW} completed runs."
    )
    next_token: str | None = Field(
        default=None, description="Pass as next_token to get the next page; absent at the end."
    )


def series_history(
    services: Services, name: str, *, limit: int = 25, next_token: str | None = None
) -> SeriesHistory:
    query = RunQuery(series=name, limit=limit, next_token=next_token)
    page = services.runs.list_runs(query)
    window = [r for r in page.runs if r.status is RunStatus.COMPLETED][:FLAKE_WINDOW]
    if next_token is not None or (len(window) < FLAKE_WINDOW and page.next_token is not None):
        window = services.runs.latest_completed(query.series or name, FLAKE_WINDOW)
    summaries = [r.outcomes or CaseOutcomes() for r in window]
    rates = flake_rates(summaries)
    return SeriesHistory(
        series=query.series or name,
        runs=[SeriesRun.of(r) for r in page.runs],
        cases=[CaseFlake(case_key=key, flake_rate=rate) for key, rate in rates.items()],
        next_token=page.next_token,
    )
