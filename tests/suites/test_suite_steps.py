"""The suite workflow's steps on moto: prepare groups the runs by provider with their
concurrency, a child is started only while PENDING without an execution, finish aggregates
the runs into the suite's verdict (once), fail records the workflow's cause."""

from __future__ import annotations

from typing import Any

import pytest
from support.records import START
from support.suite_records import suite_record

from agentsim.providers.base import ProviderName
from agentsim.runs.record import Origin, ResultsSummary, RunRecord, RunStatus, Verdict
from agentsim.runs.services import Services
from agentsim.suites import steps
from agentsim.suites.record import Child, SuiteStatus

SUITE_ID = "suite-1"
BLUEJAY, SYNTHFLOW, OMNI = ProviderName.BLUEJAY, ProviderName.SYNTHFLOW, ProviderName.OMNIDIMENSION
ARN = "arn:aws:states:us-east-1:123456789012:execution:test-run-suite:suite-1"


def child_run(
    run_id: str,
    provider: ProviderName = BLUEJAY,
    status: RunStatus = RunStatus.COMPLETED,
    verdict: Verdict = Verdict.PASSED,
    cases: tuple[int, int] | None = (2, 0),
    **fields: Any,
) -> RunRecord:
    """A run of the suite: COMPLETED with `cases` (passed, failed) unless told otherwise."""
    results = None
    if cases is not None:
        passed, failed = cases
        total = passed + failed
        results = ResultsSummary(
            total=total, passed=passed, failed=failed, pass_rate=passed / total if total else None
        )
    values: dict[str, Any] = {
        "run_id": run_id,
        "provider": provider,
        "status": status,
        "verdict": verdict,
        "trigger": Origin.EVENT,
        "suite_id": SUITE_ID,
        "results": results if status is RunStatus.COMPLETED else None,
        "execution_arn": None if status is RunStatus.PENDING else f"arn:run:{run_id}",
        "created_at": START,
        "updated_at": START,
        **fields,
    }
    return RunRecord(**values)


def given_suite(services: Services, *runs: RunRecord, **fields: Any) -> None:
    for run in runs:
        services.runs.create(run)
    children = [Child(run_id=r.run_id, provider=r.expect_provider()) for r in runs]
    services.require_suites().create_or_get(
        suite_record(SUITE_ID, children=children, trigger=Origin.EVENT, **fields)
    )


def pending(run_id: str, provider: ProviderName = BLUEJAY) -> RunRecord:
    return child_run(run_id, provider, RunStatus.PENDING, Verdict.NONE, None)


def test_prepare_marks_the_suite_running_with_its_execution(services: Services) -> None:
    given_suite(services, pending("r-0"))

    steps.prepare(services, SUITE_ID, ARN, 5)

    suite = services.require_suites().get(SUITE_ID)
    assert (suite.status, suite.execution_arn) == (SuiteStatus.RUNNING, ARN)
    assert suite.started_at is not None


def test_prepare_groups_runs_by_provider_in_the_suites_order(services: Services) -> None:
    given_suite(
        services, pending("r-0"), pending("r-1", SYNTHFLOW), pending("r-2"), pending("r-3", OMNI)
    )

    answer = steps.prepare(services, SUITE_ID, ARN, 5)

    assert answer == {
        "suite_id": SUITE_ID,
        "groups": [
            {"provider": "bluejay", "concurrency": 5, "runs": ["r-0", "r-2"]},
            {"provider": "synthflow", "concurrency": 5, "runs": ["r-1"]},
            {"provider": "omnidimension", "concurrency": 5, "runs": ["r-3"]},
        ],
    }


def test_prepare_gives_a_provider_the_suites_own_concurrency(services: Services) -> None:
    given_suite(services, pending("r-0"), pending("r-1", SYNTHFLOW), concurrency={BLUEJAY: 2})

    groups = steps.prepare(services, SUITE_ID, ARN, 7)["groups"]

    assert {g["provider"]: g["concurrency"] for g in groups} == {"bluejay": 2, "synthflow": 7}


def test_prepare_retried_keeps_the_first_start_time(services: Services) -> None:
    given_suite(services, pending("r-0"))
    steps.prepare(services, SUITE_ID, ARN, 5)
    first = services.require_suites().get(SUITE_ID).started_at

    steps.prepare(services, SUITE_ID, ARN, 5)

    assert services.require_suites().get(SUITE_ID).started_at == first


def test_child_state_starts_a_pending_run_without_an_execution(services: Services) -> None:
    services.runs.create(pending("r-0"))

    assert steps.child_state(services, "r-0") == {"run_id": "r-0", "start": True, "ended": False}


def test_child_state_reports_an_ended_run(services: Services) -> None:
    services.runs.create(child_run("r-0"))

    assert steps.child_state(services, "r-0") == {"run_id": "r-0", "start": False, "ended": True}


@pytest.mark.parametrize("status", [RunStatus.PENDING, RunStatus.RUNNING])
def test_child_state_neither_starts_nor_ends_a_started_run(
    services: Services, status: RunStatus
) -> None:
    services.runs.create(
        child_run("r-0", status=status, verdict=Verdict.NONE, execution_arn="arn:run:r-0")
    )

    assert steps.child_state(services, "r-0") == {"run_id": "r-0", "start": False, "ended": False}


