"""OmniDimensionProvider against a failing emulator: throttling, errors, lost and refused starts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from support.lifecycle import (
    emulator_calls,
    launch_into_a_fault,
    lost_launch,
    poll_until_terminal,
    throttle_and_fail_now_and_then,
)
from support.omni_lifecycle import (
    API_KEY,
    SPEC,
    a_draft_failing_its_next_start,
    start_statuses,
    starts,
)

from agentsim.providers.base import SimulationStatus
from agentsim.providers.errors import ProviderUnavailable
from agentsim.providers.omnidimension import OmniDimensionProvider
from agentsim_local.emulator import EmulatorServer


def test_the_lifecycle_completes_through_throttling_and_server_errors(
    emulator: EmulatorServer, provider: OmniDimensionProvider, sleeps: list[float]
) -> None:
    # Given OmniDimension throttling the start twice and failing reads now and then
    throttle_and_fail_now_and_then(emulator, "omnidimension", launch_path="/start")
    emulator.faults.add(provider="omnidimension", kind="5xx", method="PUT", times=1)
    # When the whole lifecycle runs, through an update
    created = provider.client.create_simulation(SPEC)
    prepared = provider.prepare(SPEC, simulation_id=created.id)
    run = provider.launch(prepared, None, idempotency_key="agentsim-run-faults")
    poll_until_terminal(provider, run)
    results = provider.results(run)
    # Then it ended normally after one accepted start, the faults having really fired
    assert results.total == 4
    statuses = [c["status"] for c in emulator_calls(emulator, "omnidimension")]
    assert statuses.count(429) == 3
    assert statuses.count(503) == 2
    assert 502 in statuses
    assert sleeps.count(1.0) == 2  # Retry-After honoured for the start call
    assert len(starts(emulator)) == 1


def test_a_start_refused_with_a_503_in_omnidimension_words_is_retried_and_starts_once(
    emulator: EmulatorServer, provider: OmniDimensionProvider
) -> None:
    # Given OmniDimension refusing the start once with its own error body
    prepared = a_draft_failing_its_next_start(emulator, provider, "5xx")
    # When the simulation is launched
    run = provider.launch(prepared, None, idempotency_key="agentsim-run-503")
    # Then the refusal (which started nothing) was simply sent again: one start
    assert start_statuses(emulator) == [503, 200]
    assert poll_until_terminal(provider, run)[-1].status is SimulationStatus.COMPLETED
    assert len(starts(emulator)) == 1


def test_a_start_answered_by_a_gateway_page_is_not_repeated_and_nothing_was_started(
    emulator: EmulatorServer, provider: OmniDimensionProvider
) -> None:
    # Given a gateway's HTML page instead of OmniDimension's answer (the emulator's faults
    # answer before acting, so nothing started; a real gateway may have passed it on)
    prepared = a_draft_failing_its_next_start(emulator, provider, "html")
    # When the launch fails, it is not repeated
    error, found = launch_into_a_fault(provider, prepared, "agentsim-run-5xx")
    assert error.ambiguous is True
    assert start_statuses(emulator) == [502]
    # Then find_launch sees the Draft, and a second launch starts it once
    assert found is None
    run = provider.launch(prepared, None, idempotency_key="agentsim-run-5xx")
    assert poll_until_terminal(provider, run)[-1].status is SimulationStatus.COMPLETED
    assert len(starts(emulator)) == 1


def test_a_start_answer_lost_in_a_timeout_is_found_instead_of_started_again(
    emulator: EmulatorServer,
) -> None:
    # Given OmniDimension starts the simulation but answers after our timeout, not repeated
    impatient, prepared, found = lost_launch(
        OmniDimensionProvider,
        emulator,
        "omnidimension",
        API_KEY,
        SPEC,
        launch_path="/start",
        idempotency_key="agentsim-run-slow",
    )
    # Then find_launch recovers the simulation OmniDimension did start, started once
    assert found is not None
    assert found.simulation_id == prepared.simulation_id
    assert len(starts(emulator)) == 1
    poll_until_terminal(impatient, found)
    impatient.close()


def test_a_malformed_create_answer_is_not_repeated(
    emulator: EmulatorServer, provider: OmniDimensionProvider
) -> None:
    emulator.faults.add(provider="omnidimension", kind="malformed", method="POST", times=1)
    with pytest.raises(ProviderUnavailable) as caught:
        provider.prepare(SPEC)
    assert caught.value.ambiguous is True
    creates = emulator_calls(emulator, "omnidimension", method="POST")
    assert len(creates) == 1


def test_find_launch_without_a_launch_finds_nothing(provider: OmniDimensionProvider) -> None:
    prepared = provider.prepare(SPEC)
    found = provider.find_launch(
        prepared, idempotency_key="agentsim-run-none", attempted_at=datetime.now(UTC)
    )
    assert found is None
