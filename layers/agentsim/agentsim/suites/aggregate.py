"""A finished suite's verdict from its runs: any run that failed (its gate, or to complete)
fails the suite; else any run that regressed regresses it; else it passed when a run passed,
and has no verdict (NONE) only when none of its runs had one. Nothing passes silently: a run
that never started or did not complete is a failure of the suite, with the reason given.

What is stored with the suite is bounded (its item holds at most 400 KB, DynamoDB's limit, with
up to 500 runs): at most `MAX_REASONS` reasons, each naming at most `MAX_NAMED` cases, and the
runs' case lists are left out of their summaries past `SUMMARIES_BUDGET` bytes (each run's own
record keeps its whole comparison).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from agentsim.runs.record import RunRecord, RunStatus, Verdict
from agentsim.suites.record import ChildSummary, SuiteTotals

MAX_REASONS = 25
MAX_NAMED = 5
MAX_ERROR = 200
"""Characters of a run's error message in its summary (its record keeps it whole)."""
SUMMARIES_BUDGET = 200_000
"""Bytes (as JSON) of the runs' summaries stored with the suite before their lists are cut."""
CASE_LISTS = ("newly_passing", "flaky", "newly_failing")


@dataclass(frozen=True)
class SuiteOutcome:
    verdict: Verdict
    reasons: list[str]
    totals: SuiteTotals
    summaries: list[ChildSummary]


def summary_of(record: RunRecord) -> ChildSummary:
    comparison = record.comparison
    return ChildSummary(
        run_id=record.run_id,
        provider=record.expect_provider(),
        series=record.series,
        status=record.status,
        verdict=record.verdict,
        pass_rate=record.results.pass_rate if record.results else None,
        baseline_run_id=comparison.baseline_run_id if comparison else None,
        newly_failing=list(comparison.newly_failing) if comparison else [],
        newly_passing=list(comparison.newly_passing) if comparison else [],
        flaky=[f.case_key for f in comparison.flaky] if comparison else [],
        error=record.error.message[:MAX_ERROR] if record.error else None,
    )


def aggregate(children: Sequence[RunRecord]) -> SuiteOutcome:
    summaries = [summary_of(child) for child in children]
    failed = [s for s in summaries if s.status is not RunStatus.COMPLETED]
    failed += [
        s for s in summaries if s.status is RunStatus.COMPLETED and s.verdict is Verdict.FAILED
    ]
    regressed = [s for s in summaries if s.verdict is Verdict.REGRESSED]
    if failed:
        verdict = Verdict.FAILED
        reasons = [_failure(s) for s in failed]
    elif regressed:
        verdict = Verdict.REGRESSED
        reasons = [_regression(s) for s in regressed]
    else:
        passed = any(s.verdict is Verdict.PASSED for s in summaries)
        verdict, reasons = (Verdict.PASSED if passed else Verdict.NONE), []
    return SuiteOutcome(verdict, _bounded(reasons), _totals(children), fitted(summaries))


def fitted(summaries: list[ChildSummary]) -> list[ChildSummary]:
    """`summaries` within SUMMARIES_BUDGET: each case list left out in turn until they fit."""
    for name in CASE_LISTS:
        if _size(summaries) <= SUMMARIES_BUDGET:
            break
        summaries = [s.model_copy(update={name: []}) for s in summaries]
    return summaries


def _size(summaries: list[ChildSummary]) -> int:
    return len(json.dumps([s.model_dump(mode="json", exclude_none=True) for s in summaries]))


def _bounded(reasons: list[str]) -> list[str]:
    if len(reasons) <= MAX_REASONS:
        return reasons
    return [*reasons[:MAX_REASONS], f"and {len(reasons) - MAX_REASONS} more runs"]


def _named(names: list[str]) -> str:
    more = len(names) - MAX_NAMED
    return ", ".join(names[:MAX_NAMED]) + (f" and {more} more" if more > 0 else "")


def _failure(summary: ChildSummary) -> str:
    name = f"run {summary.run_id} ({summary.series or summary.provider.value})"
    if summary.status is not RunStatus.COMPLETED:
        because = f": {summary.error}" if summary.error else ""
        return f"{name} ended {summary.status.value}{because}"
    return f"{name} failed its gate"


def _regression(summary: ChildSummary) -> str:
    name = f"run {summary.run_id} ({summary.series or summary.provider.value})"
    flipped = _named(summary.newly_failing)
    return f"{name} regressed" + (f": newly failing {flipped}" if flipped else "")


def _totals(children: Sequence[RunRecord]) -> SuiteTotals:
    results = [c.results for c in children if c.results is not None]
    passed = sum(r.passed for r in results)
    failed = sum(r.failed for r in results)
    return SuiteTotals(
        runs=len(children),
        by_status=dict(Counter(c.status.value for c in children)),
        by_verdict=dict(Counter(c.verdict.value for c in children)),
        cases=sum(r.total for r in results),
        passed=passed,
        failed=failed,
        pass_rate=passed / (passed + failed) if passed + failed else None,
    )
