"""A suite of 500 runs stays within what it is stored and announced in: the suite's item (400 KB
in DynamoDB) and its SuiteRunFinished event (256 KB in EventBridge), however many cases its runs
flipped and however long their series and errors."""

from __future__ import annotations

import json

from support.records import START
from support.suite_records import suite_record

from agentsim.providers.base import ProviderName
from agentsim.runs.comparison import Comparison, FlakyCase
from agentsim.runs.record import ErrorInfo, Origin, ResultsSummary, RunRecord, RunStatus, Verdict
from agentsim.runs.services import Services
from agentsim.runs.stored import StoredRun
from agentsim.suites import steps
from agentsim.suites.aggregate import MAX_REASONS, aggregate
from agentsim.suites.record import Child
from agentsim.suites.views import SuiteView

RUNS = 500
EVENT_LIMIT = 256 * 1024
ITEM_LIMIT = 400 * 1024


def flipped_run(index: int, cases: int = 10) -> RunRecord:
    """A REGRESSED run with a 200-character series and `cases` flipped cases of each kind."""
    keys = [f"Caller asks to reschedule the appointment, variant {k:03d}" for k in range(cases)]
    return RunRecord(
        run_id=f"{index:08d}-0000-5000-8000-000000000000",
        provider=ProviderName.BLUEJAY,
        status=RunStatus.COMPLETED,
        verdict=Verdict.REGRESSED,
        trigger=Origin.EVENT,
        series=f"{index:03d}/" + "s" * 196,
        results=ResultsSummary(total=20, passed=10, failed=10, pass_rate=0.5),
        comparison=Comparison(
            baseline_run_id="b" * 36,
            pass_rate=0.5,
            baseline_pass_rate=1.0,
            pass_rate_delta=-0.5,
            newly_failing=keys,
            newly_passing=keys,
            flaky=[FlakyCase(case_key=k, flake_rate=0.5) for k in keys],
        ),
        created_at=START,
        updated_at=START,
    )


def failed_run(index: int) -> RunRecord:
    error = ErrorInfo(type="ProviderError", message="the provider answered 500: " + "x" * 1900)
    return flipped_run(index).model_copy(
        update={"status": RunStatus.FAILED, "verdict": Verdict.NONE, "error": error}
    )


def finished_record(children: list[RunRecord]) -> tuple[int, int]:
    """(JSON bytes of the suite as stored, of its finished event's detail)."""
    outcome = aggregate(children)
    record = suite_record(
        "s-1", children=[Child(run_id=c.run_id, provider=c.expect_provider()) for c in children]
    ).model_copy(
        update={
            "summaries": outcome.summaries,
            "totals": outcome.totals,
            "verdict_reasons": outcome.reasons,
        }
    )
    stored = len(json.dumps(record.model_dump(mode="json", exclude_none=True)))
    detail = len(json.dumps(SuiteView.of(record, outcome.summaries).event_detail()))
    return stored, detail


def test_500_regressed_runs_fit_the_item_and_the_event() -> None:
    stored, detail = finished_record([flipped_run(i) for i in range(RUNS)])

    assert stored < ITEM_LIMIT
    assert detail < EVENT_LIMIT


def test_500_runs_failed_with_long_errors_fit_the_item_and_the_event() -> None:
    stored, detail = finished_record([failed_run(i) for i in range(RUNS)])

    assert stored < ITEM_LIMIT
    assert detail < EVENT_LIMIT


def test_reasons_are_capped_with_a_count_of_the_rest() -> None:
    reasons = aggregate([flipped_run(i) for i in range(RUNS)]).reasons

    assert len(reasons) == MAX_REASONS + 1
    assert reasons[-1] == f"and {RUNS - MAX_REASONS} more runs"


def test_a_reason_names_the_first_flipped_cases_and_counts_the_rest() -> None:
    reason = aggregate([flipped_run(0, cases=8)]).reasons[0]

    assert reason.endswith("variant 004 and 3 more")


def test_a_small_suite_keeps_its_runs_case_lists() -> None:
    summary = aggregate([flipped_run(0, cases=3)]).summaries[0]

    assert len(summary.newly_failing) == len(summary.newly_passing) == len(summary.flaky) == 3


def store_runs(services: Services, records: list[RunRecord]) -> None:
    """The runs as `RunStore.create` stores each, written 25 a call (set-up only: one conditional
    put a run takes 500 calls)."""
    puts = [{"PutRequest": {"Item": StoredRun.of(r).item()}} for r in records]
    for start in range(0, len(puts), 25):
        answer = services.runs.client.batch_write_item(
            RequestItems={services.runs.table: puts[start : start + 25]}
        )
        assert not answer["UnprocessedItems"]


def test_finish_of_500_flipped_runs_completes_the_suite(services: Services) -> None:
    children = [flipped_run(i).model_copy(update={"suite_id": "s-1"}) for i in range(RUNS)]
    store_runs(services, children)
    kids = [Child(run_id=c.run_id, provider=c.expect_provider()) for c in children]
    services.require_suites().create_or_get(suite_record("s-1", children=kids))

    detail = steps.finish(services, "s-1")

    assert (detail["status"], detail["verdict"]) == ("COMPLETED", "REGRESSED")
    assert len(json.dumps(detail)) < EVENT_LIMIT
