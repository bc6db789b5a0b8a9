"""The Bluejay emulator answers the official `bluejay-sdk`, whose pydantic models validate it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from bluejay import Bluejay
from bluejay.errors import BluejayDefaultError, HTTPValidationError
from support.waiting import wait_until

from agentsim_local.emulator import EmulatorServer


@pytest.fixture
def sdk(emulator: EmulatorServer) -> Iterator[Bluejay]:
    with Bluejay(api_key="bluejay-test-key", server_url=emulator.base_urls["bluejay"]) as client:
        yield client


def _queue(sdk: Bluejay) -> tuple[int, str, list[str]]:
    created = sdk.simulations.create_simulation(agent_id="42", name="Support line")
    queued = sdk.simulations.queue_simulation_run(
        request={"simulation_id": str(created.simulation_id)}
    )
    return created.simulation_id, queued.simulation_run_id, queued.simulation_result_ids


def test_created_simulation_reads_back_with_three_default_digital_humans(sdk: Bluejay) -> None:
    created = sdk.simulations.create_simulation(agent_id="42", name="Support line")

    simulation = sdk.simulations.get_simulation(simulation_id=created.simulation_id)
    humans = sdk.digital_humans.get_digital_humans_by_simulation(
        simulation_id=created.simulation_id
    )

    assert created.status == "200"
    assert simulation.agent_id == 42 and simulation.name == "Support line"
    assert humans.total == 3
    assert [h.name for h in humans.digital_humans_value] == [
        "Polite caller",
        "Confused caller",
        "Impatient caller [emulator:fail]",
    ]


def test_update_and_list_simulations(sdk: Bluejay) -> None:
    created = sdk.simulations.create_simulation(agent_id="42", name="Before")

    updated = sdk.simulations.update_simulation(simulation_id=created.simulation_id, name="After")
    listed = sdk.simulations.get_all_simulations()

    assert updated.name == "After"
    assert [s.name for s in listed.simulations_value or []] == ["After"]


def test_queued_run_completes_with_passed_and_failed_tests(
    sdk: Bluejay, emulator: EmulatorServer
) -> None:
    # Seconds, not tenths: the first read must land while the run is still going on a loaded CI.
    emulator.configure(queue_seconds=1.0, call_seconds=2.0, summary_seconds=1.0)
    _, run_id, result_ids = _queue(sdk)

    first = sdk.retrieve_simulation_results.retrieve_simulation_results(simulation_run_id=run_id)
    done = wait_until(
        lambda: sdk.retrieve_simulation_results.retrieve_simulation_results(
            simulation_run_id=run_id
        ),
        lambda r: r.simulation_run.status == "COMPLETED",
        timeout=15.0,
    )

    assert len(result_ids) == 3
    assert first.simulation_run.status == "RUNNING"
    run = done.simulation_run
    assert (run.total_tests, run.tests_passed, run.tests_failed, run.tests_completed) == (
        3,
        2,
        1,
        3,
    )
    verdicts = [
        r.evaluations[0].goal_success for r in done.simulation_results or [] if r.evaluations
    ]
    assert sorted(verdicts) == [False, True, True]
    assert all(
        r.transcript_url and r.audio_url and r.duration for r in done.simulation_results or []
    )


def test_run_list_names_the_run_and_its_simulation(sdk: Bluejay) -> None:
    simulation_id, run_id, _ = _queue(sdk)

    runs = sdk.simulations.get_simulation_runs(simulation_id=str(simulation_id))

    assert [r.id for r in runs.simulation_runs or []] == [int(run_id)]
    assert (
        runs.simulation_runs is not None and runs.simulation_runs[0].experiment_id == simulation_id
    )


def test_single_result_is_served(sdk: Bluejay) -> None:
    _, _, result_ids = _queue(sdk)

    result = sdk.retrieve_simulation_results.retrieve_simulation_result(
        test_result_id=result_ids[0]
    )

    assert result.simulation_result.id == int(result_ids[0])


def test_end_conversations_ends_running_results_only(
    emulator: EmulatorServer, sdk: Bluejay
) -> None:
    emulator.configure(call_seconds=3.0)  # long enough to end the calls while they run
    _, run_id, result_ids = _queue(sdk)
    wait_until(
        lambda: sdk.retrieve_simulation_results.retrieve_simulation_results(
            simulation_run_id=run_id
        ),
        lambda r: all(x.status == "RUNNING" for x in r.simulation_results or []),
    )

    ended = sdk.conversations.end_conversations(test_result_ids=[int(i) for i in result_ids])
    again = sdk.conversations.end_conversations(test_result_ids=[int(result_ids[0])])

    assert ended.success is True and ended.ended_count == 3
    finished = wait_until(
        lambda: sdk.retrieve_simulation_results.retrieve_simulation_results(
            simulation_run_id=run_id
        ),
        lambda r: r.simulation_run.status == "COMPLETED",
        timeout=2.0,  # far less than the 3 s the calls would have lasted
    )
    assert finished.simulation_run.tests_completed == 3
    assert again.success is False and again.failed_ids == [int(result_ids[0])]


def test_sdk_surfaces_422(sdk: Bluejay) -> None:
    with pytest.raises(HTTPValidationError):
        sdk.simulations.create_simulation(agent_id="42", max_concurrent=900)


def test_sdk_surfaces_404(sdk: Bluejay) -> None:
    with pytest.raises(BluejayDefaultError) as missing:
        sdk.simulations.get_simulation(simulation_id=999999)

    assert missing.value.status_code == 404
