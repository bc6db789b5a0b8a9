"""The suite workflow's steps (statemachine/run_suite.asl.yaml): prepare, one child's state,
finish, fail. Each reads the records by id, so a retried step sees what an earlier one wrote.

A child is started by the workflow only while its run is PENDING without an execution
(`child_state`): a suite step retried after its child started waits for that child instead of
starting it again.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from agentsim.providers.base import ProviderName
from agentsim.runs.errors import RunAlreadyFinished
from agentsim.runs.record import ACTIVE, Change, ErrorInfo, RunRecord, RunStatus
from agentsim.runs.services import Services
from agentsim.suites.aggregate import aggregate, summary_of
from agentsim.suites.record import ChildSummary, SuiteRecord, SuiteStatus
from agentsim.suites.views import SuiteView

OPEN = (SuiteStatus.PENDING, SuiteStatus.RUNNING)


def prepare(
    services: Services, suite_id: str, execution_arn: str, default_concurrency: int
) -> dict[str, Any]:
    """Mark the suite RUNNING; its runs grouped by provider, each group with its concurrency.

    A suite that has ended (its workflow started again) stays as it is: its runs have all
    ended, so the workflow starts none and finishes with the same record."""
    suites = services.require_suites()
    record = suites.get(suite_id)
    if not record.terminal:
        fields: dict[str, object] = {"execution_arn": execution_arn}
        if record.started_at is None:
            fields["started_at"] = services.clock()
        record = suites.settle(suite_id, fields, allowed=OPEN, status=SuiteStatus.RUNNING)
    groups: dict[ProviderName, list[str]] = defaultdict(list)
    for child in record.children:
        groups[child.provider].append(child.run_id)
    return {
        "suite_id": suite_id,
        "groups": [
            {
                "provider": provider.value,
                "concurrency": record.concurrency.get(provider, default_concurrency),
                "runs": runs,
            }
            for provider, runs in groups.items()
        ],
    }


def child_state(services: Services, run_id: str) -> dict[str, Any]:
    """Whether the workflow starts this run now (`start`), or it has ended (`ended`)."""
    record = services.runs.get(run_id)
    start = record.status is RunStatus.PENDING and record.execution_arn is None
    return {"run_id": run_id, "start": start, "ended": record.terminal}


def finish(services: Services, suite_id: str) -> dict[str, Any]:
    """Every run has ended: the suite COMPLETED with its verdict; the finished event's detail.

    A run still PENDING without an execution never started (its start failed): it is recorded
    FAILED first, so it counts against the suite.
    """
    suites = services.require_suites()
    record = suites.get(suite_id)
    if record.terminal:
        return finished_detail(services, record)
    children = [_ended(services, child) for child in runs_of(services, record)]
    outcome = aggregate(children)
    fields: dict[str, object] = {
        "verdict": outcome.verdict.value,
        "verdict_reasons": outcome.reasons or None,
        "totals": outcome.totals,
        "summaries": outcome.summaries,
        "finished_at": services.clock(),
    }
    record = suites.settle(suite_id, fields, allowed=OPEN, status=SuiteStatus.COMPLETED)
    return finished_detail(services, record)


def fail(services: Services, suite_id: str, error: dict[str, Any]) -> dict[str, Any]:
    """The suite workflow failed (its catch-all): the suite FAILED with the cause."""
    suites = services.require_suites()
    info = ErrorInfo(
        type=str(error.get("Error") or "SuiteFailed"),
        message=str(error.get("Cause") or "the suite workflow failed")[:2000],
    )
    fields: dict[str, object] = {"error": info, "finished_at": services.clock()}
    record = suites.settle(suite_id, fields, allowed=OPEN, status=SuiteStatus.FAILED)
    return finished_detail(services, record)


def children_of(services: Services, record: SuiteRecord) -> list[ChildSummary]:
    """The suite's runs as they stand (stored with the suite once it ended)."""
    if record.summaries is not None:
        return record.summaries
    return [summary_of(run) for run in runs_of(services, record)]


def runs_of(services: Services, record: SuiteRecord) -> list[RunRecord]:
    """The suite's runs, in its order, read in batches (`RunStore.get_many`)."""
    return services.runs.get_many([child.run_id for child in record.children])


def view_of(
    services: Services, record: SuiteRecord, base_url: str | None = None, *, live: bool = True
) -> SuiteView:
    """The suite as the API shows it; `live=False` (a list) reads no run: an unfinished suite's
    `runs` are then empty."""
    runs = children_of(services, record) if live else (record.summaries or [])
    view = SuiteView.of(record, runs)
    if services.links is not None:
        view.report_url = services.links.suite_url(record.suite_id, base_url)
    return view


def finished_detail(services: Services, record: SuiteRecord) -> dict[str, Any]:
    return view_of(services, record).event_detail()


def _ended(services: Services, child: RunRecord) -> RunRecord:
    if child.terminal or child.execution_arn is not None:
        return child
    error = ErrorInfo(type="RunNotStarted", message="the suite could not start this run")
    change = Change.move(
        RunStatus.FAILED,
        allowed=ACTIVE,
        note="not started by its suite",
        error=error,
        finished_at=services.clock(),
    )
    try:
        return services.runs.change(child.run_id, change)
    except RunAlreadyFinished as ended:
        return ended.record
