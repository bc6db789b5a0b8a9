"""OmniDimensionProvider against the emulator over real HTTP: create, start, poll, update, rerun."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from support.lifecycle import poll_until_terminal, start_run
from support.omni_lifecycle import SCENARIOS, SPEC, starts
from support.run_requests import omnidimension_request

from agentsim.providers.base import CaseVerdict, SimulationStatus
from agentsim.providers.errors import ProviderNotFound, ProviderRejected
from agentsim.providers.omnidimension import OmniDimensionProvider, SimulationSpec, SimulationUpdate
from agentsim_local.emulator import EmulatorServer


def test_a_created_simulation_runs_to_completion_with_one_case_per_call(
    emulator: EmulatorServer, provider: OmniDimensionProvider
) -> None:
    # Given a new simulation of two scenarios, two calls each
    prepared = provider.prepare(SPEC)
    assert prepared.prepared_status == "Draft"
    # When it is started and polled to the end
    run = provider.launch(prepared, None, idempotency_key="agentsim-run-1")
    polls = poll_until_terminal(provider, run)
    # Then it walked Pending -> In Progress -> Calculating Summary -> Completed
    words = [p.provider_status for p in polls]
    assert {"In Progress", "Completed"} <= set(words)
    assert SimulationStatus.RUNNING in {p.status for p in polls}
    assert (polls[-1].status, polls[-1].progress) == (SimulationStatus.COMPLETED, 100)
    assert [p.progress for p in polls] == sorted(p.progress for p in polls)
    # And the results hold the four calls, ungraded, each with its report and recording
    results = provider.results(run)
    assert (results.total, results.passed, results.failed, results.has_verdicts) == (
        4,
        0,
        0,
        False,
    )
    assert sorted(c.name or "" for c in results.cases) == sorted(
        [SCENARIOS[0]["name"]] * 2 + [SCENARIOS[1]["name"]] * 2
    )
    assert all(c.verdict is CaseVerdict.NONE for c in results.cases)
    assert all(c.status == "completed" for c in results.cases)
    assert all(c.recording_url and c.recording_url.endswith(".wav") for c in results.cases)
    assert all(c.duration_seconds is not None and c.duration_seconds > 0 for c in results.cases)
    assert all(c.transcript and c.transcript[0]["role"] == "user" for c in results.cases)
    rude = next(c for c in results.cases if "Rude" in (c.name or ""))
    assert rude.reasoning is not None
    assert "did not meet" in rude.reasoning
    assert results.summary is not None
    assert "Rude caller" in results.summary
    assert results.raw["status"] == "Completed"
    assert len(starts(emulator)) == 1


def test_the_shared_envelope_example_completes_with_one_ungraded_call(
    provider: OmniDimensionProvider,
) -> None:
    spec = SimulationSpec.model_validate(omnidimension_request()["simulation"])
    run = start_run(provider, spec, idempotency_key="agentsim-run-envelope")
    poll_until_terminal(provider, run)
    results = provider.results(run)
    assert (results.total, results.passed, results.failed, results.has_verdicts) == (
        1,
        0,
        0,
        False,
    )
    assert provider.expected_duration_seconds(spec, None) == 3 * 60


def test_an_existing_simulation_is_updated_in_place_keeping_its_scenario_ids(
    provider: OmniDimensionProvider,
) -> None:
    # Given an existing simulation and its scenario ids
    created = provider.client.create_simulation(SPEC)
    before = {s.name: s.id for s in created.scenarios_ids}
    # When agentsim is given its id and the same scenarios, one reworded, plus a new one
    changed = [
        {**SCENARIOS[0], "expected_result": "The agent books Tuesday 9:00."},
        SCENARIOS[1],
        {"name": "Reschedule", "description": "Move Friday to Monday.", "expected_result": "Moved"},
    ]
    spec = SimulationSpec.model_validate(
        {**SPEC.body(), "name": "Dental clinic v2", "scenarios": changed}
    )
    prepared = provider.prepare(spec, simulation_id=created.id)
    # Then OmniDimension holds the new settings under the same ids
    current = provider.client.get_simulation(created.id)
    after = {s.name: s.id for s in current.scenarios_ids}
    assert (prepared.simulation_id, current.name) == (created.id, "Dental clinic v2")
    assert after[SCENARIOS[0]["name"]] == before[SCENARIOS[0]["name"]]
    assert after[SCENARIOS[1]["name"]] == before[SCENARIOS[1]["name"]]
    assert after["Reschedule"] not in before.values()
    booked = next(s for s in current.scenarios_ids if s.name == SCENARIOS[0]["name"])
    assert booked.expected_result == "The agent books Tuesday 9:00."


def test_an_update_naming_an_unknown_scenario_id_is_rejected_with_the_description(
    provider: OmniDimensionProvider,
) -> None:
    created = provider.client.create_simulation(SPEC)
    update = SimulationUpdate.model_validate({"scenarios": [{**SCENARIOS[0], "id": 999999}]})
    with pytest.raises(ProviderRejected) as caught:
        provider.client.update_simulation(created.id, update)
    assert (caught.value.status_code, caught.value.message) == (400, "Scenario 999999 not found")


def test_an_update_while_running_is_refused(
    emulator: EmulatorServer, provider: OmniDimensionProvider
) -> None:
    emulator.configure(call_seconds=30)
    run = start_run(provider, SPEC, idempotency_key="agentsim-run-busy")
    with pytest.raises(ProviderRejected, match="in progress"):
        provider.prepare(SPEC, simulation_id=run.simulation_id)
    provider.stop(run)


def test_an_existing_completed_simulation_runs_again_from_its_id(
    provider: OmniDimensionProvider,
) -> None:
    first = start_run(provider, SPEC, idempotency_key="agentsim-run-a")
    poll_until_terminal(provider, first)
    again = provider.prepare(None, simulation_id=first.simulation_id)
    assert again.prepared_status == "Completed"
    # Before the launch nothing has changed: find_launch must not mistake it for started
    now = datetime.now(UTC)
    assert provider.find_launch(again, idempotency_key="agentsim-run-b", attempted_at=now) is None
    run = provider.launch(again, None, idempotency_key="agentsim-run-b")
    assert poll_until_terminal(provider, run)[-1].status is SimulationStatus.COMPLETED


def test_an_unknown_simulation_id_is_not_found(provider: OmniDimensionProvider) -> None:
    with pytest.raises(ProviderNotFound) as caught:
        provider.prepare(None, simulation_id="999999")
    assert caught.value.message == "Simulation not found"
