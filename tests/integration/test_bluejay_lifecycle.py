"""BluejayProvider against the emulator over real HTTP: create, queue, poll, stop, faults."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from support.lifecycle import (
    connect,
    emulator_calls,
    lost_launch,
    poll_until_terminal,
    start_run,
    throttle_and_fail_now_and_then,
)
from support.waiting import wait_until

from agentsim.providers.base import CaseVerdict, SimulationStatus
from agentsim.providers.bluejay import BluejayProvider, RunOptions, SimulationSpec
from agentsim.providers.errors import ProviderNotFound, ProviderRejected
from agentsim_local.emulator import EmulatorServer

API_KEY = "bj-integration-key-5f2a9c"
SPEC = SimulationSpec(agent_id="12", name="Front desk", max_call_duration=1)


@pytest.fixture
def provider(emulator: EmulatorServer, sleeps: list[float]) -> Iterator[BluejayProvider]:
    adapter = connect(BluejayProvider, emulator, "bluejay", API_KEY, sleep=sleeps.append)
    yield adapter
    adapter.close()


def test_a_created_simulation_runs_to_an_end_with_passes_and_failures(
    provider: BluejayProvider,
) -> None:
    # Given a new simulation with the emulator's three default digital humans
    prepared = provider.prepare(SPEC)
    # When it is queued and polled to the end
    run = provider.launch(prepared, None, idempotency_key="agentsim-run-1")
    polls = poll_until_terminal(provider, run)
    # Then it went through running to completed, progress ending at 100
    assert run.run_id is not None
    assert len(run.result_ids) == 3
    assert SimulationStatus.RUNNING in {p.status for p in polls}
    assert (polls[-1].status, polls[-1].progress) == (SimulationStatus.COMPLETED, 100)
    # And the results hold two passes and the `[emulator:fail]` caller's failure
    results = provider.results(run)
    assert (results.total, results.passed, results.failed, results.has_verdicts) == (3, 2, 1, True)
    verdicts = {c.name: c.verdict for c in results.cases}
    assert verdicts == {
        "Polite caller": CaseVerdict.PASSED,
        "Confused caller": CaseVerdict.PASSED,
        "Impatient caller [emulator:fail]": CaseVerdict.FAILED,
    }
    failed = next(c for c in results.cases if c.verdict is CaseVerdict.FAILED)
    assert failed.reasoning is not None
    assert "did not achieve" in failed.reasoning
    assert all(c.status == "COMPLETED" for c in results.cases)
    assert all(c.transcript_url and c.recording_url for c in results.cases)
    assert all(c.duration_seconds is not None and c.duration_seconds > 0 for c in results.cases)
    assert sorted(c.case_id for c in results.cases) == sorted(run.result_ids)


def test_an_execution_error_ends_the_conversation_incomplete_and_failed(
    emulator: EmulatorServer, provider: BluejayProvider
) -> None:
    # Given a simulation whose only digital human ends in a provider-side error
    prepared = provider.prepare(SPEC)
    human = httpx.post(
        emulator.base_urls["bluejay"] + "/v1/create-digital-human",
        headers={"X-API-Key": API_KEY},
        json={
            "digital_human": {"phone_number": "+15550100", "name": "Dropped [emulator:error]"},
            "simulation_ids": [int(prepared.simulation_id)],
        },
    ).json()["digital_human"]
    # When it runs to the end
    run = provider.launch(prepared, None, idempotency_key="agentsim-run-err")
    poll_until_terminal(provider, run)
    # Then its single case failed with Bluejay's INCOMPLETED status
    results = provider.results(run)
    assert (results.total, results.passed, results.failed) == (1, 0, 1)
    assert (results.cases[0].status, results.cases[0].verdict) == (
        "INCOMPLETED",
        CaseVerdict.FAILED,
    )
    assert results.cases[0].name == human["name"]


def test_run_options_select_digital_humans(provider: BluejayProvider) -> None:
    prepared = provider.prepare(SPEC)
    humans = provider.client.get_digital_humans_by_simulation(prepared.simulation_id)
    polite = next(h for h in humans.digital_humans if h.name == "Polite caller")
    assert polite.id is not None
    run = provider.launch(
        prepared, RunOptions.model_validate({"digital_human_ids": [int(polite.id)]}),
        idempotency_key="agentsim-run-2",
    )  # fmt: skip
    poll_until_terminal(provider, run)
    results = provider.results(run)
    assert (results.total, results.passed, results.failed) == (1, 1, 0)


def test_an_existing_simulation_is_updated_then_started(provider: BluejayProvider) -> None:
    # Given an existing simulation
    simulation_id = provider.client.create_simulation(SPEC).simulation_id
    # When agentsim is given the id and new settings
    spec = SimulationSpec(agent_id="12", name="Front desk v2", max_concurrent=2)
    prepared = provider.prepare(spec, simulation_id=simulation_id)
    # Then Bluejay holds the new settings under the same id
    current = provider.client.get_simulation(simulation_id)
    assert prepared.simulation_id == simulation_id
    assert (current.name, current.max_concurrent) == ("Front desk v2", 2)


def test_an_update_for_another_agent_is_refused(provider: BluejayProvider) -> None:
    simulation_id = provider.client.create_simulation(SPEC).simulation_id
    with pytest.raises(ProviderRejected, match="agent_id"):
        provider.prepare(SimulationSpec(agent_id="99", name="x"), simulation_id=simulation_id)
    assert provider.client.get_simulation(simulation_id).name == "Front desk"


def test_an_unknown_simulation_id_is_not_found(provider: BluejayProvider) -> None:
    with pytest.raises(ProviderNotFound) as caught:
        provider.prepare(None, simulation_id="999999")
    assert caught.value.message == "Simulation not found"


def test_a_validation_error_from_bluejay_names_the_field(provider: BluejayProvider) -> None:
    # The emulator only knows numeric agent ids: its FastAPI 422 comes back with loc and msg
    with pytest.raises(ProviderRejected) as caught:
        provider.prepare(SimulationSpec(agent_id="front-desk"))
    assert caught.value.status_code == 422
    assert caught.value.message.startswith("agent_id:")


# Stop --------------------------------------------------------------------------------------


def test_stop_ends_the_running_conversations_and_the_run_completes(
    emulator: EmulatorServer, provider: BluejayProvider
) -> None:
    # Given calls that would last 30 s, under way
    emulator.configure(call_seconds=30)
    run = start_run(provider, SPEC, idempotency_key="agentsim-run-3")
    wait_until(lambda: provider.poll(run).progress != 0 or _any_running(provider, run), bool)
    # When we stop
    provider.stop(run)
    # Then Bluejay ended them and the run completes long before the calls would have
    polls = poll_until_terminal(provider, run, timeout=5)
    assert polls[-1].status is SimulationStatus.COMPLETED
    ends = emulator_calls(emulator, "bluejay", path="/v1/end-conversations")
    assert [c["status"] for c in ends] == [200]
    results = provider.results(run)
    assert all(c.duration_seconds is not None and c.duration_seconds < 30 for c in results.cases)


def _any_running(provider: BluejayProvider, run: Any) -> bool:
    assert run.run_id is not None
    answer = provider.client.retrieve_simulation_results(run.run_id)
    return any(r.status == "RUNNING" for r in answer.simulation_results)


def test_stop_after_the_end_does_nothing(
    emulator: EmulatorServer, provider: BluejayProvider
) -> None:
    run = start_run(provider, SPEC, idempotency_key="agentsim-run-4")
    poll_until_terminal(provider, run)
    provider.stop(run)
    assert not emulator_calls(emulator, "bluejay", path="/v1/end-conversations")


# Faults ------------------------------------------------------------------------------------


def test_the_lifecycle_completes_through_throttling_and_server_errors(
    emulator: EmulatorServer, provider: BluejayProvider, sleeps: list[float]
) -> None:
    # Given Bluejay throttling the queue call twice and failing reads now and then
    throttle_and_fail_now_and_then(emulator, "bluejay", launch_path="queue")
    # When the whole lifecycle runs
    run = start_run(provider, SPEC, idempotency_key="agentsim-run-5")
    poll_until_terminal(provider, run)
    results = provider.results(run)
    # Then it ended normally with one queued run, the faults having really fired
    assert (results.total, results.passed, results.failed) == (3, 2, 1)
    statuses = [c["status"] for c in emulator_calls(emulator, "bluejay")]
    assert statuses.count(429) == 3
    assert 503 in statuses
    assert 502 in statuses
    assert sleeps.count(1.0) == 2  # Retry-After honoured for the queue call
    runs = provider.client.get_simulation_runs(run.simulation_id).simulation_runs
    assert [r.id for r in runs] == [run.run_id]


def test_a_queue_answer_lost_in_a_timeout_is_found_instead_of_queued_again(
    emulator: EmulatorServer,
) -> None:
    # Given Bluejay queues the run but answers after our timeout, which is not repeated
    impatient, prepared, found = lost_launch(
        BluejayProvider,
        emulator,
        "bluejay",
        API_KEY,
        SPEC,
        launch_path="queue",
        idempotency_key="agentsim-run-6",
    )
    # Then find_launch recovers the run Bluejay did queue, the only one there is
    assert found is not None
    assert found.run_id is not None
    queued = emulator_calls(emulator, "bluejay", path="/v1/queue-simulation-run")
    assert len(queued) == 1
    assert [
        r.id for r in impatient.client.get_simulation_runs(prepared.simulation_id).simulation_runs
    ] == [found.run_id]
    poll_until_terminal(impatient, found)
    impatient.close()


def test_find_launch_without_a_launch_finds_nothing(provider: BluejayProvider) -> None:
    prepared = provider.prepare(SPEC)
    found = provider.find_launch(
        prepared, idempotency_key="agentsim-run-7", attempted_at=datetime.now(UTC)
    )
    assert found is None
