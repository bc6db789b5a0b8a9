"""Repeats through the workflow's use cases (moto, the emulator over HTTP): every case attempted
n times with the provider's own repetition, passed when k of its attempts passed."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from support.run_requests import (
    SYNTHFLOW_PASSING_CASE,
    bluejay_request,
    launches,
    omnidimension_request,
    synthflow_request,
)
from support.workflow import run_workflow

from agentsim.runs.record import RunRecord, RunStatus, Verdict
from agentsim.runs.services import Services
from agentsim_local.emulator import EmulatorServer

POLITE = "Polite caller"
"""A Bluejay fixture digital human that passes unless told to fail."""
SYNTHFLOW_CASE_NAME = "Book an appointment"


def fail_attempts(emulator: EmulatorServer, name: str, *attempts: int) -> None:
    body = {"names": [name], "attempts": list(attempts)}
    httpx.put(emulator.url + "/_emulator/failing-cases", json=body).raise_for_status()


def completed(services: Services, run_id: str, request: dict[str, Any]) -> RunRecord:
    record, _ = run_workflow(services, run_id, request)
    assert record.status is RunStatus.COMPLETED, record.error
    assert record.outcomes is not None
    return record


def test_bluejay_attempts_each_digital_human_n_times_in_one_run(
    services: Services, emulator: EmulatorServer
) -> None:
    record = completed(services, "bj", bluejay_request(repeat={"times": 3, "min_passes": 2}))

    assert record.outcomes is not None
    assert {key: t.attempts for key, t in record.outcomes.cases.items()} == {
        POLITE: 3,
        "Confused caller": 3,
        "Impatient caller [emulator:fail]": 3,
    }
    assert len(launches(emulator, "bluejay")) == 1


def test_bluejay_case_passes_when_k_of_its_n_attempts_pass(
    services: Services, emulator: EmulatorServer
) -> None:
    fail_attempts(emulator, POLITE, 2)

    record = completed(services, "bj", bluejay_request(repeat={"times": 3, "min_passes": 2}))

    assert record.outcomes is not None
    tally = record.outcomes.cases[POLITE]
    assert (tally.passed, tally.failed) == (2, 1)
    assert record.outcomes.results()[POLITE] is True
    assert record.verdict is Verdict.PASSED


def test_bluejay_case_fails_when_fewer_than_k_of_its_attempts_pass(
    services: Services, emulator: EmulatorServer
) -> None:
    fail_attempts(emulator, POLITE, 1, 3)
    request = bluejay_request(repeat={"times": 3, "min_passes": 2}, gate={"min_pass_rate": 0.5})

    record = completed(services, "bj", request)

    assert record.outcomes is not None
    assert record.outcomes.results() == {
        POLITE: False,
        "Confused caller": True,
        "Impatient caller [emulator:fail]": False,
    }
    assert record.verdict is Verdict.FAILED
    assert record.verdict_reasons == ["pass rate 1/3 is below min_pass_rate 0.5"]


def test_synthflow_starts_the_case_n_times_in_one_session(
    services: Services, emulator: EmulatorServer
) -> None:
    record = completed(services, "sf", synthflow_request(repeat={"times": 3}))

    started = launches(emulator, "synthflow")
    assert len(started) == 3
    assert record.handle is not None
    assert (record.handle.kind, record.handle.simulation_id) == ("session", record.provider_run_id)
    assert record.outcomes is not None
    tally = record.outcomes.cases[SYNTHFLOW_PASSING_CASE]
    assert (tally.passed, tally.failed, tally.attempts) == (3, 0, 3)


@pytest.mark.parametrize(
    ("failing_attempts", "passes", "verdict"),
    [
        pytest.param((1,), True, Verdict.PASSED, id="passes-when-k-of-its-n-attempts-pass"),
        pytest.param((1, 2), False, Verdict.FAILED, id="fails-when-fewer-than-k-pass"),
    ],
)
def test_a_synthflow_case_needs_k_of_its_n_attempts_to_pass(
    services: Services,
    emulator: EmulatorServer,
    failing_attempts: tuple[int, ...],
    passes: bool,
    verdict: Verdict,
) -> None:
    fail_attempts(emulator, SYNTHFLOW_CASE_NAME, *failing_attempts)

    record = completed(services, "sf", synthflow_request(repeat={"times": 3, "min_passes": 2}))

    assert record.outcomes is not None
    assert record.outcomes.results() == {SYNTHFLOW_PASSING_CASE: passes}
    assert record.verdict is verdict


def test_omnidimension_repeats_a_scenario_with_its_calls_per_scenario(
    services: Services, emulator: EmulatorServer
) -> None:
    request = omnidimension_request(repeat={"times": 3})
    del request["simulation"]["number_of_call_to_make"]

    record = completed(services, "omni", request)

    assert record.outcomes is not None
    tally = record.outcomes.cases["Book a cleaning"]
    assert (tally.passed, tally.failed, tally.attempts) == (0, 0, 3)
    assert record.verdict is Verdict.NONE  # OmniDimension grades no call


def test_omnidimension_sets_the_calls_per_scenario_of_an_existing_simulation(
    services: Services, emulator: EmulatorServer
) -> None:
    first = completed(services, "omni-1", omnidimension_request())
    request = {"provider": "omnidimension", "simulation_id": first.simulation_id}

    again = completed(services, "omni-2", {**request, "repeat": {"times": 2}})

    assert again.outcomes is not None
    assert again.outcomes.cases["Book a cleaning"].attempts == 2


def test_a_case_with_both_outcomes_among_its_attempts_is_flaky_in_the_comparison(
    services: Services, emulator: EmulatorServer
) -> None:
    completed(services, "first", bluejay_request(repeat={"times": 3, "min_passes": 2}))
    fail_attempts(emulator, POLITE, 3)

    second = completed(services, "second", bluejay_request(repeat={"times": 3, "min_passes": 2}))

    assert second.comparison is not None
    assert second.comparison.newly_failing == []
    assert [(f.case_key, f.flake_rate) for f in second.comparison.flaky] == [(POLITE, 0.1667)]
