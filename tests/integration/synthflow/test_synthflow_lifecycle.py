"""SynthflowProvider against the emulator over real HTTP: cases and suites run to their verdicts,
and find_launch."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from support.lifecycle import start_run
from support.run_requests import SYNTHFLOW_ERROR_CASE
from support.synthflow_lifecycle import (
    FAIL_CASE,
    PASS_CASE,
    SUITE,
    SUITE_ID,
    case,
    poll_until_done,
    synthflow_calls,
)

from agentsim.providers.base import CaseVerdict, SimulationStatus
from agentsim.providers.errors import ProviderNotFound, ProviderRejected
from agentsim.providers.synthflow import SimulationSpec, SynthflowProvider
from agentsim_local.emulator import EmulatorServer

# Single cases -------------------------------------------------------------------------------------


def test_a_passing_case_completes_with_a_passed_verdict(provider: SynthflowProvider) -> None:
    run = start_run(
        provider, case(PASS_CASE, custom_variables={"name": "Ann"}), idempotency_key="r1"
    )

    final = poll_until_done(provider, run)
    results = provider.results(run)

    assert run.kind == "simulation"
    assert final.status is SimulationStatus.COMPLETED
    assert (results.total, results.passed, results.failed) == (1, 1, 0)
    outcome = results.cases[0]
    assert outcome.verdict is CaseVerdict.PASSED
    assert outcome.name == "Book an appointment"
    assert outcome.reasoning is not None
    assert "PASS The agent books an appointment" in outcome.reasoning
    assert outcome.transcript
    assert outcome.recording_url is not None
    assert outcome.raw["custom_variables"] == {"name": "Ann"}


def test_a_failing_case_completes_with_a_failed_verdict(provider: SynthflowProvider) -> None:
    run = start_run(provider, case(FAIL_CASE), idempotency_key="r2")

    final = poll_until_done(provider, run)
    results = provider.results(run)

    assert final.status is SimulationStatus.COMPLETED
    assert (results.passed, results.failed) == (0, 1)
    assert results.cases[0].verdict is CaseVerdict.FAILED


def test_an_erroring_case_ends_failed_with_its_error(provider: SynthflowProvider) -> None:
    run = start_run(provider, case(SYNTHFLOW_ERROR_CASE), idempotency_key="r3")

    final = poll_until_done(provider, run)
    results = provider.results(run)

    assert final.status is SimulationStatus.FAILED
    assert final.provider_status == "failed"
    assert final.message == "The call was disconnected before completion"
    assert results.cases[0].verdict is CaseVerdict.FAILED
    assert results.cases[0].reasoning == final.message


def test_the_simulation_lands_in_the_run_own_session(provider: SynthflowProvider) -> None:
    run = start_run(provider, case(PASS_CASE), idempotency_key="r4")
    simulation = provider.client.get_simulation(run.simulation_id)
    assert simulation.simulation_session_id == run.run_id


def test_an_unknown_case_is_not_found(provider: SynthflowProvider) -> None:
    with pytest.raises(ProviderNotFound, match="11111111-1111-4111-8111-111111111111"):
        provider.prepare(case("11111111-1111-4111-8111-111111111111"))


# Suites -------------------------------------------------------------------------------------------


def test_a_suite_runs_every_case_with_mixed_verdicts(provider: SynthflowProvider) -> None:
    run = start_run(provider, SUITE, idempotency_key="r5")

    final = poll_until_done(provider, run)
    results = provider.results(run)

    assert run.kind == "session"
    assert run.total_cases == 3
    assert final.status is SimulationStatus.COMPLETED
    assert final.progress == 100
    assert (results.total, results.passed, results.failed) == (3, 1, 2)
    verdicts = {c.name: c.verdict for c in results.cases}
    assert verdicts == {
        "Book an appointment": CaseVerdict.PASSED,
        "Angry caller [emulator:fail]": CaseVerdict.FAILED,
        "Dropped line [emulator:error]": CaseVerdict.FAILED,
    }
    assert results.raw["failed_simulations"] == 1


def test_a_suite_id_alone_runs_the_suite_on_its_agent(provider: SynthflowProvider) -> None:
    run = start_run(provider, None, simulation_id=SUITE_ID, idempotency_key="r6")
    assert poll_until_done(provider, run).status is SimulationStatus.COMPLETED
    assert provider.results(run).total == 3


def test_a_case_id_alone_is_refused_asking_for_the_agent(provider: SynthflowProvider) -> None:
    with pytest.raises(ProviderRejected, match="target_agent_id"):
        provider.prepare(None, simulation_id=PASS_CASE)


def test_a_suite_on_another_agent_is_refused_before_executing(
    provider: SynthflowProvider, emulator: EmulatorServer
) -> None:
    spec = SimulationSpec.model_validate({"suite_id": SUITE_ID, "target_agent_id": "other"})
    with pytest.raises(ProviderRejected, match="model_id"):
        provider.prepare(spec)
    assert not synthflow_calls(emulator, "POST", f"simulation_suites/{SUITE_ID}/execute")


def test_the_emulator_own_agent_check_reads_as_a_rejection(provider: SynthflowProvider) -> None:
    with pytest.raises(ProviderRejected, match="model_id") as caught:
        provider.client.execute_suite(SUITE_ID, "other")
    assert caught.value.status_code == 400


def test_stop_is_refused(provider: SynthflowProvider) -> None:
    run = start_run(provider, case(PASS_CASE), idempotency_key="r7")
    with pytest.raises(ProviderRejected, match="no stop endpoint"):
        provider.stop(run)


# find_launch --------------------------------------------------------------------------------------


def test_find_launch_finds_a_launched_case(provider: SynthflowProvider) -> None:
    attempted = datetime.now(UTC)
    prepared = provider.prepare(case(PASS_CASE))
    launched = provider.launch(prepared, None, idempotency_key="r8")

    found = provider.find_launch(prepared, idempotency_key="r8", attempted_at=attempted)

    assert found == launched


def test_find_launch_finds_nothing_before_a_launch(provider: SynthflowProvider) -> None:
    start_run(provider, case(PASS_CASE), idempotency_key="someone-else")
    prepared = provider.prepare(case(PASS_CASE))
    assert (
        provider.find_launch(prepared, idempotency_key="r9", attempted_at=datetime.now(UTC)) is None
    )


def test_find_launch_finds_a_launched_suite(provider: SynthflowProvider) -> None:
    attempted = datetime.now(UTC)
    prepared = provider.prepare(SUITE)
    launched = provider.launch(prepared, None, idempotency_key="r10")

    found = provider.find_launch(prepared, idempotency_key="r10", attempted_at=attempted)

    assert found is not None
    assert (found.kind, found.simulation_id) == ("session", launched.simulation_id)
