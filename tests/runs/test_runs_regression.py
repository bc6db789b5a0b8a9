"""Two runs of one series through the workflow's use cases (moto, the emulator over HTTP): the
second is compared with the first, and a case that flipped from pass to fail regresses it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from support.run_requests import bluejay_request, omnidimension_request
from support.workflow import run_workflow

from agentsim.runs.envelope import parse_request
from agentsim.runs.errors import Problem, RequestInvalid
from agentsim.runs.events import finished_detail
from agentsim.runs.record import RunStatus, Verdict
from agentsim.runs.services import Services
from agentsim_local.emulator import EmulatorServer

GATE = {"min_pass_rate": 0.3, "fail_on_new_failures": True}


def fail_cases(emulator: EmulatorServer, *names: str) -> None:
    answer = httpx.put(emulator.url + "/_emulator/failing-cases", json={"names": list(names)})
    answer.raise_for_status()


def run(services: Services, run_id: str, **overrides: Any) -> Any:
    record, _ = run_workflow(services, run_id, bluejay_request(gate=GATE, **overrides))
    assert record.status is RunStatus.COMPLETED, record.error
    return record


def pass_then_fail_polite_caller(
    services: Services, emulator: EmulatorServer, passing: str = "first", failing: str = "second"
) -> None:
    """Runs `passing` and `failing` of the series, "Polite caller" failing only in `failing`:
    it passes again in the runs that follow."""
    run(services, passing)
    fail_cases(emulator, "Polite caller")
    run(services, failing)
    fail_cases(emulator)


def test_the_first_run_of_a_series_has_no_baseline(services: Services) -> None:
    first = run(services, "first")

    assert (first.series, first.comparison) == ("bluejay/12/Support line regression", None)
    assert first.verdict is Verdict.PASSED


def test_a_case_that_flips_to_failing_regresses_the_next_run(
    services: Services, emulator: EmulatorServer
) -> None:
    run(services, "first")
    fail_cases(emulator, "Polite caller")

    second = run(services, "second")

    assert second.verdict is Verdict.REGRESSED
    assert second.comparison.baseline_run_id == "first"
    assert second.comparison.newly_failing == ["Polite caller"]
    assert second.verdict_reasons == ["newly failing since first: Polite caller"]


def test_a_steady_series_passes_against_its_baseline(services: Services) -> None:
    run(services, "first")

    second = run(services, "second")

    assert second.verdict is Verdict.PASSED
    assert second.comparison.newly_failing == []
    assert second.comparison.pass_rate_delta == 0


def test_a_pinned_baseline_is_compared_with_instead_of_the_previous_run(
    services: Services, emulator: EmulatorServer
) -> None:
    pass_then_fail_polite_caller(services, emulator, "good", "bad")

    pinned = run(services, "third", baseline={"run_id": "bad"})

    assert pinned.comparison.baseline_run_id == "bad"
    assert pinned.comparison.newly_passing == ["Polite caller"]


def test_a_case_that_flipped_within_the_series_is_flaky(
    services: Services, emulator: EmulatorServer
) -> None:
    pass_then_fail_polite_caller(services, emulator)

    third = run(services, "third")

    assert [(f.case_key, f.flake_rate) for f in third.comparison.flaky] == [
        ("Polite caller", pytest.approx(0.3333, abs=1e-4))
    ]


def test_runs_of_another_series_are_never_the_baseline(services: Services) -> None:
    run(services, "first")

    other = run(services, "other", series="nightly-support")

    assert (other.series, other.comparison) == ("nightly-support", None)


def test_the_finished_event_carries_the_series_and_what_changed(
    services: Services, emulator: EmulatorServer
) -> None:
    run(services, "first")
    fail_cases(emulator, "Polite caller")

    detail = finished_detail(run(services, "second"))

    assert detail["series"] == "bluejay/12/Support line regression"
    assert detail["verdict"] == "REGRESSED"
    assert detail["comparison"]["newly_failing"] == ["Polite caller"]


def test_a_gate_on_a_provider_that_grades_nothing_is_refused_naming_the_gate() -> None:
    with pytest.raises(RequestInvalid) as refused:
        parse_request(omnidimension_request(gate={"min_pass_rate": 0.5}))

    assert [p.path for p in refused.value.problems] == ["gate"]
    assert isinstance(refused.value.problems[0], Problem)


def test_a_comparison_reads_the_earlier_runs_records_never_their_cases(
    services: Services, emulator: EmulatorServer
) -> None:
    pass_then_fail_polite_caller(services, emulator)
    case_reads: list[str] = []

    def record(params: dict[str, Any], **_: Any) -> None:
        if params.get("TableName") == services.items.table:
            case_reads.append(params["ExpressionAttributeValues"][":pk"]["S"])

    services.items.client.meta.events.register("provide-client-params.dynamodb.Query", record)
    third = run(services, "third")

    assert third.comparison.baseline_run_id == "second"
    assert third.comparison.newly_passing == ["Polite caller"]
    assert [f.case_key for f in third.comparison.flaky] == ["Polite caller"]
    assert set(case_reads) <= {"RUN#third"}
