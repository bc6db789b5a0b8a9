"""What the API and the suite's events show of a suite."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from agentsim.delivery.attempts import DeliveryAttempt
from agentsim.runs.record import ErrorInfo, Origin, Verdict
from agentsim.suites.record import ChildSummary, SuiteRecord, SuiteStatus, SuiteTotals

EVENT_BUDGET = 200_000
"""Bytes of a suite's event detail (as JSON) before its runs' fields are left out in turn."""
EVENT_TRIMMED = ("newly_failing", "error", "baseline_run_id", "series")


class SuiteView(BaseModel):
    suite_id: str
    name: str
    status: SuiteStatus
    verdict: Verdict
    verdict_reasons: list[str] | None = None
    trigger: Origin
    labels: dict[str, str]
    totals: SuiteTotals | None = None
    runs: list[ChildSummary] = Field(
        description="Each run of the suite, in the suite's order (as it stands while running)."
    )
    error: ErrorInfo | None = None
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    report_url: str | None = Field(
        default=None, description="The suite's report page: a share link, for a limited time."
    )
    deliveries: list[DeliveryAttempt] = Field(
        default_factory=list,
        description="Each attempt to tell the suite's notify URL, GitHub commit and Slack.",
    )

    @classmethod
    def of(cls, record: SuiteRecord, runs: list[ChildSummary]) -> SuiteView:
        return cls.model_validate(
            {**record.model_dump(exclude={"children", "summaries"}), "runs": runs}
        )

    def event_detail(self) -> dict[str, Any]:
        """`SuiteRunFinished`'s detail: the view (not its deliveries), each run without its
        passing and flaky lists, then (past EVENT_BUDGET) without each of EVENT_TRIMMED in
        turn: an event entry holds at most 256 KB
        (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html)."""
        detail = self.model_dump(mode="json", exclude_none=True, exclude={"deliveries"})
        for run in detail["runs"]:
            run.pop("newly_passing", None)
            run.pop("flaky", None)
        for key in EVENT_TRIMMED:
            if len(json.dumps(detail)) <= EVENT_BUDGET:
                break
            for run in detail["runs"]:
                run.pop(key, None)
        return detail


class SuiteAccepted(BaseModel):
    suite_id: str
    status: SuiteStatus
    runs: list[str] = Field(description="The run ids of the suite's runs, in order.")
    location: str


class SuiteList(BaseModel):
    suites: list[SuiteView]
    next_token: str | None = Field(
        default=None, description="Pass as next_token to get the next page; absent at the end."
    )
