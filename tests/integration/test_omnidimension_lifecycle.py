"""OmniDimensionProvider against the emulator over real HTTP: create, start, poll, stop, faults."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from support.lifecycle import (
    connect,
    emulator_calls,
    launch_into_a_fault,
    lost_launch,
    poll_until_terminal,
    start_run,
    throttle_and_fail_now_and_then,
)
from support.run_requests import launches, omnidimension_request
from support.waiting import wait_until

from agentsim.providers.base import CaseVerdict, SimulationStatus
from agentsim.providers.errors import (
    ProviderNotFound,
    ProviderRejected,
    ProviderUnavailable,
)
from agentsim.providers.omnidimension import OmniDimensionProvider, SimulationSpec, SimulationUpdate
from agentsim_local.emulator import EmulatorServer

API_KEY = "omni-integration-key-7c1e4b"
SCENARIOS: list[dict[str, Any]] = [
    {
        "name": "Book a cleaning",
        "description": "You are a new patient asking for a cleaning on Tuesday.",
        "expected_result": "The agent books a Tuesday slot.",
        "selected_voices": [{"id": "v1", "provider": "eleven_labs"}],
    },
    {
        "name": "Rude caller [emulator:fail]",
        "description": "Insult the agent and ask for a refund.",
        "expected_result": "The agent stays calm.",
    },
]
SPEC = SimulationSpec.model_validate(
    {
        "name": "Dental clinic",
        "agent_id": 158910,
        "number_of_call_to_make": 2,
        "concurrent_call_count": 2,
        "max_call_duration_in_minutes": 1,
        "scenarios": SCENARIOS,
    }
)


@pytest.fixture
def provider(emulator: EmulatorServer, sleeps: list[float]) -> Iterator[OmniDimensionProvider]:
    adapter = connect(
        OmniDimensionProvider, emulator, "omnidimension", API_KEY, sleep=sleeps.append
    )
    yield adapter
    adapter.close()


def starts(emulator: EmulatorServer) -> list[dict[str, Any]]:
    """Start calls the emulator processed (answered 2xx, or delayed past our timeout)."""
    return launches(emulator, "omnidimension")


def fail_the_next_start(emulator: EmulatorServer, kind: str) -> None:
    """The next start answered by a fault of `kind` (the emulator answers it before acting)."""
    emulator.faults.add(provider="omnidimension", kind=kind, path_contains="/start", times=1)


def start_statuses(emulator: EmulatorServer) -> list[int]:
    """The status of every start call the emulator answered, refused ones included."""
    calls = emulator_calls(emulator, "omnidimension")
    return [c["status"] for c in calls if c["path"].endswith("/start")]


# The lifecycle -------------------------------------------------------------------------------


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


# Stop, list, delete, enhance-prompt ------------------------------------------------------------


def test_stop_mid_run_ends_the_simulation_stopped(
    emulator: EmulatorServer, provider: OmniDimensionProvider
) -> None:
    # Given calls that would last 30 s, under way
    emulator.configure(call_seconds=30)
    run = start_run(provider, SPEC, idempotency_key="agentsim-run-stop")
    wait_until(lambda: provider.poll(run).provider_status, lambda status: status == "In Progress")
    # When we stop
    provider.stop(run)
    # Then the simulation is Stopped at once, and a second stop is refused as not running
    polled = provider.poll(run)
    assert (polled.status, polled.provider_status) == (SimulationStatus.STOPPED, "Stopped")
    with pytest.raises(ProviderRejected) as caught:
        provider.stop(run)
    assert (caught.value.status_code, caught.value.operation) == (200, "stop_simulation")
    assert "not running" in caught.value.message


def test_stop_of_a_draft_is_refused(provider: OmniDimensionProvider) -> None:
    prepared = provider.prepare(SPEC)
    with pytest.raises(ProviderRejected, match="Draft"):
        provider.stop(prepared)


def test_list_pages_through_simulations_and_delete_removes_one(
    provider: OmniDimensionProvider,
) -> None:
    ids = [provider.client.create_simulation(SPEC).id for _ in range(3)]
    first = provider.client.list_simulations(pageno=1, pagesize=2)
    second = provider.client.list_simulations(pageno=2, pagesize=2)
    assert first.total_records == 3
    assert sorted(r.id for r in first.records + second.records) == sorted(ids)
    assert len(first.records) == 2
    provider.client.delete_simulation(ids[0])
    with pytest.raises(ProviderNotFound):
        provider.client.get_simulation(ids[0])
    assert provider.client.list_simulations(pagesize=150).total_records == 2


def test_enhance_prompt_is_refused_before_completion_and_answers_after(
    provider: OmniDimensionProvider,
) -> None:
    run = provider.prepare(SPEC)
    with pytest.raises(ProviderRejected) as caught:
        provider.client.enhance_prompt(run.simulation_id)
    assert caught.value.message.startswith("Enhanced prompt suggestions are only available")
    provider.launch(run, None, idempotency_key="agentsim-run-enhance")
    poll_until_terminal(provider, run)
    enhanced = provider.client.enhance_prompt(run.simulation_id)
    assert enhanced.prompt_breakdown
    assert all(s.title and s.prompt for s in enhanced.prompt_breakdown)


# Faults ------------------------------------------------------------------------------------


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
    prepared = provider.prepare(SPEC)
    fail_the_next_start(emulator, "5xx")
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
    prepared = provider.prepare(SPEC)
    fail_the_next_start(emulator, "html")
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