def test_finish_of_passed_runs_completes_the_suite_passed(services: Services) -> None:
    given_suite(services, child_run("r-0"), child_run("r-1", SYNTHFLOW))

    detail = steps.finish(services, SUITE_ID)

    assert (detail["status"], detail["verdict"]) == ("COMPLETED", "PASSED")
    assert services.require_suites().get(SUITE_ID).verdict is Verdict.PASSED


def test_finish_a_failed_run_beats_a_regressed_one(services: Services) -> None:
    given_suite(
        services,
        child_run("r-0", verdict=Verdict.REGRESSED),
        child_run("r-1", verdict=Verdict.FAILED),
        child_run("r-2"),
    )

    detail = steps.finish(services, SUITE_ID)

    assert detail["verdict"] == "FAILED"
    assert len(detail["verdict_reasons"]) == 1 and "r-1" in detail["verdict_reasons"][0]


def test_finish_a_regressed_run_beats_passed_ones(services: Services) -> None:
    given_suite(services, child_run("r-0"), child_run("r-1", verdict=Verdict.REGRESSED))

    assert steps.finish(services, SUITE_ID)["verdict"] == "REGRESSED"


def test_finish_a_run_that_did_not_complete_fails_the_suite(services: Services) -> None:
    given_suite(
        services, child_run("r-0"), child_run("r-1", status=RunStatus.TIMED_OUT, cases=None)
    )

    detail = steps.finish(services, SUITE_ID)

    assert detail["verdict"] == "FAILED"
    assert "TIMED_OUT" in detail["verdict_reasons"][0]


def test_finish_has_no_verdict_when_no_run_had_one(services: Services) -> None:
    given_suite(
        services,
        child_run("r-0", OMNI, verdict=Verdict.NONE),
        child_run("r-1", OMNI, verdict=Verdict.NONE),
    )

    assert steps.finish(services, SUITE_ID)["verdict"] == "NONE"


def test_finish_passes_when_one_run_passed_and_the_others_had_no_verdict(
    services: Services,
) -> None:
    given_suite(services, child_run("r-0", OMNI, verdict=Verdict.NONE), child_run("r-1"))

    assert steps.finish(services, SUITE_ID)["verdict"] == "PASSED"


def test_finish_records_a_never_started_run_failed_run_not_started(services: Services) -> None:
    given_suite(services, child_run("r-0"), pending("r-1"))

    detail = steps.finish(services, SUITE_ID)

    run = services.runs.get("r-1")
    assert run.status is RunStatus.FAILED
    assert run.error is not None and run.error.type == "RunNotStarted"
    assert detail["verdict"] == "FAILED"
    assert [r["status"] for r in detail["runs"]] == ["COMPLETED", "FAILED"]


def test_finish_totals_sum_the_runs_cases(services: Services) -> None:
    given_suite(
        services,
        child_run("r-0", cases=(3, 1)),
        child_run("r-1", SYNTHFLOW, verdict=Verdict.FAILED, cases=(1, 3)),
        child_run("r-2", status=RunStatus.FAILED, verdict=Verdict.NONE, cases=None),
    )

    totals = steps.finish(services, SUITE_ID)["totals"]

    assert totals == {
        "runs": 3,
        "by_status": {"COMPLETED": 2, "FAILED": 1},
        "by_verdict": {"PASSED": 1, "FAILED": 1, "NONE": 1},
        "cases": 8,
        "passed": 4,
        "failed": 4,
        "pass_rate": 0.5,
    }


def test_finish_stores_each_runs_summary_with_the_suite(services: Services) -> None:
    given_suite(services, child_run("r-0"), child_run("r-1", SYNTHFLOW))

    steps.finish(services, SUITE_ID)

    summaries = services.require_suites().get(SUITE_ID).summaries or []
    assert [(s.run_id, s.provider, s.pass_rate) for s in summaries] == [
        ("r-0", BLUEJAY, 1.0),
        ("r-1", SYNTHFLOW, 1.0),
    ]


def test_finish_twice_returns_the_same_detail(services: Services) -> None:
    given_suite(services, child_run("r-0"), child_run("r-1", verdict=Verdict.REGRESSED))
    first = steps.finish(services, SUITE_ID)
    services.runs.create(child_run("r-extra"))

    again = steps.finish(services, SUITE_ID)

    assert again == first


def test_fail_records_the_suite_failed_with_the_cause(services: Services) -> None:
    given_suite(services, pending("r-0"))
    steps.prepare(services, SUITE_ID, ARN, 5)

    detail = steps.fail(services, SUITE_ID, {"Error": "States.Timeout", "Cause": "too slow"})

    suite = services.require_suites().get(SUITE_ID)
    assert suite.status is SuiteStatus.FAILED
    assert suite.error is not None
    assert (suite.error.type, suite.error.message) == ("States.Timeout", "too slow")
    assert detail["status"] == "FAILED"


def test_fail_of_a_finished_suite_keeps_its_verdict(services: Services) -> None:
    given_suite(services, child_run("r-0"))
    steps.finish(services, SUITE_ID)

    detail = steps.fail(services, SUITE_ID, {"Error": "X", "Cause": "late"})

    assert (detail["status"], detail["verdict"]) == ("COMPLETED", "PASSED")


@pytest.mark.parametrize("error", [{}, {"Error": None, "Cause": None}])
def test_fail_without_a_cause_names_the_suite_workflow(
    services: Services, error: dict[str, Any]
) -> None:
    given_suite(services, pending("r-0"))

    steps.fail(services, SUITE_ID, error)

    suite_error = services.require_suites().get(SUITE_ID).error
    assert suite_error is not None and suite_error.type == "SuiteFailed"
