"""SynthflowProvider against a failing emulator: throttling, server errors, lost and malformed
answers."""

from __future__ import annotations

import pytest
from support.lifecycle import connect, emulator_calls, launch_into_a_fault, start_run
from support.synthflow_lifecycle import (
    AGENT_ID,
    PASS_CASE,
    SUITE,
    case,
    poll_until_done,
    synthflow_calls,
)

from agentsim.providers.base import SimulationStatus
from agentsim.providers.errors import ProviderRejected, ProviderUnavailable
from agentsim.providers.synthflow import SynthflowProvider
from agentsim_local.emulator import EmulatorServer


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
