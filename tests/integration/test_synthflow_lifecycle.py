"""SynthflowProvider against the emulator over real HTTP: start, poll, results, faults."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from support.lifecycle import (
    connect,
    emulator_calls,
    launch_into_a_fault,
    poll_until_terminal,
    start_run,
)
from support.run_requests import SYNTHFLOW_ERROR_CASE

from agentsim.providers.base import CaseVerdict, PollResult, SimulationStatus
from agentsim.providers.errors import (
    ProviderNotFound,
    ProviderRejected,
    ProviderUnavailable,
)
from agentsim.providers.synthflow import SimulationSpec, SynthflowProvider
from agentsim_local.emulator import EmulatorServer

AGENT_ID = "1726005822670-239735712159542050"
PASS_CASE = "9ad09ad3-9c22-441e-ae35-c05016a09786"
FAIL_CASE = "5b0f3a52-7a51-4a59-9d0c-3f1f3f1d2e01"
SUITE_ID = "0e5d6c7b-2222-4b4b-9c9c-1d1d1d1d1d01"


@pytest.fixture
def provider(emulator: EmulatorServer) -> Iterator[SynthflowProvider]:
    with connect(SynthflowProvider, emulator, "synthflow", "sf-test-key") as adapter:
        assert isinstance(adapter, SynthflowProvider)
        yield adapter


def case(case_id: str, **fields: object) -> SimulationSpec:
    return SimulationSpec.model_validate(
        {"simulation_case_id": case_id, "target_agent_id": AGENT_ID, **fields}
    )


SUITE = SimulationSpec.model_validate({"suite_id": SUITE_ID, "target_agent_id": AGENT_ID})


def poll_until_done(provider: SynthflowProvider, run: Any, timeout: float = 15) -> PollResult:
    return poll_until_terminal(provider, run, timeout)[-1]


def synthflow_calls(emulator: EmulatorServer, method: str, path: str) -> list[dict[str, Any]]:
    return emulator_calls(emulator, "synthflow", method, f"/v2/{path}")


# Single cases ----------------------------------------------------------------------------------


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


# Suites ----------------------------------------------------------------------------------------


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


# find_launch -----------------------------------------------------------------------------------


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


# Faults ----------------------------------------------------------------------------------------


def test_a_throttled_start_is_retried_and_starts_once(
    provider: SynthflowProvider, emulator: EmulatorServer
) -> None:
    emulator.faults.add(provider="synthflow", kind="429", method="POST", times=2)

    run = start_run(provider, case(PASS_CASE), idempotency_key="r11")

    assert poll_until_done(provider, run).status is SimulationStatus.COMPLETED
    statuses = [c["status"] for c in synthflow_calls(emulator, "POST", "simulations")]
    assert statuses == [429, 429, 200]


def test_polls_ride_out_server_errors(
    provider: SynthflowProvider, emulator: EmulatorServer
) -> None:
    run = start_run(provider, SUITE, idempotency_key="r12")
    # Given each poll's first three attempts fail with a 503 (the fourth, last one gets through)
    emulator.faults.add(
        provider="synthflow", kind="5xx", method="GET", path_contains="/session/", times=3
    )

    final = poll_until_done(provider, run)
    results = provider.results(run)

    assert final.status is SimulationStatus.COMPLETED
    assert results.total == 3
    polls = [c for c in emulator_calls(emulator, "synthflow") if "/session/" in str(c["path"])]
    statuses = [c["status"] for c in polls]
    assert statuses[:4] == [503, 503, 503, 200]


def test_a_start_with_a_500_is_not_repeated(
    provider: SynthflowProvider, emulator: EmulatorServer
) -> None:
    emulator.faults.add(provider="synthflow", kind="5xx", status=500, method="POST", times=1)

    with pytest.raises(ProviderUnavailable) as caught:
        start_run(provider, case(PASS_CASE), idempotency_key="r13")

    assert caught.value.ambiguous
    assert len(synthflow_calls(emulator, "POST", "simulations")) == 1


def test_a_start_refused_with_a_503_in_synthflow_words_is_sent_again(
    provider: SynthflowProvider, emulator: EmulatorServer
) -> None:
    emulator.faults.add(provider="synthflow", kind="5xx", method="POST", times=1)

    run = start_run(provider, case(PASS_CASE), idempotency_key="r13b")

    statuses = [c["status"] for c in synthflow_calls(emulator, "POST", "simulations")]
    assert statuses == [503, 200]
    assert poll_until_done(provider, run).status is SimulationStatus.COMPLETED


def test_a_timed_out_start_is_found_instead_of_repeated(emulator: EmulatorServer) -> None:
    # Given a start whose answer arrives after the client gave up (the simulation did start)
    emulator.faults.add(provider="synthflow", kind="slow", method="POST", delay=1.0, times=1)
    adapter = connect(SynthflowProvider, emulator, "synthflow", "sf-test-key", timeout=0.3)
    prepared = adapter.prepare(case(PASS_CASE))

    error, found = launch_into_a_fault(adapter, prepared, "r14")

    assert error.ambiguous
    assert found is not None
    assert len(synthflow_calls(emulator, "POST", "simulations")) == 1
    assert poll_until_done(adapter, found).status is SimulationStatus.COMPLETED
    adapter.close()


def test_a_timed_out_suite_execute_is_found_instead_of_repeated(emulator: EmulatorServer) -> None:
    emulator.faults.add(provider="synthflow", kind="slow", method="POST", delay=1.0, times=1)
    adapter = connect(SynthflowProvider, emulator, "synthflow", "sf-test-key", timeout=0.3)
    prepared = adapter.prepare(SUITE)

    _, found = launch_into_a_fault(adapter, prepared, "r15")

    assert found is not None
    assert found.kind == "session"
    assert poll_until_done(adapter, found).status is SimulationStatus.COMPLETED
    assert adapter.results(found).total == 3
    adapter.close()


def test_a_malformed_answer_to_a_poll_is_retried(
    provider: SynthflowProvider, emulator: EmulatorServer
) -> None:
    run = start_run(provider, case(PASS_CASE), idempotency_key="r16")
    emulator.faults.add(provider="synthflow", kind="malformed", method="GET", times=1)
    emulator.faults.add(provider="synthflow", kind="html", method="GET", nth=2)

    assert poll_until_done(provider, run).status is SimulationStatus.COMPLETED


def test_a_validation_error_names_the_field(provider: SynthflowProvider) -> None:
    with pytest.raises(ProviderRejected, match="simulation_case_id") as caught:
        provider.client.start_simulation("not-a-uuid", AGENT_ID)
    assert caught.value.status_code == 422
