"""A finished suite's detail as its workflow publishes it (a REGRESSED suite of two Bluejay
runs, the second newly failing two cases), for the tests of what its deliveries send."""

from __future__ import annotations

from typing import Any

from support.suite_records import suite_record

from agentsim.providers.base import ProviderName
from agentsim.runs.record import RunStatus, Verdict
from agentsim.suites.record import ChildSummary, SuiteStatus, SuiteTotals
from agentsim.suites.views import SuiteView

SUITE_ID = "suite-delivered"
REPORT = "https://api.example/v1/suites/suite-delivered/report?expires=1&signature=ab12"


def summary(index: int, newly_failing: list[str]) -> ChildSummary:
    return ChildSummary(
        run_id=f"{SUITE_ID}-run-{index}",
        provider=ProviderName.BLUEJAY,
        series=f"nightly/bluejay-{index}",
        status=RunStatus.COMPLETED,
        verdict=Verdict.REGRESSED if newly_failing else Verdict.PASSED,
        newly_failing=newly_failing,
    )


def detail(**changes: Any) -> dict[str, Any]:
    """A REGRESSED suite's SuiteRunFinished detail, as its workflow publishes it."""
    record = suite_record(
        SUITE_ID,
        status=SuiteStatus.COMPLETED,
        verdict=Verdict.REGRESSED,
        verdict_reasons=[f"{SUITE_ID}-run-1 regressed"],
        totals=SuiteTotals(runs=2, cases=4, passed=2, failed=2),
    )
    view = SuiteView.of(record, [summary(0, []), summary(1, ["book", "cancel"])])
    view.report_url = REPORT
    return {**view.event_detail(), **changes}
